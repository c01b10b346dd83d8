/**
 * The Docker sandbox, through dockerode: one container per run on a read-only root filesystem,
 * the run's processes as `nobody` with no capabilities (the container keeps only SETUID, SETGID
 * and KILL, for the supervisor below), no network (`NetworkMode: none`), a seccomp profile (no new
 * namespaces, no io_uring; see seccomp.ts), memory/swap, process, CPU and file-size limits, and
 * its working dir and /tmp on size- and inode-capped tmpfs mounts (charged to its memory).
 *
 * The container's first process only sleeps (as pid 1 of its namespace it cannot be killed from
 * inside); inputs, the command, the clean-up and the collection of outputs are `exec`s in it, so
 * the tmpfs working dir is still there when the outputs are read. The command runs under a root
 * supervisor that drops to `nobody` and kills every other process of the run the moment the
 * command exits, so nothing the run left behind writes outputs while the host catches up. Files travel through the API
 * (never host bind mounts), so the daemon may be on another machine (DOCKER_HOST) or one of a pool
 * (EXITGYM_DOCKER_HOSTS); only `dataDir` is a bind mount and must exist on the daemon's machine.
 * Containers are labelled with their owner process, and a start-up sweep removes those of dead owners.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import Docker from 'dockerode';
import { ConfigError, SandboxError } from '../../../core/errors.js';
import { err, ok, type Result } from '../../../core/result.js';
import { classifyRun, type RunObservation } from './classify.js';
import { dockerConnection, dockerHosts, pickHost } from './docker-host.js';
import { checkCommand, SANDBOX_DATADIR, SANDBOX_WORKDIR, sandboxEnv } from './env.js';
import { DEFAULT_LIMITS, resolveLimits, type ResolvedLimits } from './limits.js';
import { BoundedOutput } from './output.js';
import { currentOwner, OWNER_HOST, ownerAlive } from './owner.js';
import { dockerSeccompProfile } from './seccomp.js';
import { COLLECT_PY, KILL_ALL_SH, supervised, SUPERVISOR_CAPS } from './docker-scripts.js';
import { packTar } from './tar.js';
import type { Sandbox, SandboxFile, SandboxLimits, SandboxResult, SandboxRunOptions } from './types.js';
import { checkRelativePath, tooLarge } from './workdir.js';

/** Label on every sandbox container; the owner labels below let a sweep judge leftovers. */
export const SANDBOX_LABEL = 'exitgym.sandbox';
const OWNER_PID = 'exitgym.owner.pid';
const OWNER_START = 'exitgym.owner.start';
const OWNER_HOST_LABEL = 'exitgym.owner.host';

/** The image `scripts/build-python-image.sh` builds. */
export const DEFAULT_IMAGE = 'exitgym-python:bookworm';

/** Options of the Docker sandbox. */
export interface DockerSandboxOptions {
  /** Image with Debian's python3 stack, util-linux's `setpriv` and a /workspace owned by 65534; default `exitgym-python:bookworm`. */
  image?: string;
  /** Daemon addresses (a pool); default EXITGYM_DOCKER_HOSTS, else DOCKER_HOST, else /run/exitgym-docker.sock if present, else /var/run/docker.sock. */
  hosts?: string[];
  /** CPUs per run (Docker NanoCpus); default 1. 0 leaves CPU unlimited. */
  cpus?: number;
  /** Limits for fields a run leaves out; default `DEFAULT_LIMITS`. */
  defaults?: SandboxLimits;
  /** User in the container; default `65534:65534` (nobody). */
  user?: string;
}

interface Host {
  address: string;
  docker: Docker;
  inFlight: number;
  /** The once-per-daemon check that the image has the supervisor's `setpriv`. */
  supervisor?: Promise<void>;
  /** The start-up sweep of this daemon (once per sandbox). */
  swept?: Promise<number>;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

function isUnreachable(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH';
}

/** A bounded byte sink for an exec's output. */
function sinkTo(out: BoundedOutput, onFlood?: () => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk);
      if (onFlood && out.flooded) onFlood();
      done();
    },
  });
}

/** Resolves when a stream has ended, closed or failed. */
function ended(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
  });
}

