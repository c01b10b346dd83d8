/**
 * The Docker sandbox, through dockerode: one container per run on a read-only root filesystem as
 * `nobody`, with no network (`NetworkMode: none`), dropped capabilities, memory/swap, process, CPU
 * and file-size limits, its working dir an anonymous volume that is removed with the container.
 * Files travel as tar archives through the API (never host bind mounts), so the daemon may be on
 * another machine (DOCKER_HOST) or one of a pool (EXITGYM_DOCKER_HOSTS); only `dataDir` is a bind
 * mount and must exist on the daemon's machine.
 */
import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import Docker from 'dockerode';
import { ConfigError, SandboxError } from '../../../core/errors.js';
import { err, ok, type Result } from '../../../core/result.js';
import { dockerConnection, dockerHosts, pickHost } from './docker-host.js';
import { checkCommand, SANDBOX_DATADIR, SANDBOX_WORKDIR, sandboxEnv } from './env.js';
import { DEFAULT_LIMITS, resolveLimits, type ResolvedLimits } from './limits.js';
import { BoundedOutput } from './output.js';
import { packTar, unpackTar } from './tar.js';
import type { Sandbox, SandboxFile, SandboxLimits, SandboxResult, SandboxRunOptions } from './types.js';
import { checkRelativePath } from './workdir.js';

/** The image `scripts/build-python-image.sh` builds. */
export const DEFAULT_IMAGE = 'exitgym-python:bookworm';

/** Options of the Docker sandbox. */
export interface DockerSandboxOptions {
  /** Image with Debian's python3 stack and a /workspace owned by 65534; default `exitgym-python:bookworm`. */
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
  imageChecked: boolean;
}

