/**
 * One GRPO optimiser step on a batch of sampled completions: the loss of `loss.ts` on exactly the
 * sampled token ids (prompt ids + completion ids as generated, never re-tokenised), gradients
 * accumulated over micro-batches, clipped by global norm, then applied. Every tensor made here is
 * freed before it returns. Also the reference refresh θ_ref ← α·θ + (1−α)·θ_ref on model weights.
 */
import { tf } from './backend.js';
import { ConfigError } from '../core/errors.js';
import { blendInto } from './reference-update.js';
import { grpoLoss, type ObjectiveConfig } from './loss.js';
import { LeanAdamOptimizer } from './lean-adam.js';
import type { Policy } from './policy/policy.js';
import { DEFAULT_HEAD_CHUNK } from './policy/token-stats.js';

/** One completion of a group, with its advantage. */
export interface GrpoSample {
  /** Prompt token ids exactly as fed to the sampler (`Generation.promptIds`). */
  promptIds: readonly number[];
  /** Sampled token ids (`Generation.tokenIds`). */
  completionIds: readonly number[];
  /** A_i from `groupAdvantages` (0 for zero-variance groups). */
  advantage: number;
  /**
   * log π_old per completion token: the sampler's logprobs (`Generation.logprobs`). Required: the
   * ratio is taken against the policy that sampled, in every epoch, never a re-scored copy.
   */
  oldLogprobs: readonly number[];
  /** log π_ref per completion token; computed with the reference policy if absent and β > 0. */
  refLogprobs?: readonly number[];
  /** 1 where a completion token carries loss (tool outputs, overlong filtering → 0); default all 1. */
  lossMask?: ArrayLike<number>;
}

export interface TrainStepConfig extends ObjectiveConfig {
  /** Sequences per forward/backward pass; gradients of the micro-batches are summed. */
  microBatchSize: number;
  /** Clip the global gradient norm to this (null: no clipping). */
  maxGradNorm: number | null;
  /** Tokens per output-head chunk: bounds the `[tokens, vocab]` logits held at once (default 256). */
  headChunk: number;
  /** Recompute decoder layers in the backward pass (gradient checkpointing) to save activation memory. */
  checkpoint: boolean;
}

/** Paper values: ε = 0.2, β = 0.001 (math), per-sequence normaliser; clip at 1 as TRL does. */
export const DEFAULT_TRAIN_STEP: TrainStepConfig = { epsilon: 0.2, beta: 0.001, normaliser: 'grpo', microBatchSize: 8, maxGradNorm: 1, headChunk: DEFAULT_HEAD_CHUNK, checkpoint: false };

/** What one step measured, namespaced as the training loop logs it. */
export interface TrainStepMetrics {
  'losses/loss': number;
  'losses/surrogate': number;
  'losses/kl': number;
  'losses/clip_frac': number;
  /** Mean entropy (nats) of the policy's next-token distribution over loss tokens. */
  'losses/entropy': number;
  'losses/grad_norm': number;
  'perf/loss_tokens': number;
  'perf/tokens': number;
  'perf/step_seconds': number;
  'perf/tokens_per_second': number;
}

/**
 * Adam (tfjs has no decoupled weight decay; the paper's runs need none at these step counts), with
 * bounded temporary memory (`LeanAdamOptimizer`; same arithmetic and slots as `tf.train.adam`).
 */
export function createOptimizer(opts: { learningRate: number; beta1?: number; beta2?: number; epsilon?: number }): tf.Optimizer {
  if (!(opts.learningRate > 0)) throw new ConfigError(`createOptimizer: learningRate must be > 0; got ${opts.learningRate}.`);
  return new LeanAdamOptimizer(opts.learningRate, opts.beta1 ?? 0.9, opts.beta2 ?? 0.999, opts.epsilon ?? 1e-8);
}

interface Packed {
  ids: Int32Array;
  t: number;
  mask: Float32Array;
  old: Float32Array;
  ref: Float32Array;
  adv: Float32Array;
  /** Prediction slots that carry loss (the only ones sent through the output head). */
  slots: Int32Array;
  needRef: boolean;
}

/** Whether a sample has at least one completion token that carries loss. */
function carriesLoss(s: GrpoSample): boolean {
  if (s.completionIds.length === 0) return false;
  if (!s.lossMask) return true;
  for (let i = 0; i < s.lossMask.length; i++) if ((s.lossMask[i] ?? 0) > 0) return true;
  return false;
}

