import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SandboxError } from '../../../core/errors.js';
import { dockerSeccompProfile, seccompBpf } from './seccomp.js';

test('the BPF program: whole instructions, an architecture check first, ends allowing', () => {
  for (const arch of ['x64', 'arm64']) {
    const bpf = seccompBpf(arch);
    assert.equal(bpf.length % 8, 0);
    assert.ok(bpf.length / 8 < 4096, 'within BPF_MAXINSNS');
    // First instruction: load the arch word (offset 4) of struct seccomp_data.
    assert.equal(bpf.readUInt16LE(0), 0x20);
    assert.equal(bpf.readUInt32LE(4), 4);
    assert.equal(bpf.readUInt32LE(bpf.length - 4), 0x7fff0000);
  }
  assert.throws(() => seccompBpf('ia32'), (e: unknown) => e instanceof SandboxError && /no seccomp filter for CPU architecture ia32/.test(e.message));
});

test('the Docker profile denies the same calls and namespace flags of clone', () => {
  const p = JSON.parse(dockerSeccompProfile()) as { defaultAction: string; syscalls: Array<{ names: string[]; errnoRet: number; args?: Array<{ value: number }> }> };
  assert.equal(p.defaultAction, 'SCMP_ACT_ALLOW');
  const denied = p.syscalls.flatMap((s) => s.names);
  for (const name of ['unshare', 'setns', 'io_uring_setup', 'io_uring_enter', 'ptrace', 'mount', 'bpf']) assert.ok(denied.includes(name), name);
  const cloneRules = p.syscalls.filter((s) => s.names[0] === 'clone');
  assert.ok(cloneRules.some((s) => s.args?.[0]?.value === 0x10000000), 'CLONE_NEWUSER');
});
