/**
 * The code-execution sandbox interface shared by the local (bubblewrap) and Docker implementations.
 *
 * A sandbox runs one command over a fresh working directory holding `files`, under resource limits,
 * and returns what happened as data: a crashing, looping or hostile script never makes `run` throw.
 * `run` throws only when the sandbox itself cannot work (missing bubblewrap, unreachable Docker daemon,
 * bad arguments) — those are `SandboxError`/`ConfigError`s the caller must fix.
 */

/** Resource limits for one run. Every field is optional; defaults are in `limits.ts` (`DEFAULT_LIMITS`). */
export interface SandboxLimits {
  /** Wall-clock limit in seconds (default 300: the MLE-bench 5-minute rule). */
  wallSeconds?: number;
  /** CPU-time limit in seconds (RLIMIT_CPU / `--ulimit cpu`); default: same as wallSeconds. */
  cpuSeconds?: number;
  /** Memory limit in MiB for the whole run (cgroup memory or RLIMIT_AS fallback); default 2048. */
  memoryMb?: number;
  /** Maximum number of processes/threads alive at once (locally this counts bubblewrap's 2 helpers); default 64. */
  maxProcesses?: number;
  /** Bytes of stdout and of stderr kept, each (the rest is discarded and `outputTruncated` set); default 1 MiB. */
  maxOutputBytes?: number;
  /** Largest file the script may write (RLIMIT_FSIZE); default 512 MiB. */
  maxFileBytes?: number;
  /**
   * Disk quota of the run: bytes in its working dir and /tmp (locally one quota for both, in
   * Docker one each). Both are memory-backed (tmpfs), so what is stored there also counts against
   * `memoryMb`; default 1 GiB.
   */
  maxDiskBytes?: number;
  /** Files and folders the run may create in its working dir and /tmp (an inode quota, shared or each as above); default 16384. */
  maxFiles?: number;
  /** Largest output file handed back by `collect` (a larger one is listed in `refused`); default 64 MiB. */
  maxCollectBytes?: number;
}

/** One input file placed in the working directory before the command starts. */
export interface SandboxFile {
  /** Path relative to the working dir; must not be absolute or contain `..`. */
  path: string;
  content: string | Uint8Array;
}

/** Per-run options beyond files and limits. */
export interface SandboxRunOptions {
  /** A host directory mounted read-only inside the sandbox; its in-sandbox path is exported as `env`. */
  dataDir?: { hostPath: string; env: string /* e.g. PUBLIC_RESOURCE_PATH */ };
  /** Extra environment variables for the command (the environment is otherwise minimal). */
  env?: Record<string, string>;
  /** Relative paths of output files to return, e.g. ['submission.csv']; missing ones are simply absent from `files`. */
  collect?: string[];
  /** Abort the run early (the process group / container is killed; the result has `aborted: true`). */
  signal?: AbortSignal;
}

/** What happened in one run. */
export interface SandboxResult {
  /**
   * Exit status as the sandbox's runner reported it, or null when the host killed the run's runner
   * itself. A status above 128 may be a signal (128+N) or the script's own `exit(N)`: the sandbox
   * cannot tell them apart, so it never reads one as a cause (see `classify.ts`).
   */
  exitCode: number | null;
  /** Name of a signal the host itself saw kill the run's runner (e.g. 'SIGKILL'), when there was one. */
  signal?: string;
  stdout: string;
  stderr: string;
  /** The collected output files that existed (and were regular files) after the run. */
  files: Record<string, Uint8Array>;
  /** Collected paths that existed but were not returned, with the reason (a link, a folder, larger than `maxCollectBytes`). */
  refused?: Record<string, string>;
  /** Killed because the wall-clock limit passed. */
  timedOut: boolean;
  /** Killed by the out-of-memory killer (the run's memory cgroup or the Docker daemon says so; never guessed from output). */
  oom: boolean;
  /** stdout or stderr exceeded `maxOutputBytes` and was cut. */
  outputTruncated: boolean;
  wallMs: number;
  /** Killed at the CPU-time limit: the run's accounted CPU time reached it (cgroup accounting; false where it cannot be measured). */
  cpuLimited?: boolean;
  /** The run was aborted through `SandboxRunOptions.signal`. */
  aborted?: boolean;
  /** Killed because stdout or stderr kept flooding far past `maxOutputBytes` (see `FLOOD_FACTOR`). */
  outputFlood?: boolean;
  /** The process limit was reached at some point (the pids cgroup counted a failed fork); the run may still have succeeded. */
  processLimitHit?: boolean;
  /** CPU time used by the whole run in ms, where the sandbox can measure it. */
  cpuMs?: number;
  /** The limits that were in force (defaults filled in), so messages can quote them. */
  limits?: Required<SandboxLimits>;
}

/** A place to run untrusted code. */
export interface Sandbox {
  readonly kind: 'local' | 'docker';
  /**
   * Runs `command` in a fresh working dir holding `files`. When it resolves, no process of the run is
   * left (killed through its cgroups, its own uid, or its container), so nothing it started can
   * still write the collected files or outlive the call. (Local without root and without cgroups
   * relies on the kernel tearing down the pid namespace, which finishes a moment later.)
   */
  run(files: SandboxFile[], command: string[], limits?: SandboxLimits, opts?: SandboxRunOptions): Promise<SandboxResult>;
  /** Releases held resources (Docker connections, temp dirs); runs in flight are killed. Idempotent. */
  close(): Promise<void>;
}