/**
 * An exec's exit code once it has stopped: its output stream can close a moment before the daemon
 * records the exit (through a proxy, right after stdin's end), so this waits for it (up to ~5 s).
 */
async function exitOf(exec: Docker.Exec): Promise<number | null> {
  return (await stopped(exec)).ExitCode;
}

/** The exec's state once it has stopped, or after ~5 s of running (then `Running` is still true). */
async function stopped(exec: Docker.Exec): Promise<{ Running: boolean; ExitCode: number | null }> {
  for (let i = 0; ; i++) {
    const info = (await exec.inspect()) as { Running: boolean; ExitCode: number | null };
    if (!info.Running || i >= 100) return info;
    await sleep(50);
  }
}

/** Docker sandbox; see the module comment. */
export class DockerSandbox implements Sandbox {
  readonly kind = 'docker' as const;
  readonly image: string;
  private readonly hosts: Host[];
  private readonly defaults: ResolvedLimits;
  private readonly cpus: number;
  private readonly user: string;
  private readonly inFlight = new Set<{ kill(): void }>();
  private cursor = 0;
  private closed = false;

  constructor(options: DockerSandboxOptions = {}) {
    this.image = options.image ?? DEFAULT_IMAGE;
    this.cpus = options.cpus ?? 1;
    if (!Number.isFinite(this.cpus) || this.cpus < 0 || this.cpus > 1024) {
      throw new ConfigError(`docker sandbox: cpus = ${String(options.cpus)} is invalid; use a number from 0 (unlimited) to 1024.`);
    }
    this.user = options.user ?? '65534:65534';
    if (!/^\d+:\d+$/.test(this.user)) throw new ConfigError(`docker sandbox: user = ${JSON.stringify(this.user)} must be numeric "uid:gid", e.g. "65534:65534".`);
    this.defaults = resolveLimits(options.defaults ?? {}, DEFAULT_LIMITS);
    this.hosts = dockerHosts(options.hosts).map((address) => ({ address, docker: new Docker(dockerConnection(address)), inFlight: 0 }));
  }

  /** The daemon addresses in the pool. */
  get addresses(): string[] {
    return this.hosts.map((h) => h.address);
  }

  /** Checks that every daemon answers and has the image; `reason` says what is missing and how to fix it. */
  async probe(): Promise<Result<true, string>> {
    for (const h of this.hosts) {
      try {
        await h.docker.ping();
      } catch (e) {
        return err(`Docker daemon at ${h.address} is not reachable (${errorText(e)}); start it (scripts/docker-daemon.sh start) and set DOCKER_HOST`);
      }
      try {
        await h.docker.getImage(this.image).inspect();
      } catch {
        return err(`image ${this.image} is missing on ${h.address}; build it with scripts/build-python-image.sh`);
      }
    }
    return ok(true);
  }

  async run(files: SandboxFile[], command: string[], limits: SandboxLimits = {}, opts: SandboxRunOptions = {}): Promise<SandboxResult> {
    if (this.closed) throw new SandboxError('docker sandbox: run() called after close(); create a new sandbox.');
    checkCommand(command);
    const lim = resolveLimits(limits, this.defaults);
    const env = sandboxEnv(opts);
    const inputs = files.map((f, i) => ({
      path: checkRelativePath(f.path, `sandbox files[${i}].path`),
      content: typeof f.content === 'string' ? Buffer.from(f.content) : f.content,
    }));
    const collect = (opts.collect ?? []).map((p, i) => checkRelativePath(p, `sandbox collect[${i}]`));
    const i = pickHost(
      this.hosts.map((h) => h.inFlight),
      this.cursor++,
    );
    const host = this.hosts[i] as Host;
    host.inFlight++;
    try {
      host.swept ??= sweepContainers(host.docker).catch(() => 0);
      await host.swept;
      return await this.runOn(host, inputs, command, lim, opts, env, collect);
    } finally {
      host.inFlight--;
    }
  }

