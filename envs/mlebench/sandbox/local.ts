/**
 * The local sandbox: the command runs under bubblewrap (no network, read-only /usr, only its working
 * dir and a private /tmp writable, the data dir read-only, nothing else of the host visible, a
 * seccomp filter and no nested user namespaces), as an unprivileged uid of its own, inside per-run
 * cgroups, with rlimits for CPU time, file size and processes, its working dir and /tmp on a size-
 * and inode-capped tmpfs, and a wall-clock timer that kills the whole run.
 *
 * When the command exits, everything it left behind (a daemonised grandchild escapes the process
 * group) is killed through the cgroups, or the run's own uid, before files are collected.
 *
 * Process chain (each step execs the next, so one pid is watched):
 *   sh (waits on stdin until the host has moved it into the run's cgroups) → prlimit →
 *   setpriv (unique uid, when root) → bwrap → command
 * The host joins the cgroups itself, so a set-up failure is known from the host's own write, never
 * from an exit code or text the command could produce.
 *
 * Isolation needs bubblewrap and either root (a uid per run, cgroups, the tmpfs quota) or writable
 * cgroups; without them the sandbox refuses to run unless `allowUnisolated` is given.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { ConfigError, SandboxError } from '../../../core/errors.js';
import { cgroupsAvailable, createRunCgroup, runCgroupName, sweepCgroups, type RunCgroup } from './cgroup.js';
import { classifyRun } from './classify.js';
import { checkCommand, SANDBOX_DATADIR, SANDBOX_WORKDIR, sandboxEnv } from './env.js';
import { DEFAULT_LIMITS, resolveLimits, type ResolvedLimits } from './limits.js';
import { BoundedOutput } from './output.js';
import { killUid, nextUid } from './run-uid.js';
import { seccompBpf } from './seccomp.js';
import type { Sandbox, SandboxFile, SandboxLimits, SandboxResult, SandboxRunOptions } from './types.js';
import { collectFiles, makeRunDir, removeRunDir, type RunDir, sweepRunDirs, writeFiles } from './workdir.js';

/** Options of the local sandbox. */
export interface LocalSandboxOptions {
  /**
   * Run even where the sandbox cannot isolate: without bubblewrap (no filesystem or network
   * isolation, only the limits), or as a non-root user without writable cgroups (the process and
   * memory limits then do not hold for the run as a whole, and there is no disk quota). Off by
   * default; also enabled by EXITGYM_SANDBOX_UNISOLATED=1. Never use it for untrusted code.
   */
  allowUnisolated?: boolean;
  /** The bubblewrap binary; default: `bwrap` found on PATH (or /usr/bin/bwrap). */
  bwrapPath?: string;
  /** Where per-run folders are created; default the OS temp dir. */
  tmpDir?: string;
  /** Limits for fields a run leaves out; default `DEFAULT_LIMITS`. */
  defaults?: SandboxLimits;
  /** Use per-run cgroups when writable (default true); false forces the rlimit-only path (tests). */
  cgroups?: boolean;
  /** CPUs per run (a cgroup CPU quota, like Docker's `--cpus`); default 1. 0 leaves CPU unlimited. Needs cgroups. */
  cpus?: number;
}

