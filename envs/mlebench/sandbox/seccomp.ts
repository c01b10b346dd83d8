/**
 * The kernel attack surface a solution does not need, closed with seccomp: no new namespaces (a
 * nested user namespace would hand the script CAP_NET_ADMIN and friends inside it), no io_uring
 * (a large, often-patched kernel surface that also bypasses syscall filtering), no ptrace or
 * process_vm_*, no mounts, keyrings, BPF, perf, userfaultfd or module/kexec calls.
 *
 * One deny table, two encodings: a classic-BPF program for bubblewrap's `--seccomp FD` (written
 * here, no libseccomp needed) and a Docker seccomp profile (JSON, in `HostConfig.SecurityOpt`).
 * Everything else is allowed: the other limits (uid, capabilities, cgroups) do the rest.
 */
import { arch } from 'node:process';
import { SandboxError } from '../../../core/errors.js';

const EPERM = 1;
const ENOSYS = 38;

/** The clone flags that create namespaces (NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET). */
export const CLONE_NAMESPACE_FLAGS = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000] as const;
const NS_MASK = CLONE_NAMESPACE_FLAGS.reduce((a, b) => a | b, 0);

/** Denied syscalls and the errno they fail with. ENOSYS for io_uring and clone3, so libraries fall back. */
const DENIED: Record<string, number> = {
  unshare: EPERM,
  setns: EPERM,
  clone3: ENOSYS,
  io_uring_setup: ENOSYS,
  io_uring_enter: ENOSYS,
  io_uring_register: ENOSYS,
  ptrace: EPERM,
  process_vm_readv: EPERM,
  process_vm_writev: EPERM,
  bpf: EPERM,
  perf_event_open: EPERM,
  userfaultfd: EPERM,
  keyctl: EPERM,
  add_key: EPERM,
  request_key: EPERM,
  mount: EPERM,
  umount2: EPERM,
  pivot_root: EPERM,
  chroot: EPERM,
  open_tree: EPERM,
  move_mount: EPERM,
  fsopen: EPERM,
  fsconfig: EPERM,
  fsmount: EPERM,
  fspick: EPERM,
  mount_setattr: EPERM,
  open_by_handle_at: EPERM,
  kexec_load: EPERM,
  kexec_file_load: EPERM,
  init_module: EPERM,
  finit_module: EPERM,
  delete_module: EPERM,
  swapon: EPERM,
  swapoff: EPERM,
  reboot: EPERM,
  acct: EPERM,
  quotactl: EPERM,
  syslog: EPERM,
};

/** Syscall numbers per architecture (Linux uapi tables). */
const NUMBERS: Record<'x64' | 'arm64', Record<string, number>> = {
  x64: {
    clone: 56, unshare: 272, setns: 308, clone3: 435, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, ptrace: 101,
    process_vm_readv: 310, process_vm_writev: 311, bpf: 321, perf_event_open: 298, userfaultfd: 323, keyctl: 250, add_key: 248,
    request_key: 249, mount: 165, umount2: 166, pivot_root: 155, chroot: 161, open_tree: 428, move_mount: 429, fsopen: 430,
    fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442, open_by_handle_at: 304, kexec_load: 246, kexec_file_load: 320,
    init_module: 175, finit_module: 313, delete_module: 176, swapon: 167, swapoff: 168, reboot: 169, acct: 163, quotactl: 179, syslog: 103,
  },
  arm64: {
    clone: 220, unshare: 97, setns: 268, clone3: 435, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, ptrace: 117,
    process_vm_readv: 270, process_vm_writev: 271, bpf: 280, perf_event_open: 241, userfaultfd: 282, keyctl: 219, add_key: 217,
    request_key: 218, mount: 40, umount2: 39, pivot_root: 41, chroot: 51, open_tree: 428, move_mount: 429, fsopen: 430,
    fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442, open_by_handle_at: 265, kexec_load: 104, kexec_file_load: 294,
    init_module: 105, finit_module: 273, delete_module: 106, swapon: 224, swapoff: 225, reboot: 142, acct: 89, quotactl: 60, syslog: 116,
  },
};

