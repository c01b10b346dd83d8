/**
 * Default limits and their validation. Both sandboxes resolve limits here, so a run means the same
 * thing locally and in Docker, and every limit is checked once, at the boundary.
 */
import { ConfigError } from '../../../core/errors.js';
import type { SandboxLimits } from './types.js';

/** The limits used for any field a caller leaves out. */
export const DEFAULT_LIMITS: Readonly<Required<SandboxLimits>> = Object.freeze({
  // The MLE-bench rule: a solution gets five minutes of wall-clock time.
  wallSeconds: 300,
  // Same as the wall limit: BLAS threads are pinned to 1 (see env.ts), so CPU time tracks wall time.
  cpuSeconds: 300,
  memoryMb: 2048,
  maxProcesses: 64,
  maxOutputBytes: 1024 * 1024,
  maxFileBytes: 512 * 1024 * 1024,
  maxDiskBytes: 1024 * 1024 * 1024,
  maxFiles: 16384,
  // The largest real submission (jigsaw, 153k rows x 7 columns) is about 12 MB.
  maxCollectBytes: 64 * 1024 * 1024,
});

/** Resolved limits: every field present and checked. */
export type ResolvedLimits = Required<SandboxLimits>;

// Bounds that keep a typo (ms instead of s, bytes instead of MB) from becoming a useless sandbox.
const BOUNDS: Record<keyof SandboxLimits, { min: number; max: number; unit: string; integer: boolean }> = {
  wallSeconds: { min: 0.1, max: 24 * 3600, unit: 's', integer: false },
  cpuSeconds: { min: 1, max: 24 * 3600, unit: 's', integer: true },
  memoryMb: { min: 16, max: 1024 * 1024, unit: 'MiB', integer: true },
  // Python alone needs a few processes/threads; fewer than 4 cannot even start an interpreter reliably.
  maxProcesses: { min: 4, max: 100_000, unit: 'processes', integer: true },
  maxOutputBytes: { min: 256, max: 1024 ** 3, unit: 'bytes', integer: true },
  maxFileBytes: { min: 1024, max: 1024 ** 4, unit: 'bytes', integer: true },
  maxDiskBytes: { min: 1024 * 1024, max: 1024 ** 4, unit: 'bytes', integer: true },
  maxFiles: { min: 64, max: 10_000_000, unit: 'files', integer: true },
  // A collected file is read into memory and parsed on the host: 1 GiB is far past any real submission.
  maxCollectBytes: { min: 1024, max: 1024 ** 3, unit: 'bytes', integer: true },
};

/**
 * Fills in defaults and rejects values outside sane bounds with a message naming the field.
 * When `wallSeconds` is given but `cpuSeconds` is not, the CPU limit follows the wall limit
 * (rounded up to whole seconds, as RLIMIT_CPU counts whole seconds).
 *
 * @example
 * resolveLimits({ wallSeconds: 5, memoryMb: 256 }).cpuSeconds // 5
 */
export function resolveLimits(limits: SandboxLimits = {}, defaults: Required<SandboxLimits> = DEFAULT_LIMITS): ResolvedLimits {
  const out: ResolvedLimits = { ...defaults };
  for (const key of Object.keys(BOUNDS) as (keyof SandboxLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    const b = BOUNDS[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < b.min || value > b.max || (b.integer && !Number.isInteger(value))) {
      throw new ConfigError(
        `sandbox limits.${key} = ${String(value)} is invalid; use ${b.integer ? 'an integer' : 'a number'} from ${b.min} to ${b.max} (${b.unit}).`,
      );
    }
    out[key] = value;
  }
  if (limits.cpuSeconds === undefined && limits.wallSeconds !== undefined) {
    out.cpuSeconds = Math.max(BOUNDS.cpuSeconds.min, Math.ceil(out.wallSeconds));
  }
  return out;
}
