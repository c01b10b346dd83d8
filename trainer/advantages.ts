/**
 * Group-relative advantages (GRPO, paper Eq. 3; Dr. GRPO's unscaled variant). Pure maths on plain
 * arrays: no tensors, no I/O.
 */
import { ConfigError } from '../core/errors.js';
import { assertNever } from '../core/result.js';

/**
 * How a group's centred rewards are scaled.
 * - `group`: divide by the group's standard deviation (GRPO, paper Eq. 3);
 * - `none`: keep `r − mean` (Dr. GRPO; its length bias is removed by the constant normaliser of the loss).
 */
export type AdvantageScaling = 'group' | 'none';

export interface AdvantageOptions {
  /** Default `group`. */
  scale?: AdvantageScaling;
  /**
   * A group whose standard deviation is at most this is treated as zero-variance (all advantages 0).
   * Guards against dividing float noise by float noise. Default 1e-8.
   */
  zeroVarianceTol?: number;
}

/**
 * The advantage of each member of one GRPO group.
 *
 * Rules: `null` rewards (infrastructure failures: the rollout could not be scored) get advantage 0
 * and are left out of the mean and std, so a failure neither counts as a wrong answer nor shifts
 * the baseline of the others. A group whose scored rewards are all equal (or that has fewer than
 * one scored member) gives 0 everywhere, never NaN. The std is the population std (divide by n),
 * the same estimator as the curriculum's learnability, so for binary rewards with success rate p
 * a success gets `(1 − p)/√(p(1 − p))`.
 *
 * @example
 * groupAdvantages([1, 0, 0, 1])               // [1, -1, -1, 1]
 * groupAdvantages([1, 0, null, 0])            // [√2, -1/√2, 0, -1/√2]
 * groupAdvantages([1, 0, 0, 1], { scale: 'none' }) // [0.5, -0.5, -0.5, 0.5]
 */
export function groupAdvantages(rewards: readonly (number | null)[], options: AdvantageOptions = {}): number[] {
  const scale = options.scale ?? 'group';
  const tol = options.zeroVarianceTol ?? 1e-8;
  if (!(tol >= 0)) throw new ConfigError(`groupAdvantages: zeroVarianceTol must be >= 0; got ${tol}.`);
  let n = 0;
  let sum = 0;
  for (const [i, r] of rewards.entries()) {
    if (r === null) continue;
    if (!Number.isFinite(r)) {
      throw new ConfigError(`groupAdvantages: reward ${i} is ${r}; pass null for a rollout that could not be scored, never NaN or Infinity.`);
    }
    n++;
    sum += r;
  }
  const zeros = rewards.map(() => 0);
  if (n === 0) return zeros;
  const mean = sum / n;
  let sq = 0;
  let allEqual = true;
  let first: number | undefined;
  for (const r of rewards) {
    if (r === null) continue;
    sq += (r - mean) ** 2;
    if (first === undefined) first = r;
    else if (r !== first) allEqual = false;
  }
  const std = Math.sqrt(sq / n);
  // Exact equality first: (0.1+0.1+0.1)/3 − 0.1 is not 0 in floating point.
  if (allEqual || std <= tol) return zeros;
  switch (scale) {
    case 'group':
      return rewards.map((r) => (r === null ? 0 : (r - mean) / std));
    case 'none':
      return rewards.map((r) => (r === null ? 0 : r - mean));
    default:
      return assertNever(scale, 'advantage scaling');
  }
}

/**
 * Advantages for a batch of groups, one array per group (groups may differ in size).
 *
 * @example batchAdvantages([[1, 0], [1, 1]]) // [[1, -1], [0, 0]]
 */
export function batchAdvantages(groups: readonly (readonly (number | null)[])[], options: AdvantageOptions = {}): number[][] {
  return groups.map((g) => groupAdvantages(g, options));
}