  private async create(host: Host, lim: ResolvedLimits, opts: SandboxRunOptions): Promise<Docker.Container> {
    const memory = lim.memoryMb * 1024 * 1024;
    const [uid, gid] = this.user.split(':');
    const owner = currentOwner();
    const tmpfs = `rw,nosuid,nodev,size=${lim.maxDiskBytes},nr_inodes=${lim.maxFiles},uid=${uid},gid=${gid},mode=0700`;
    try {
      return await host.docker.createContainer({
        Image: this.image,
        // pid 1 of the container's namespace: signals from inside cannot kill it.
        Cmd: ['/bin/sleep', 'infinity'],
        WorkingDir: '/',
        // Root, so that execs as root (the supervisor) keep the added capabilities; only the
        // sleeping pid 1 and the supervisor run as root, everything of the run as `user`.
        User: '0:0',
        Hostname: 'sandbox',
        NetworkDisabled: true,
        Tty: false,
        OpenStdin: false,
        Labels: { [SANDBOX_LABEL]: '1', [OWNER_PID]: String(owner.pid), [OWNER_START]: String(owner.start), [OWNER_HOST_LABEL]: OWNER_HOST },
        HostConfig: {
          NetworkMode: 'none',
          ReadonlyRootfs: true,
          CapDrop: ['ALL'],
          // Held by the root supervisor only: processes under the run's uid have none (no-new-privileges).
          CapAdd: SUPERVISOR_CAPS,
          SecurityOpt: ['no-new-privileges', `seccomp=${dockerSeccompProfile()}`],
          Memory: memory,
          // Equal to Memory: no swap, so a memory hog is killed rather than slowed down.
          MemorySwap: memory,
          // +1 for the supervisor, so the run itself gets the processes its limits name.
          PidsLimit: lim.maxProcesses + 1,
          NanoCpus: Math.round(this.cpus * 1e9),
          Ulimits: [
            { Name: 'cpu', Soft: lim.cpuSeconds, Hard: lim.cpuSeconds + 1 },
            { Name: 'fsize', Soft: lim.maxFileBytes, Hard: lim.maxFileBytes },
            { Name: 'core', Soft: 0, Hard: 0 },
            { Name: 'nofile', Soft: 1024, Hard: 1024 },
          ],
          Tmpfs: { [SANDBOX_WORKDIR]: tmpfs, '/tmp': tmpfs, '/dev/shm': `rw,nosuid,nodev,size=${Math.min(memory, lim.maxDiskBytes, 64 * 1024 * 1024)}` },
          Binds: opts.dataDir ? [`${opts.dataDir.hostPath}:${SANDBOX_DATADIR}:ro`] : [],
          // Output is streamed through attach into bounded buffers; a log driver would store all of it on disk.
          LogConfig: { Type: 'none', Config: {} },
        },
      });
    } catch (e) {
      if (isUnreachable(e)) {
        throw new SandboxError(`docker sandbox: the daemon at ${host.address} is not reachable (${errorText(e)}); start it (scripts/docker-daemon.sh start) and set DOCKER_HOST.`, { cause: e });
      }
      if ((e as { statusCode?: number }).statusCode === 404) {
        throw new SandboxError(`docker sandbox: image ${this.image} is not on ${host.address}; build it with scripts/build-python-image.sh (DOCKER_HOST=${host.address}).`, { cause: e });
      }
      throw new SandboxError(`docker sandbox: could not create a container on ${host.address}: ${errorText(e)}`, { cause: e });
    }
  }

  /**
   * Once per daemon: the supervisor needs `setpriv` (util-linux, in every Debian and Ubuntu image)
   * in the image; without it every run would fail as if the solution had, so this is a set-up error.
   */
  private checkSupervisor(host: Host, container: Docker.Container): Promise<void> {
    return this.helper(container, ['setpriv', '--version'], 1024).then(
      (r) => {
        if (r.code !== 0) {
          host.supervisor = undefined;
          throw new SandboxError(`docker sandbox: image ${this.image} on ${host.address} has no working setpriv (exit ${String(r.code)}: ${r.stderr.text().trim() || 'no message'}); the sandbox runs each command under it. Install util-linux in the image (scripts/build-python-image.sh builds one that has it).`);
        }
      },
      (e: unknown) => {
        host.supervisor = undefined;
        throw e;
      },
    );
  }