/** Where bubblewrap is, or undefined. */
export function findBwrap(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin']) {
    if (!dir) continue;
    const p = join(dir, 'bwrap');
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Start-up sweeps already done, by temp folder (once per process each). */
const swept = new Map<string, Promise<void>>();

/** Host paths bound read-only besides /usr: what Debian's python needs to find its libraries. */
const ETC_BINDS = ['/etc/alternatives', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/localtime', '/etc/mime.types'];

interface Running {
  kill(): void;
}

/** The default sandbox: bubblewrap on this machine. See the module comment. */
export class LocalSandbox implements Sandbox {
  readonly kind = 'local' as const;
  private readonly bwrap: string | undefined;
  private readonly defaults: ResolvedLimits;
  private readonly cpus: number;
  private readonly inFlight = new Set<Running>();
  private readonly unisolated: boolean;
  private ready: Promise<boolean> | undefined;
  private closed = false;

  constructor(private readonly options: LocalSandboxOptions = {}) {
    this.bwrap = findBwrap(options.bwrapPath);
    this.defaults = resolveLimits(options.defaults ?? {}, DEFAULT_LIMITS);
    this.cpus = options.cpus ?? 1;
    if (!Number.isFinite(this.cpus) || this.cpus < 0 || this.cpus > 1024) {
      throw new ConfigError(`local sandbox: cpus = ${String(options.cpus)} is invalid; use a number from 0 (unlimited) to 1024.`);
    }
    const unisolated = options.allowUnisolated ?? process.env.EXITGYM_SANDBOX_UNISOLATED === '1';
    this.unisolated = unisolated;
    if (!this.bwrap && !unisolated) {
      throw new SandboxError(
        `local sandbox: bubblewrap (bwrap) was not found${options.bwrapPath ? ` at ${options.bwrapPath}` : ' on PATH'}; ` +
          'install it (apt-get install -y bubblewrap), use the docker sandbox, or opt into an unisolated run ' +
          '(allowUnisolated: true or EXITGYM_SANDBOX_UNISOLATED=1; no filesystem or network isolation).',
      );
    }
  }

  /** Whether runs are isolated by bubblewrap (false only in the opted-into unisolated mode). */
  get isolated(): boolean {
    return this.bwrap !== undefined;
  }

  /**
   * Once per sandbox: sweeps what dead processes left (run folders, cgroups; never a live
   * process's), and refuses to go on without real isolation unless opted in. Resolves whether
   * cgroups are used.
   */
  private prepare(): Promise<boolean> {
    this.ready ??= (async () => {
      const base = this.options.tmpDir ?? tmpdir();
      if (!swept.has(base)) swept.set(base, Promise.all([sweepRunDirs(base), sweepCgroups()]).then(() => undefined));
      await swept.get(base);
      const cgroups = this.options.cgroups !== false && (await cgroupsAvailable());
      const asRoot = process.getuid?.() === 0;
      if (this.bwrap && !asRoot && !cgroups && !this.unisolated) {
        throw new SandboxError(
          'local sandbox: running as a non-root user without writable cgroups, the process and memory limits would not hold for a run ' +
            '(RLIMIT_NPROC counts all of your processes, RLIMIT_AS each process alone) and there is no disk quota; ' +
            'run as root, delegate cgroup v1 memory/pids/cpu/cpuacct/freezer groups to this user, use the docker sandbox, ' +
            'or opt in to weaker limits (allowUnisolated: true or EXITGYM_SANDBOX_UNISOLATED=1).',
        );
      }
      return cgroups;
    })();
    return this.ready;
  }

  async run(files: SandboxFile[], command: string[], limits: SandboxLimits = {}, opts: SandboxRunOptions = {}): Promise<SandboxResult> {
    if (this.closed) throw new SandboxError('local sandbox: run() called after close(); create a new sandbox.');
    checkCommand(command);
    const lim = resolveLimits(limits, this.defaults);
    if (opts.dataDir) checkDataDir(opts.dataDir.hostPath, this.isolated);
    const useCgroups = await this.prepare();
    const asRoot = process.getuid?.() === 0;
    const uid = asRoot ? nextUid() : undefined;
    const owner = uid === undefined ? undefined : { uid, gid: uid };
    if (owner && this.bwrap) checkTraversable(this.options.tmpDir ?? tmpdir());
    // The tmpfs quota needs root to mount; unisolated runs keep the plain folder.
    const quota = asRoot && this.bwrap ? { bytes: lim.maxDiskBytes, files: lim.maxFiles } : undefined;
    const dir = await makeRunDir(owner, this.options.tmpDir, quota);
    let cg: RunCgroup | undefined;
    try {
      await writeFiles(dir.work, files, owner);
      if (useCgroups) cg = await createRunCgroup(runCgroupName(), lim, this.cpus);
      return await this.execute(dir, command, lim, opts, uid, cg);
    } finally {
      // Clean-up never throws: a leftover is retried by a later process's start-up sweep.
      if (cg) await cg.killAll().catch(() => undefined);
      await removeRunDir(dir);
      if (cg) await cg.remove().catch(() => undefined);
    }
  }

  private argv(dir: RunDir, command: string[], lim: ResolvedLimits, opts: SandboxRunOptions, uid: number | undefined, cg: RunCgroup | undefined): string[] {
    // Waits for the host's go (sent once the host has moved this shell into the run's cgroups); the
    // command then gets /dev/null as stdin, so it never sees the channel.
    const argv = ['/bin/sh', '-c', 'read -r go || exit 1; exec "$@" </dev/null', 'sandbox-init'];
    argv.push(
      'prlimit',
      // Soft limit sends SIGXCPU (reported as the CPU limit); the hard one a second later cannot be ignored.
      `--cpu=${lim.cpuSeconds}:${lim.cpuSeconds + 1}`,
      `--fsize=${lim.maxFileBytes}`,
      '--core=0',
      '--nofile=1024',
    );
    // RLIMIT_NPROC only counts for a non-root uid; without a uid of its own it would count the
    // caller's other processes too, so it is set only when the run has one. With a pids cgroup it is
    // a looser backstop, so that the cgroup (which reports hits) is the limit a fork bomb meets.
    if (uid !== undefined) argv.push(`--nproc=${cg ? lim.maxProcesses + 4 : lim.maxProcesses}`);
    // Without a memory cgroup, the address-space limit is the only memory bound (per process).
    if (!cg) argv.push(`--as=${lim.memoryMb * 1024 * 1024}`);
    argv.push('--');
    if (uid !== undefined) argv.push('setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--');
    const env = sandboxEnv(opts, this.bwrap ? SANDBOX_DATADIR : opts.dataDir?.hostPath);
    if (!this.bwrap) return [...argv, 'env', '-i', '--', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command];
    argv.push(
      this.bwrap,
      '--unshare-all',
      '--unshare-user',
      '--disable-userns',
      '--seccomp',
      '4',
      '--die-with-parent',
      '--new-session',
      '--cap-drop',
      'ALL',
      '--json-status-fd',
      '3',
      '--hostname',
      'sandbox',
      '--ro-bind',
      '/usr',
      '/usr',
      '--symlink',
      'usr/bin',
      '/bin',
      '--symlink',
      'usr/lib',
      '/lib',
      '--symlink',
      'usr/lib64',
      '/lib64',
      '--symlink',
      'usr/sbin',
      '/sbin',
    );
    for (const p of ETC_BINDS) argv.push('--ro-bind-try', p, p);
    argv.push('--proc', '/proc', '--dev', '/dev', '--size', String(Math.min(lim.maxDiskBytes, 64 * 1024 * 1024)), '--tmpfs', '/dev/shm');
    // On the run's quota'd tmpfs when mounted; otherwise a tmpfs of bwrap's own (no inode cap).
    if (dir.mounted) argv.push('--bind', dir.tmp, '/tmp');
    else argv.push('--size', String(lim.maxDiskBytes), '--tmpfs', '/tmp');
    argv.push('--bind', dir.work, SANDBOX_WORKDIR);
    if (opts.dataDir) argv.push('--ro-bind', opts.dataDir.hostPath, SANDBOX_DATADIR);
    // The sandbox's own root (where /etc and the mount points live) becomes read-only last.
    argv.push('--remount-ro', '/', '--chdir', SANDBOX_WORKDIR, '--clearenv');
    for (const [k, v] of Object.entries(env)) argv.push('--setenv', k, v);
    argv.push('--', ...command);
    return argv;
  }

  private execute(dir: RunDir, command: string[], lim: ResolvedLimits, opts: SandboxRunOptions, uid: number | undefined, cg: RunCgroup | undefined): Promise<SandboxResult> {
    const argv = this.argv(dir, command, lim, opts, uid, cg);
    const started = performance.now();
    const stdout = new BoundedOutput(lim.maxOutputBytes);
    const stderr = new BoundedOutput(lim.maxOutputBytes);
    let status = '';
    let timedOut = false;
    let aborted = false;
    let outputFlood = false;
    let setupError: SandboxError | undefined;

    return new Promise<SandboxResult>((resolve, reject) => {
      const child = spawn(argv[0] as string, argv.slice(1), {
        cwd: dir.work,
        // 0: the host's go; 3: bwrap's JSON status; 4: the seccomp program bwrap reads.
        stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
        // Its own process group, so a kill reaches everything it started outside the pid namespace too.
        detached: true,
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      });
      const killAll = (): void => {
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // The group is already gone.
          }
        }
        void cg?.killAll();
      };
      const running: Running = {
        kill: () => {
          aborted = true;
          killAll();
        },
      };
      this.inFlight.add(running);
      const timer = setTimeout(() => {
        timedOut = true;
        killAll();
      }, lim.wallSeconds * 1000);
      const onAbort = (): void => running.kill();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.signal?.aborted) onAbort();

      const onData = (out: BoundedOutput) => (chunk: Buffer) => {
        out.push(chunk);
        if (out.flooded && !outputFlood) {
          outputFlood = true;
          killAll();
        }
      };
      child.stdout?.on('data', onData(stdout));
      child.stderr?.on('data', onData(stderr));
      const statusPipe = child.stdio[3];
      statusPipe?.on('data', (chunk: Buffer) => {
        if (status.length < 4096) status += chunk.toString('utf8');
      });
      // A pipe the other side closed early (a failed start) is reported through 'close', not here.
      for (const s of [child.stdin, child.stdio[4]]) (s as NodeJS.EventEmitter | null)?.on('error', () => undefined);
      const seccompPipe = child.stdio[4] as NodeJS.WritableStream | null;
      if (this.bwrap) seccompPipe?.end(seccompBpf());
      else seccompPipe?.end();
      // The host moves the shell into the run's cgroups itself, then lets it go on.
      void (async () => {
        if (child.pid === undefined) return;
        try {
          await cg?.join(child.pid);
          child.stdin?.end('go\n');
        } catch (e) {
          // A run killed before it was let go (abort, timer) has nothing to join any more.
          if (aborted || timedOut || child.exitCode !== null || child.signalCode !== null) return;
          setupError = new SandboxError(`local sandbox: could not move the run into its cgroups (${(e as Error).message}); check that /sys/fs/cgroup is writable.`, { cause: e });
          killAll();
        }
      })();
      child.on('error', (e) => {
        clearTimeout(timer);
        this.inFlight.delete(running);
        reject(new SandboxError(`local sandbox: could not start ${argv[0]}: ${e.message}`, { cause: e }));
      });
      // The payload's leftovers (a background child still holding stdout) are killed as soon as the
      // main process is gone, so 'close' does not wait for them until the wall limit.
      child.on('exit', () => killAll());
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.inFlight.delete(running);
        void (async () => {
          const wallMs = Math.round(performance.now() - started);
          // Nothing of the run may still be alive when its files are read or run() returns.
          if (cg) await cg.killAll();
          else if (uid !== undefined) await killUid(uid);
          if (setupError) throw setupError;
          // bwrap reports the command's pid on its status fd once the sandbox is set up; without it the
          // command never ran (the text of that fd is bwrap's, written before the command starts).
          if (this.bwrap !== undefined && !status.includes('child-pid') && !timedOut && !aborted) {
            throw new SandboxError(
              `local sandbox: bubblewrap could not set up the sandbox (exit ${String(code ?? signal)}): ${stderr.text().trim().split('\n').slice(-3).join(' | ') || 'no message'}. ` +
                'If it names the data dir, make it readable by other users (chmod -R o+rX DIR): the sandbox runs as an unprivileged uid.',
            );
          }
          const stats = cg ? await cg.stats() : undefined;
          const { files, refused } = await collectFiles(dir.work, opts.collect ?? [], lim.maxCollectBytes);
          const observed: Parameters<typeof classifyRun>[0] = {
            exitStatus: code,
            timedOut,
            aborted,
            outputFlood,
            oomKilled: stats ? stats.oomKills > 0 : undefined,
            pidsLimitHit: stats ? stats.pidsLimitHits > 0 : undefined,
            cpuMs: stats?.cpuMs,
            wallMs,
            stdout,
            stderr,
            files,
            refused,
            limits: lim,
          };
          if (signal) observed.hostSignal = signal;
          return classifyRun(observed);
        })().then(resolve, reject);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.inFlight) r.kill();
  }
}