/** Right-pads a micro-batch; token arrays are `[B, T-1]`, slot j holding the prediction of ids[j+1]. */
function pack(samples: readonly GrpoSample[], padId: number, offset: number): Packed {
  const t = Math.max(...samples.map((s) => s.promptIds.length + s.completionIds.length));
  const b = samples.length;
  const p: Packed = {
    ids: new Int32Array(b * t).fill(padId),
    t,
    mask: new Float32Array(b * (t - 1)),
    old: new Float32Array(b * (t - 1)),
    ref: new Float32Array(b * (t - 1)),
    adv: Float32Array.from(samples.map((s) => s.advantage)),
    slots: new Int32Array(0),
    needRef: false,
  };
  const slots: number[] = [];
  samples.forEach((s, k) => {
    const i = offset + k;
    const P = s.promptIds.length;
    const C = s.completionIds.length;
    if (P < 1) throw new ConfigError(`trainStep: sample ${i} has an empty prompt; the first completion token needs a context.`);
    if (!s.oldLogprobs) {
      throw new ConfigError(
        `trainStep: sample ${i} has no oldLogprobs; pass the sampler's logprobs (Generation.logprobs, or the rollout record's) — the ratio is taken against the policy that sampled, never a re-scored copy.`,
      );
    }
    for (const [name, arr] of [['oldLogprobs', s.oldLogprobs], ['refLogprobs', s.refLogprobs], ['lossMask', s.lossMask]] as const) {
      if (arr && arr.length !== C) throw new ConfigError(`trainStep: sample ${i} has ${C} completion tokens but ${arr.length} ${name}; they must align.`);
    }
    p.ids.set(s.promptIds, k * t);
    p.ids.set(s.completionIds, k * t + P);
    for (let c = 0; c < C; c++) {
      const j = k * (t - 1) + P + c - 1;
      p.mask[j] = s.lossMask ? Number(s.lossMask[c] ?? 0) : 1;
      if (p.mask[j] !== 0) slots.push(j);
      p.old[j] = s.oldLogprobs[c] as number;
      p.ref[j] = s.refLogprobs?.[c] ?? 0;
    }
    if (!s.refLogprobs) p.needRef = true;
  });
  p.slots = Int32Array.from(slots);
  return p;
}

/** `values` where a sample gave them, else `fallback` (a computed `[B, T-1]` tensor). */
function fillMissing(values: Float32Array, fallback: tf.Tensor2D, samples: readonly GrpoSample[], t: number): tf.Tensor2D {
  const fb = fallback.dataSync();
  const out = Float32Array.from(values);
  samples.forEach((s, i) => {
    if (s.refLogprobs) return;
    for (let j = 0; j < t - 1; j++) out[i * (t - 1) + j] = fb[i * (t - 1) + j] as number;
  });
  return tf.tensor2d(out, [samples.length, t - 1]);
}

/**
 * Takes one optimiser step on `batch` (one or more GRPO groups, G = batch.length sequences).
 *
 * @example
 * const gens = await policy.generate(prompts, { maxTokens: 64, temperature: 1, seed });
 * const adv = groupAdvantages(rewards);
 * const metrics = await trainStep(policy, reference, gens.map((g, i) => ({ promptIds: g.promptIds, completionIds: g.tokenIds, oldLogprobs: g.logprobs, advantage: adv[i] })), optimizer);
 */
