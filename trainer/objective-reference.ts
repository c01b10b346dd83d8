/**
 * A plain-number reference of the per-token GRPO objective (paper Eq. 4), written as loops so it
 * can be read next to the equation. The TensorFlow.js loss (`trainer/loss.ts`) is tested against
 * it, as CleanRL checks its scanned GAE against a loop.
 *
 *   ρ_t   = exp(logp_t − oldLogp_t)
 *   surr_t = min(ρ_t·A, clip(ρ_t, 1 − ε, 1 + ε)·A)
 *   kl_t  = exp(ref_t − logp_t) − (ref_t − logp_t) − 1          (k3 estimator of KL(π_θ‖π_ref))
 *   J     = 1/G Σ_i 1/|o_i| Σ_t m_t (surr_t − β·kl_t)           (`grpo`)
 *   J     = 1/(G·L) Σ_i Σ_t m_t (surr_t − β·kl_t)               (`dr_grpo`, L a constant, e.g. the max completion length)
 *   loss  = −J
 */
import { ConfigError } from '../core/errors.js';
import { assertNever } from '../core/result.js';

/** `grpo`: per-sequence mean over its loss tokens; `dr_grpo`: sum divided by a constant length. */
export type ObjectiveNormaliser = 'grpo' | 'dr_grpo';

/** One completion's per-token numbers (all arrays the same length). */
export interface SequenceTokens {
  /** log π_θ of each sampled token. */
  logp: readonly number[];
  /** log π_old (the policy that sampled the rollout). */
  oldLogp: readonly number[];
  /** log π_ref. */
  refLogp: readonly number[];
  /** 1 where the token carries loss (assistant tokens not filtered), else 0. */
  mask: ArrayLike<number>;
  /** The sequence's advantage A_i (same for every token). */
  advantage: number;
}

export interface ObjectiveConfig {
  /** Clip range ε (paper: 0.2). */
  epsilon: number;
  /** KL coefficient β (paper: 0.001 for math). */
  beta: number;
  normaliser: ObjectiveNormaliser;
  /** L for `dr_grpo`: the constant length normaliser. */
  constantLength?: number;
}

export interface ObjectiveResult {
  /** −J, the quantity to minimise. */
  loss: number;
  /** Mean over loss tokens of the clipped-surrogate term. */
  meanSurrogate: number;
  /** Mean over loss tokens of the k3 KL. */
  meanKl: number;
  /** Fraction of loss tokens where the clipped branch was taken (its gradient is 0). */
  clipFrac: number;
  /** ∂loss/∂logp for every token of every sequence (0 off the mask), to check autodiff against. */
  grad: number[][];
}

/** The surrogate, the k3 KL and d(surr − β·kl)/d logp of one token. */
export function tokenTerms(logp: number, oldLogp: number, refLogp: number, advantage: number, epsilon: number, beta: number): { surrogate: number; kl: number; clipped: boolean; dObjective: number } {
  const ratio = Math.exp(logp - oldLogp);
  const unclipped = ratio * advantage;
  const clippedValue = Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon) * advantage;
  // min() picks the clipped branch only when it is strictly smaller; there its gradient is 0.
  const clipped = clippedValue < unclipped;
  const surrogate = clipped ? clippedValue : unclipped;
  const d = refLogp - logp;
  const kl = Math.exp(d) - d - 1;
  // d/dlogp of ρA is ρA; of kl it is 1 − exp(ref − logp).
  const dObjective = (clipped ? 0 : unclipped) - beta * (1 - Math.exp(d));
  return { surrogate, kl, clipped, dObjective };
}

/**
 * The GRPO objective over G sequences, computed token by token.
 *
 * A sequence with no loss tokens contributes 0 but still counts in G (its slot in the batch is
 * real; dropping it would reweight the others).
 */
export function grpoObjective(sequences: readonly SequenceTokens[], config: ObjectiveConfig): ObjectiveResult {
  const { epsilon, beta, normaliser } = config;
  if (!(epsilon > 0 && epsilon < 1)) throw new ConfigError(`grpoObjective: epsilon must be in (0, 1); got ${epsilon}.`);
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new ConfigError(`grpoObjective: beta must be a finite number >= 0; got ${beta}.`);
  if (sequences.length === 0) throw new ConfigError('grpoObjective: needs at least one sequence.');
  const G = sequences.length;
  let objective = 0;
  let tokens = 0;
  let surrSum = 0;
  let klSum = 0;
  let clips = 0;
  const grad: number[][] = [];
  for (const [i, s] of sequences.entries()) {
    const T = s.logp.length;
    if (s.oldLogp.length !== T || s.refLogp.length !== T || s.mask.length !== T) {
      throw new ConfigError(`grpoObjective: sequence ${i} has logp ${T}, oldLogp ${s.oldLogp.length}, refLogp ${s.refLogp.length}, mask ${s.mask.length} tokens; they must match.`);
    }
    let n = 0;
    for (let t = 0; t < T; t++) if (s.mask[t]) n++;
    let weight: number;
    switch (normaliser) {
      case 'grpo':
        weight = n > 0 ? 1 / (G * n) : 0;
        break;
      case 'dr_grpo': {
        const L = config.constantLength;
        if (L === undefined || !(L > 0)) throw new ConfigError(`grpoObjective: dr_grpo needs constantLength > 0 (e.g. the max completion length); got ${L}.`);
        weight = 1 / (G * L);
        break;
      }
      default:
        return assertNever(normaliser, 'objective normaliser');
    }
    const g: number[] = new Array<number>(T).fill(0);
    for (let t = 0; t < T; t++) {
      if (!s.mask[t]) continue;
      const term = tokenTerms(s.logp[t] as number, s.oldLogp[t] as number, s.refLogp[t] as number, s.advantage, epsilon, beta);
      objective += weight * (term.surrogate - beta * term.kl);
      g[t] = -weight * term.dObjective;
      tokens++;
      surrSum += term.surrogate;
      klSum += term.kl;
      if (term.clipped) clips++;
    }
    grad.push(g);
  }
  return {
    loss: -objective,
    meanSurrogate: tokens ? surrSum / tokens : 0,
    meanKl: tokens ? klSum / tokens : 0,
    clipFrac: tokens ? clips / tokens : 0,
    grad,
  };
}