const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7 } as const;

// Classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
// Offsets into struct seccomp_data: nr, arch, args[0] (low word, little-endian).
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARG0 = 16;
// x86-64's x32 ABI numbers carry this bit; they reach the same kernel code under other numbers.
const X32_BIT = 0x40000000;

type Insn = [code: number, jt: number, jf: number, k: number];

function supportedArch(a: string = arch): 'x64' | 'arm64' {
  if (a === 'x64' || a === 'arm64') return a;
  throw new SandboxError(
    `local sandbox: no seccomp filter for CPU architecture ${a} (only x64 and arm64); ` +
      'use the docker sandbox, or opt into a run without it (allowUnisolated: true or EXITGYM_SANDBOX_UNISOLATED=1).',
  );
}

/**
 * The filter as a BPF program (8 bytes per instruction, native endianness), for `bwrap --seccomp FD`.
 * A call from another ABI (32-bit `int 0x80` on x86-64, x32) fails with EPERM outright.
 */
export function seccompBpf(a: string = arch): Buffer {
  const which = supportedArch(a);
  const nr = NUMBERS[which];
  const p: Insn[] = [
    [LD_W_ABS, 0, 0, OFF_ARCH],
    [JEQ_K, 1, 0, AUDIT_ARCH[which]],
    [RET_K, 0, 0, RET_ERRNO | EPERM],
    [LD_W_ABS, 0, 0, OFF_NR],
  ];
  if (which === 'x64') p.push([JGE_K, 0, 1, X32_BIT], [RET_K, 0, 0, RET_ERRNO | EPERM]);
  for (const [name, errno] of Object.entries(DENIED)) {
    p.push([JEQ_K, 0, 1, nr[name] as number], [RET_K, 0, 0, RET_ERRNO | errno]);
  }
  // clone: allowed unless a namespace flag is set (threads and fork use clone without them).
  p.push(
    [JEQ_K, 0, 4, nr.clone as number],
    [LD_W_ABS, 0, 0, OFF_ARG0],
    [JSET_K, 0, 1, NS_MASK],
    [RET_K, 0, 0, RET_ERRNO | EPERM],
    [RET_K, 0, 0, RET_ALLOW],
    [RET_K, 0, 0, RET_ALLOW],
  );
  const buf = Buffer.alloc(p.length * 8);
  const le = Buffer.from(new Uint16Array([1]).buffer)[0] === 1;
  p.forEach(([code, jt, jf, k], i) => {
    if (le) {
      buf.writeUInt16LE(code, i * 8);
      buf.writeUInt32LE(k >>> 0, i * 8 + 4);
    } else {
      buf.writeUInt16BE(code, i * 8);
      buf.writeUInt32BE(k >>> 0, i * 8 + 4);
    }
    buf.writeUInt8(jt, i * 8 + 2);
    buf.writeUInt8(jf, i * 8 + 3);
  });
  return buf;
}

/** The same filter as a Docker seccomp profile (passed as `seccomp=<json>` in SecurityOpt). */
export function dockerSeccompProfile(): string {
  const byErrno = new Map<number, string[]>();
  for (const [name, errno] of Object.entries(DENIED)) byErrno.set(errno, [...(byErrno.get(errno) ?? []), name]);
  const syscalls: object[] = [...byErrno].map(([errno, names]) => ({ names, action: 'SCMP_ACT_ERRNO', errnoRet: errno }));
  // One rule per flag: libseccomp ANDs the conditions of one rule, so "any flag set" needs several.
  for (const flag of CLONE_NAMESPACE_FLAGS) {
    syscalls.push({ names: ['clone'], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM, args: [{ index: 0, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' }] });
  }
  return JSON.stringify({
    defaultAction: 'SCMP_ACT_ALLOW',
    // Listing the secondary ABIs makes libseccomp apply the same rules to 32-bit and x32 calls.
    archMap: [
      { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
      { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
    ],
    syscalls,
  });
}
