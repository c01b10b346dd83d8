/**
 * The GRPO loss in TensorFlow.js (paper Eq. 4): per-token clipped surrogate (ε) minus β times the
 * k3 estimate of KL(π_θ‖π_ref), over loss tokens only, normalised per sequence (`grpo`: 1/|o_i|)
 * or by a constant length (`dr_grpo`). It matches the plain-number reference
 * `objective-reference.ts` token for token; tests check the two agree, gradients included.
 */
import { tf } from './backend.js';
import { ConfigError } from '../core/errors.js';
import { assertNever } from '../core/result.js';
import type { ObjectiveConfig } from './objective-reference.js';

export type { ObjectiveConfig } from './objective-reference.js';

/** Per-token inputs, each `[B, T]` except `advantages` `[B]`. */
export interface GrpoLossInputs {
  /** log π_θ of each token (differentiable). */
  logprobs: tf.Tensor2D;
  /** log π_old (the sampler's logprobs; constant). */
  oldLogprobs: tf.Tensor2D;
  /** log π_ref (constant); omit when β = 0. */
  refLogprobs?: tf.Tensor2D;
  /** 1 where a token carries loss, else 0. */
  mask: tf.Tensor2D;
  advantages: tf.Tensor1D;
}

export interface GrpoLossOutput {
  /** −J for these rows, already divided by the full batch's G (so micro-batch losses add up). */
  loss: tf.Scalar;
  /** Sum over loss tokens of the surrogate, of the k3 KL, and of clipped tokens, and the token count. */
  sums: { surrogate: tf.Scalar; kl: tf.Scalar; clipped: tf.Scalar; tokens: tf.Scalar };
}

/**
 * The loss of `B` rows of a batch of `totalSequences` (G) sequences. Call under a gradient tape
 * or `tf.tidy`.
 */
export function grpoLoss(inputs: GrpoLossInputs, config: ObjectiveConfig, totalSequences: number): GrpoLossOutput {
  const { epsilon, beta } = config;
  if (!(epsilon > 0 && epsilon < 1)) throw new ConfigError(`grpoLoss: epsilon must be in (0, 1); got ${epsilon}.`);
  if (!(beta >= 0)) throw new ConfigError(`grpoLoss: beta must be ≥ 0; got ${beta}.`);
  if (beta > 0 && !inputs.refLogprobs) throw new ConfigError('grpoLoss: beta > 0 needs refLogprobs (the reference policy’s logprobs).');
  const { logprobs, oldLogprobs, mask } = inputs;
  const adv = tf.expandDims(inputs.advantages, 1);
  const ratio = tf.exp(tf.sub(logprobs, oldLogprobs));
  const unclipped = tf.mul(ratio, adv);
  const clippedValue = tf.mul(tf.clipByValue(ratio, 1 - epsilon, 1 + epsilon), adv);
  const surrogate = tf.minimum(unclipped, clippedValue);
  let kl: tf.Tensor = tf.zerosLike(logprobs);
  if (inputs.refLogprobs && beta > 0) {
    const d = tf.sub(inputs.refLogprobs, logprobs);
    kl = tf.sub(tf.sub(tf.exp(d), d), 1);
  }
  const perToken = tf.mul(tf.sub(surrogate, tf.mul(kl, beta)), mask);
  let objective: tf.Scalar;
  switch (config.normaliser) {
    case 'grpo': {
      // Sequences with no loss tokens contribute 0 (max(n, 1) avoids 0/0) but still count in G.
      const n = tf.maximum(tf.sum(mask, 1), 1);
      objective = tf.div(tf.sum(tf.div(tf.sum(perToken, 1), n)), totalSequences);
      break;
    }
    case 'dr_grpo': {
      const L = config.constantLength;
      if (L === undefined || !(L > 0)) throw new ConfigError(`grpoLoss: dr_grpo needs constantLength > 0 (e.g. the max completion length); got ${L}.`);
      objective = tf.div(tf.sum(perToken), totalSequences * L);
      break;
    }
    default:
      return assertNever(config.normaliser, 'objective normaliser');
  }
  const isClipped = tf.cast(tf.less(clippedValue, unclipped), 'float32');
  return {
    loss: tf.neg(objective),
    sums: {
      surrogate: tf.sum(tf.mul(surrogate, mask)),
      kl: tf.sum(tf.mul(kl, mask)),
      clipped: tf.sum(tf.mul(isClipped, mask)),
      tokens: tf.sum(mask),
    },
  };
}