export async function trainStep(policy: Policy, reference: Policy | null, batch: readonly GrpoSample[], optimizer: tf.Optimizer, config: Partial<TrainStepConfig> = {}): Promise<TrainStepMetrics> {
  const cfg: TrainStepConfig = { ...DEFAULT_TRAIN_STEP, ...config };
  if (batch.length === 0) throw new ConfigError('trainStep: the batch is empty.');
  if (!Number.isInteger(cfg.microBatchSize) || cfg.microBatchSize < 1) throw new ConfigError(`trainStep: microBatchSize must be a positive integer; got ${cfg.microBatchSize}.`);
  if (cfg.beta > 0 && !reference && batch.some((s) => !s.refLogprobs)) {
    throw new ConfigError('trainStep: beta > 0 needs a reference policy (or refLogprobs on every sample); pass policy.clone() as the reference, or set beta 0.');
  }
  const started = performance.now();
  const vars = policy.trainableVariables();
  const padId = policy.tokenizer.specialId('pad_token') ?? 0;
  const G = batch.length;
  let accum: tf.NamedTensorMap | undefined;
  const totals = { loss: 0, surrogate: 0, kl: 0, clipped: 0, entropy: 0, tokens: 0, allTokens: 0 };
  const stats = { headChunk: cfg.headChunk, checkpoint: cfg.checkpoint };

  for (let s = 0; s < G; s += cfg.microBatchSize) {
    const samples = batch.slice(s, s + cfg.microBatchSize);
    totals.allTokens += samples.reduce((a, x) => a + x.promptIds.length + x.completionIds.length, 0);
    // A micro-batch whose every token is masked (overlong filtering, env tokens only) has no loss
    // connected to the weights, and tfjs refuses its gradient: it contributes nothing, so skip it.
    if (!samples.some(carriesLoss)) continue;
    const p = pack(samples, padId, s);
    const b = samples.length;
    const ids = tf.tensor2d(p.ids, [b, p.t], 'int32');
    const old = tf.tensor2d(p.old, [b, p.t - 1]);
    let ref: tf.Tensor2D | undefined;
    if (cfg.beta > 0) {
      ref = p.needRef ? tf.tidy(() => fillMissing(p.ref, (reference as Policy).logprobsTensor(ids, { slots: p.slots, headChunk: cfg.headChunk }), samples, p.t)) : tf.tensor2d(p.ref, [b, p.t - 1]);
    }
    const mask = tf.tensor2d(p.mask, [b, p.t - 1]);
    const adv = tf.tensor1d(p.adv);
    let sums: tf.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const { logprobs, entropy } = policy.tokenStats(ids, { ...stats, slots: p.slots });
      const out = grpoLoss({ logprobs, oldLogprobs: old, ...(ref ? { refLogprobs: ref } : {}), mask, advantages: adv }, cfg, G);
      sums = [out.sums.surrogate, out.sums.kl, out.sums.clipped, out.sums.tokens, tf.sum(tf.mul(entropy, mask))].map((x) => tf.keep(x));
      return out.loss;
    }, vars);
    const [sv, kv, cv, nv, ev] = await Promise.all(sums.map((x) => x.data()));
    totals.loss += (await value.data())[0] as number;
    totals.surrogate += sv?.[0] as number;
    totals.kl += kv?.[0] as number;
    totals.clipped += cv?.[0] as number;
    totals.tokens += nv?.[0] as number;
    totals.entropy += ev?.[0] as number;
    tf.dispose([ids, old, mask, adv, value, ...sums, ...(ref ? [ref] : [])]);
    if (!accum) accum = grads;
    else {
      for (const [name, g] of Object.entries(grads)) {
        const prev = accum[name] as tf.Tensor;
        accum[name] = tf.add(prev, g);
        tf.dispose([prev, g]);
      }
    }
  }

  const seconds0 = (): number => (performance.now() - started) / 1000;
  if (!accum) {
    // Nothing in the batch carries loss: no gradient, no optimiser step (Adam's moments untouched).
    const sec = seconds0();
    return {
      'losses/loss': 0,
      'losses/surrogate': 0,
      'losses/kl': 0,
      'losses/clip_frac': 0,
      'losses/entropy': 0,
      'losses/grad_norm': 0,
      'perf/loss_tokens': 0,
      'perf/tokens': totals.allTokens,
      'perf/step_seconds': sec,
      'perf/tokens_per_second': totals.allTokens / sec,
    };
  }
  const grads = accum;
  const sq = tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const gradNorm = Math.sqrt((await sq.data())[0] as number);
  sq.dispose();
  if (cfg.maxGradNorm !== null && gradNorm > cfg.maxGradNorm) {
    const scale = cfg.maxGradNorm / (gradNorm + 1e-6);
    for (const [name, g] of Object.entries(grads)) {
      grads[name] = tf.mul(g, scale);
      g.dispose();
    }
  }
  optimizer.applyGradients(grads);
  tf.dispose(Object.values(grads));
  const seconds = seconds0();
  return {
    'losses/loss': totals.loss,
    'losses/surrogate': totals.tokens ? totals.surrogate / totals.tokens : 0,
    'losses/kl': totals.tokens ? totals.kl / totals.tokens : 0,
    'losses/clip_frac': totals.tokens ? totals.clipped / totals.tokens : 0,
    'losses/entropy': totals.tokens ? totals.entropy / totals.tokens : 0,
    'losses/grad_norm': gradNorm,
    'perf/loss_tokens': totals.tokens,
    'perf/tokens': totals.allTokens,
    'perf/step_seconds': seconds,
    'perf/tokens_per_second': totals.allTokens / seconds,
  };
}

/**
 * θ_ref ← α·θ + (1−α)·θ_ref on every weight (the rule of `reference-update.ts`); call it when
 * `shouldUpdate(step, M)` says so.
 */
export async function updateReference(reference: Policy, policy: Policy, alpha: number): Promise<void> {
  for (const [name, theta] of policy.weights) {
    const ref = reference.weights.get(name);
    if (!ref) throw new ConfigError(`updateReference: the reference has no weight "${name}"; it must be a clone of the policy.`);
    const mixed = blendInto((await theta.data()) as Float32Array, ((await ref.data()) as Float32Array).slice(), alpha);
    const t = tf.tensor(mixed, ref.shape, 'float32');
    ref.assign(t);
    t.dispose();
  }
}
