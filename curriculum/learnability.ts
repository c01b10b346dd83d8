/**
 * Learnability (paper §4): the variance of a GRPO group's qualities after rescaling them to
 * [0, 1]. For binary outcomes with success rate p it is p(1 − p): 0 for tasks always or never
 * solved, 0.25 for a coin flip, the tasks the policy can learn most from. Always in [0, 0.25].
 */
import { ConfigError } from '../core/errors.js';

/** The largest learnability any group can have (qualities 0 and 1 in equal numbers). */
export const MAX_LEARNABILITY = 0.25;

/**
 * Population variance of the group's qualities rescaled from `range` to [0, 1] (values outside
 * the range are clipped). `null` members (infrastructure failures: no quality) are dropped; a
 * group with no scored member has no score (`null`), a group with one has 0.
 *
 * @example learnability([1, 0, 0, 1])            // 0.25
 * @example learnability([1, 0, 0, 0])            // 0.1875 (= p(1 − p), p = 1/4)
 * @example learnability([1, null, 0])            // 0.25
 * @example learnability([2, 4], [0, 4])          // 0.0625 (qualities 0.5 and 1)
 */
export function learnability(qualities: readonly (number | null)[], range: readonly [number, number] = [0, 1]): number | null {
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
    throw new ConfigError(`learnability: quality range must be [lo, hi] with finite lo < hi; got [${lo}, ${hi}].`);
  }
  const xs: number[] = [];
  for (const [i, q] of qualities.entries()) {
    if (q === null) continue;
    if (!Number.isFinite(q)) {
      throw new ConfigError(`learnability: quality ${i} is ${q}; report an unscorable rollout as null, never NaN.`);
    }
    xs.push(Math.min(1, Math.max(0, (q - lo) / (hi - lo))));
  }
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
  // Rounding can push a true 0.25 a hair above; the buffer relies on S ≤ 0.25.
  return Math.min(MAX_LEARNABILITY, variance);
}
