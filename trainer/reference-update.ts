/**
 * The reference-policy refresh rule (paper §2.2 and App. A.5): θ_ref starts as the initial
 * weights and every M training iterations becomes `α·θ + (1 − α)·θ_ref` (α = 1: a hard copy, used
 * for math and tool use; α = 0.5 for MLE-bench). Pure functions on Float32Arrays, no tfjs.
 */
import { ConfigError } from '../core/errors.js';

/**
 * Whether the reference is refreshed after training step `step` (1-based: the number of
 * completed iterations). True at M, 2M, 3M, …; never at step 0, so a fresh run keeps the initial
 * weights as its reference.
 *
 * @example shouldUpdate(100, 100) // true
 * @example shouldUpdate(150, 100) // false
 */
export function shouldUpdate(step: number, every: number): boolean {
  if (!Number.isInteger(every) || every < 1) {
    throw new ConfigError(`reference update: every (M) must be a positive integer number of steps; got ${every}.`);
  }
  if (!Number.isInteger(step) || step < 0) throw new ConfigError(`reference update: step must be a non-negative integer; got ${step}.`);
  return step > 0 && step % every === 0;
}

function checkAlpha(alpha: number): void {
  if (!(alpha >= 0 && alpha <= 1)) throw new ConfigError(`reference update: alpha must be in [0, 1] (1 = copy θ); got ${alpha}.`);
}

/**
 * `α·θ + (1 − α)·θ_ref` as a new array (inputs untouched).
 *
 * @example blend(Float32Array.of(1, 2), Float32Array.of(3, 4), 0.5) // Float32Array [2, 3]
 */
export function blend(theta: Float32Array, thetaRef: Float32Array, alpha: number): Float32Array {
  const out = new Float32Array(thetaRef.length);
  out.set(thetaRef);
  return blendInto(theta, out, alpha);
}

/** `blend` that overwrites `thetaRef` in place (no allocation for large weight tensors) and returns it. */
export function blendInto(theta: Float32Array, thetaRef: Float32Array, alpha: number): Float32Array {
  checkAlpha(alpha);
  if (theta.length !== thetaRef.length) {
    throw new ConfigError(`reference update: θ has ${theta.length} values but θ_ref has ${thetaRef.length}; they must be the same tensor.`);
  }
  // α = 1 copies exactly (no 0·x rounding); α = 0 leaves θ_ref as it is.
  if (alpha === 1) thetaRef.set(theta);
  else if (alpha !== 0) for (let i = 0; i < theta.length; i++) thetaRef[i] = alpha * (theta[i] as number) + (1 - alpha) * (thetaRef[i] as number);
  return thetaRef;
}
