/**
 * The start-up sweep of `exitgym serve`: what killed earlier processes left behind — sandbox run
 * folders and cgroups, published data copies (the MLE-bench sandbox's own sweeps; a live
 * process's are never touched). Best effort: a failure is logged, never fatal.
 */
import { tmpdir } from 'node:os';

/** Sweeps stale sandbox leftovers under `base`; returns how many were removed. */
export async function sweepStaleSandboxes(base = tmpdir()): Promise<number> {
  const [{ sweepRunDirs }, { sweepCgroups }, { sweepPublished }] = await Promise.all([
    import('../envs/mlebench/sandbox/workdir.js'),
    import('../envs/mlebench/sandbox/cgroup.js'),
    import('../envs/mlebench/publish-data.js'),
  ]);
  const counts = await Promise.all([sweepRunDirs(base), sweepCgroups(), sweepPublished(base)]);
  return counts.reduce((a, b) => a + b, 0);
}