  /** Runs a helper exec as the run's user and returns its exit code, its stdout's first `maxBytes` bytes (exact) and its stderr. */
  private async helper(container: Docker.Container, cmd: string[], maxBytes: number, stdin?: Buffer): Promise<{ code: number | null; stdout: { bytes: Buffer; truncated: boolean }; stderr: BoundedOutput }> {
    const exec = await container.exec({ Cmd: cmd, User: this.user, WorkingDir: '/', AttachStdin: stdin !== undefined, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = (await exec.start({ hijack: true, stdin: stdin !== undefined })) as Duplex;
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    const out = new Writable({
      write(chunk: Buffer, _enc, next) {
        const take = Math.min(chunk.length, maxBytes - kept);
        if (take > 0) chunks.push(Buffer.from(chunk.subarray(0, take)));
        kept += take;
        if (take < chunk.length) truncated = true;
        next();
      },
    });
    const stderr = new BoundedOutput(4096);
    const done = ended(stream);
    container.modem.demuxStream(stream, out, sinkTo(stderr));
    if (stdin !== undefined) stream.end(stdin);
    await done;
    return { code: await exitOf(exec), stdout: { bytes: Buffer.concat(chunks), truncated }, stderr };
  }

  private async runOn(host: Host, inputs: { path: string; content: Uint8Array }[], command: string[], lim: ResolvedLimits, opts: SandboxRunOptions, env: Record<string, string>, collect: string[]): Promise<SandboxResult> {
    const container = await this.create(host, lim, opts);
    let timedOut = false;
    let aborted = false;
    let outputFlood = false;
    let finished = false;
    let stopping: Promise<void> | undefined;
    let main: Docker.Exec | undefined;
    // Kills every process of the run, keeping the container (and its tmpfs) for the collection;
    // when that cannot start (the process limit is full), the container goes. The helper may
    // itself be killed (137) by the supervisor's kill at the command's end, which leaves nothing
    // of the run alive: that is a success once the supervisor has ended, and only then.
    const stop = (): Promise<void> => {
      stopping ??= this.helper(container, ['/bin/sh', '-c', KILL_ALL_SH], 1024)
        .then(async (r) => {
          if (r.code === 0) return;
          if (r.code === 137 && main && !(await stopped(main)).Running) return;
          throw new Error('kill helper failed');
        })
        .catch(() => container.kill({ signal: 'SIGKILL' }).then(() => undefined, () => undefined));
      return stopping;
    };
    const kill = (): void => {
      if (!finished) void stop();
    };
    const running = {
      kill: () => {
        aborted = true;
        kill();
      },
    };
    const onAbort = (): void => running.kill();
    let timer: NodeJS.Timeout | undefined;
    try {
      await container.start();
      if (inputs.length > 0) {
        const put = await this.helper(container, ['tar', '-x', '--no-same-owner', '-C', SANDBOX_WORKDIR, '-f', '-'], 4096, packTar(inputs));
        if (put.code !== 0) throw new SandboxError(`docker sandbox: could not place the input files on ${host.address} (tar exit ${String(put.code)}: ${put.stderr.text().trim() || 'no message'}).`);
      }
      const stdout = new BoundedOutput(lim.maxOutputBytes);
      const stderr = new BoundedOutput(lim.maxOutputBytes);
      const onFlood = (): void => {
        if (!outputFlood) {
          outputFlood = true;
          kill();
        }
      };
      host.supervisor ??= this.checkSupervisor(host, container);
      await host.supervisor;
      // As root under the supervisor, which drops to the run's user (see docker-scripts.ts).
      const exec = (main = await container.exec({ Cmd: supervised(this.user, command), Env: Object.entries(env).map(([k, v]) => `${k}=${v}`), User: '0:0', WorkingDir: '/', AttachStdout: true, AttachStderr: true, Tty: false }));
      this.inFlight.add(running);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const started = performance.now();
      const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
      const done = ended(stream);
      container.modem.demuxStream(stream, sinkTo(stdout, onFlood), sinkTo(stderr, onFlood));
      timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, lim.wallSeconds * 1000);
      if (opts.signal?.aborted) onAbort();
      await done;
      const wallMs = Math.round(performance.now() - started);
      clearTimeout(timer);
      const exitStatus = await exitOf(exec);
      // Daemonised leftovers die before anything is read.
      await stop();
      finished = true;
      const stats = await this.usage(container);
      const { files, refused } = await this.collect(container, collect, lim.maxCollectBytes);
      // Docker records an out-of-memory kill anywhere in the container when it stops.
      await container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
      await container.wait().catch(() => undefined);
      const info = await container.inspect();
      const observed: RunObservation = {
        exitStatus,
        timedOut,
        aborted,
        outputFlood,
        oomKilled: info.State.OOMKilled === true,
        pidsLimitHit: stats.pidsLimitHit,
        cpuMs: stats.cpuMs,
        wallMs,
        stdout,
        stderr,
        files,
        refused,
        limits: lim,
      };
      return classifyRun(observed);
    } catch (e) {
      if (e instanceof SandboxError || e instanceof ConfigError) throw e;
      throw new SandboxError(`docker sandbox: run on ${host.address} failed: ${errorText(e)}`, { cause: e });
    } finally {
      finished = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      this.inFlight.delete(running);
      await container.remove({ force: true, v: true }).catch(() => undefined);
    }
  }

  /**
   * CPU time and process-limit hits of the container: from its cgroup files when the daemon is on
   * this machine (exact), else the CPU time from the stats API and the limit hits unknown.
   */
  private async usage(container: Docker.Container): Promise<{ cpuMs: number | undefined; pidsLimitHit: boolean | undefined }> {
    const cg = (c: string, f: string): string => `/sys/fs/cgroup/${c}/docker/${container.id}/${f}`;
    if (existsSync(cg('pids', 'pids.events'))) {
      const events = await readFile(cg('pids', 'pids.events'), 'utf8').catch(() => '');
      const usage = Number((await readFile(cg('cpuacct', 'cpuacct.usage'), 'utf8').catch(() => '')).trim());
      const hits = /^max\s+(\d+)/m.exec(events);
      return { cpuMs: Number.isFinite(usage) && usage > 0 ? Math.round(usage / 1e6) : undefined, pidsLimitHit: hits ? Number(hits[1]) > 0 : undefined };
    }
    try {
      const s = (await container.stats({ stream: false, 'one-shot': true } as unknown as { stream: false })) as { cpu_stats?: { cpu_usage?: { total_usage?: number } } };
      const ns = s.cpu_stats?.cpu_usage?.total_usage;
      return { cpuMs: typeof ns === 'number' ? Math.round(ns / 1e6) : undefined, pidsLimitHit: undefined };
    } catch {
      return { cpuMs: undefined, pidsLimitHit: undefined };
    }
  }

  /** Reads each requested regular file through a helper exec; links, folders and oversized files are refused, as in the local sandbox. */
  private async collect(container: Docker.Container, paths: string[], maxBytes: number): Promise<{ files: Record<string, Uint8Array>; refused: Record<string, string> }> {
    const files: Record<string, Uint8Array> = {};
    const refused: Record<string, string> = {};
    for (const rel of paths) {
      const r = await this.helper(container, ['/usr/bin/python3', '-I', '-S', '-c', COLLECT_PY, rel, String(maxBytes)], maxBytes).catch(() => undefined);
      if (!r || r.code === 3) continue;
      if (r.code === 4) refused[rel] = r.stderr.text().trim();
      else if (r.code === 5) refused[rel] = tooLarge(Number(r.stderr.text().trim()), maxBytes);
      else if (r.code === 0 && !r.stdout.truncated) files[rel] = new Uint8Array(r.stdout.bytes);
    }
    return { files, refused };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.inFlight) r.kill();
  }
}

/**
 * Removes the sandbox containers on a daemon whose owner process (on this machine) is gone; those
 * of live processes, and those made from other machines, are left alone. Returns how many went.
 */
export async function sweepContainers(docker: Docker): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`, `${OWNER_HOST_LABEL}=${OWNER_HOST}`] } });
  let removed = 0;
  for (const c of list) {
    const pid = Number(c.Labels[OWNER_PID]);
    const start = Number(c.Labels[OWNER_START]);
    if (!Number.isInteger(pid) || !Number.isFinite(start) || ownerAlive({ pid, start })) continue;
    await docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .then(() => removed++, () => undefined);
  }
  return removed;
}