const SIGNALS: Record<number, string> = { 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM', 24: 'SIGXCPU', 25: 'SIGXFSZ', 13: 'SIGPIPE', 8: 'SIGFPE', 7: 'SIGBUS', 4: 'SIGILL' };

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

function isUnreachable(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH';
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
    this.defaults = resolveLimits(options.defaults ?? {}, DEFAULT_LIMITS);
    this.hosts = dockerHosts(options.hosts).map((address) => ({ address, docker: new Docker(dockerConnection(address)), inFlight: 0, imageChecked: false }));
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
      return await this.runOn(host, inputs, command, lim, opts, env, collect);
    } finally {
      host.inFlight--;
    }
  }

  private async create(host: Host, command: string[], lim: ResolvedLimits, opts: SandboxRunOptions, env: Record<string, string>): Promise<Docker.Container> {
    const memory = lim.memoryMb * 1024 * 1024;
    try {
      return await host.docker.createContainer({
        Image: this.image,
        Cmd: command,
        WorkingDir: SANDBOX_WORKDIR,
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        User: this.user,
        Hostname: 'sandbox',
        NetworkDisabled: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        OpenStdin: false,
        Volumes: { [SANDBOX_WORKDIR]: {} },
        Labels: { 'exitgym.sandbox': '1' },
        HostConfig: {
          NetworkMode: 'none',
          ReadonlyRootfs: true,
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          Memory: memory,
          // Equal to Memory: no swap, so a memory hog is killed rather than slowed down.
          MemorySwap: memory,
          PidsLimit: lim.maxProcesses,
          NanoCpus: Math.round(this.cpus * 1e9),
          Ulimits: [
            { Name: 'cpu', Soft: lim.cpuSeconds, Hard: lim.cpuSeconds + 1 },
            { Name: 'fsize', Soft: lim.maxFileBytes, Hard: lim.maxFileBytes },
            { Name: 'core', Soft: 0, Hard: 0 },
            { Name: 'nofile', Soft: 1024, Hard: 1024 },
          ],
          Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${memory}`, '/dev/shm': `rw,nosuid,nodev,size=${Math.min(memory, 64 * 1024 * 1024)}` },
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

  private async runOn(host: Host, inputs: { path: string; content: Uint8Array }[], command: string[], lim: ResolvedLimits, opts: SandboxRunOptions, env: Record<string, string>, collect: string[]): Promise<SandboxResult> {
    const container = await this.create(host, command, lim, opts, env);
    let timedOut = false;
    let aborted = false;
    let outputFlood = false;
    let exited = false;
    const kill = (): void => {
      if (exited) return;
      // 409/404: it already stopped; nothing to do.
      container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
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
      if (inputs.length > 0) await container.putArchive(packTar(inputs), { path: SANDBOX_WORKDIR });
      const stdout = new BoundedOutput(lim.maxOutputBytes);
      const stderr = new BoundedOutput(lim.maxOutputBytes);
      const sink = (out: BoundedOutput): Writable =>
        new Writable({
          write(chunk: Buffer, _enc, done) {
            out.push(chunk);
            if (out.flooded && !outputFlood) {
              outputFlood = true;
              kill();
            }
            done();
          },
        });
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const streamEnded = new Promise<void>((resolve) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', () => resolve());
      });
      container.modem.demuxStream(stream, sink(stdout), sink(stderr));
      this.inFlight.add(running);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const started = performance.now();
      await container.start();
      timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, lim.wallSeconds * 1000);
      if (opts.signal?.aborted) onAbort();
      const waited = (await container.wait()) as { StatusCode: number };
      exited = true;
      const wallMs = Math.round(performance.now() - started);
      clearTimeout(timer);
      // The attach stream can deliver its last bytes after wait() returns.
      await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 500))]);
      const info = await container.inspect();
      const oom = info.State.OOMKilled === true;
      let exitCode: number | null = waited.StatusCode;
      let signal: string | undefined;
      // Docker reports a process killed by signal N as 128+N, like a shell.
      if (exitCode > 128 && exitCode < 128 + 65) {
        signal = SIGNALS[exitCode - 128] ?? `signal ${exitCode - 128}`;
        exitCode = null;
      }
      const errText = stderr.text();
      const cpuLimited = !timedOut && !oom && !aborted && !outputFlood && (signal === 'SIGXCPU' || (signal === 'SIGKILL' && wallMs >= lim.cpuSeconds * 1000 * 0.95));
      const result: SandboxResult = {
        exitCode,
        stdout: stdout.text(),
        stderr: errText,
        files: await this.collect(container, collect, lim.maxFileBytes),
        timedOut,
        oom,
        outputTruncated: stdout.truncated || stderr.truncated,
        wallMs,
        cpuLimited,
        aborted,
        outputFlood,
        processLimitHit: /fork: Resource temporarily unavailable|BlockingIOError: \[Errno 11\]|can't start new thread/.test(errText),
        limits: lim,
      };
      if (signal !== undefined) result.signal = signal;
      return result;
    } catch (e) {
      if (e instanceof SandboxError || e instanceof ConfigError) throw e;
      throw new SandboxError(`docker sandbox: run on ${host.address} failed: ${errorText(e)}`, { cause: e });
    } finally {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      this.inFlight.delete(running);
      await container.remove({ force: true, v: true }).catch(() => undefined);
    }
  }

  /** Fetches each requested regular file; links and folders are refused, as in the local sandbox. */
  private async collect(container: Docker.Container, paths: string[], maxBytes: number): Promise<Record<string, Uint8Array>> {
    const out: Record<string, Uint8Array> = {};
    for (const rel of paths) {
      // Docker resolves links inside the container; refusing them keeps both sandboxes alike.
      if (!(await this.noLinksOnPath(container, rel))) continue;
      let stream: NodeJS.ReadableStream;
      try {
        stream = await container.getArchive({ path: `${SANDBOX_WORKDIR}/${rel}` });
      } catch {
        continue;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      let tooBig = false;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        // Archive overhead is a few blocks; anything far past the limit is refused without buffering it.
        if (total > maxBytes + 64 * 1024) {
          tooBig = true;
          break;
        }
        chunks.push(chunk);
      }
      if (tooBig) {
        (stream as unknown as { destroy?: () => void }).destroy?.();
        continue;
      }
      const entries = unpackTar(Buffer.concat(chunks));
      const first = entries[0];
      if (first && first.type === 'file' && first.content && first.size <= maxBytes) out[rel] = new Uint8Array(first.content);
    }
    return out;
  }

  /** True when no component of `rel` under the working dir is a symbolic link (and all exist). */
  private async noLinksOnPath(container: Docker.Container, rel: string): Promise<boolean> {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      try {
        const res = (await container.infoArchive({ path: `${SANDBOX_WORKDIR}/${parts.slice(0, i).join('/')}` })) as unknown as IncomingMessage;
        res.resume();
        const header = res.headers['x-docker-container-path-stat'];
        if (typeof header !== 'string') return false;
        const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { linkTarget?: string };
        if (stat.linkTarget) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.inFlight) r.kill();
  }
}
