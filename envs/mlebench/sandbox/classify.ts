/**
 * The one place where what a sandbox observed becomes a `SandboxResult`, shared by the local and
 * Docker sandboxes so both call the same things by the same names.
 *
 * Every cause comes from the sandbox's own status, never from the payload's output or exit code:
 * the wall timer, the abort signal and the output flood are the host's own flags; out-of-memory,
 * the process limit and CPU time come from the run's cgroups (or the Docker daemon's record of
 * them). An exit status above 128 is reported as an exit status: a script can `sys.exit(137)` as
 * easily as be killed by SIGKILL, so it proves nothing.
 */
import type { ResolvedLimits } from './limits.js';
import type { BoundedOutput } from './output.js';
import type { SandboxResult } from './types.js';

/** What the sandbox saw of one run, each field from its own bookkeeping. */
export interface RunObservation {
  /** The exit status the sandbox's runner reported for the command (may be 128+N either way), or null when the runner itself was killed. */
  exitStatus: number | null;
  /** A signal the host saw kill its own child process directly (only ever the host's own kill); timer, abort and flood kills imply SIGKILL. */
  hostSignal?: string;
  timedOut: boolean;
  aborted: boolean;
  outputFlood: boolean;
  /** Processes of the run were killed by the out-of-memory killer (cgroup / daemon record); undefined when unknown. */
  oomKilled: boolean | undefined;
  /** A fork failed at the process limit (cgroup pids.events); undefined when unknown. */
  pidsLimitHit: boolean | undefined;
  /** CPU time of the whole run (cgroup accounting); undefined when unknown. */
  cpuMs: number | undefined;
  wallMs: number;
  stdout: BoundedOutput;
  stderr: BoundedOutput;
  files: Record<string, Uint8Array>;
  /** Collected paths that existed but were not returned, with why. */
  refused: Record<string, string>;
  limits: ResolvedLimits;
}

/**
 * A run is charged with the CPU limit when its accounted CPU time reached this share of it.
 * RLIMIT_CPU counts scheduler ticks, the cgroup the exact time, and under load they differ a lot:
 * a CI run was killed at a 1 s limit with 728 ms in its cgroup. Half the limit still keeps a
 * script that exits 152 by itself, having barely run, from being described as CPU-limited.
 */
const CPU_LIMIT_SHARE = 0.5;

/** Turns an observation into the result both sandboxes return. */
export function classifyRun(o: RunObservation): SandboxResult {
  const oom = o.oomKilled === true;
  // The host's own kills (timer, abort, flood): the run ended because the host killed it.
  const hostKilled = o.timedOut || o.aborted || o.outputFlood;
  const signal = o.hostSignal ?? (hostKilled ? 'SIGKILL' : undefined);
  const cpuLimited =
    !o.timedOut && !oom && !o.aborted && !o.outputFlood && o.exitStatus !== 0 && o.cpuMs !== undefined && o.cpuMs >= o.limits.cpuSeconds * 1000 * CPU_LIMIT_SHARE;
  const result: SandboxResult = {
    exitCode: signal === undefined ? o.exitStatus : null,
    stdout: o.stdout.text(),
    stderr: o.stderr.text(),
    files: o.files,
    timedOut: o.timedOut,
    oom,
    outputTruncated: o.stdout.truncated || o.stderr.truncated,
    wallMs: o.wallMs,
    cpuLimited,
    aborted: o.aborted,
    outputFlood: o.outputFlood,
    processLimitHit: o.pidsLimitHit === true,
    limits: o.limits,
  };
  if (signal !== undefined) result.signal = signal;
  if (o.cpuMs !== undefined) result.cpuMs = o.cpuMs;
  if (Object.keys(o.refused).length > 0) result.refused = o.refused;
  return result;
}
