/**
 * Reward maths (pure). Quality is always normalised to [0, 1]; improve steps of graded domains use
 * the normalised improvement of DESIGN.md "Rewards".
 */
import { ConfigError, ValidationError } from '../core/errors.js';
import type { StartMode } from '../core/types.js';

const clip01 = (x: number): number => Math.min(1, Math.max(0, x));

function finite(name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new ValidationError(`${name} must be a finite number; got ${value}. A NaN score usually means the grader failed: report it as a null reward, not a number.`);
  }
}

/**
 * Maps a raw score onto [0, 1] given the worst and best scores of its metric, clipping outside
 * values. Works for both directions: for an error metric pass `worst > best` (e.g. RMSLE 1.0 → 0.0).
 *
 * @example normaliseQuality(0.75, 0.5, 1) // 0.5
 * @example normaliseQuality(1.2, 1.5, 1.0) // 0.6 (log loss: lower is better)
 */
export function normaliseQuality(score: number, worst: number, best: number): number {
  finite('score', score);
  finite('worst', worst);
  finite('best', best);
  if (worst === best) throw new ConfigError(`normaliseQuality: worst and best must differ; both are ${worst}.`);
  return clip01((score - worst) / (best - worst));
}

/**
 * The improvement reward `max(0, (q_k − q_{k−1}) / (1 − q_{k−1}))` for qualities in [0, 1].
 * When `q_{k−1} = 1` there is nothing left to gain: the reward is 1 if the score is kept (q_k = 1),
 * else 0 (DESIGN.md's convention; the paper leaves 0/0 open).
 *
 * @example improvementReward(0.5, 0.75) // 0.5
 * @example improvementReward(0.5, 0.25) // 0 (no negative reward)
 * @example improvementReward(1, 1)      // 1
 */
export function improvementReward(previous: number, current: number): number {
  finite('previous quality', previous);
  finite('current quality', current);
  for (const [name, q] of [['previous quality', previous], ['current quality', current]] as const) {
    if (q < 0 || q > 1) throw new ValidationError(`${name} must be in [0, 1] (normalise it first); got ${q}.`);
  }
  if (previous === 1) return current === 1 ? 1 : 0;
  return Math.max(0, (current - previous) / (1 - previous));
}

/** How a domain rewards improve steps: math and BFCL keep the binary quality, graded domains use the improvement. */
export type ImproveRewardRule = 'quality' | 'improvement';

/**
 * The reward of one step by mode: base and diverge steps get q; improve steps get q or the
 * improvement over the previous iterate's quality, by the domain's rule.
 */
export function stepReward(mode: StartMode, quality: number, previousQuality: number | undefined, rule: ImproveRewardRule): number {
  finite('quality', quality);
  if (mode !== 'improve' || rule === 'quality') return clip01(quality);
  if (previousQuality === undefined) {
    throw new ValidationError('stepReward: an improve step under the "improvement" rule needs the previous iterate\'s quality.');
  }
  return improvementReward(previousQuality, quality);
}