/** bubblewrap runs as the run's uid and must reach the run folder through every ancestor of `dir`. */
function checkTraversable(dir: string): void {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new SandboxError(
        `local sandbox: ${d} is not searchable by other users (mode ${(mode & 0o777).toString(8)}), so the unprivileged sandbox cannot reach run folders under ${dir}; ` +
          'set the tmpDir option (or TMPDIR) to a folder like /tmp, or chmod o+x the folder.',
      );
    }
    if (d === dirname(d)) return;
  }
}

/** The data dir must exist; when the run drops to another uid it must also be readable by others. */
function checkDataDir(hostPath: string, isolated: boolean): void {
  let st;
  try {
    st = statSync(hostPath);
  } catch {
    throw new SandboxError(`local sandbox: dataDir.hostPath ${hostPath} does not exist; pass an existing folder.`);
  }
  if (!st.isDirectory()) throw new SandboxError(`local sandbox: dataDir.hostPath ${hostPath} is not a folder.`);
  if (isolated && process.getuid?.() === 0 && (st.mode & 0o005) !== 0o005) {
    throw new SandboxError(
      `local sandbox: dataDir.hostPath ${hostPath} is not readable by other users (mode ${(st.mode & 0o777).toString(8)}); ` +
        'the sandbox runs as an unprivileged uid, so make it readable: chmod -R o+rX DIR.',
    );
  }
}
