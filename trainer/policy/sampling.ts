/**
 * Next-token choice from one row of logits, in plain numbers: greedy, or seeded sampling with
 * temperature, top-k then top-p (the order transformers and vLLM apply them). Pure: the only
 * randomness is the `Rng` passed in.
 */
import type { Rng } from '../../core/rng.js';
import { ConfigError } from '../../core/errors.js';

export interface SamplingOptions {
  /** 0 = greedy. Divides the logits before top-k/top-p. */
  temperature: number;
  /** Nucleus mass in (0, 1]; 1 keeps every token. */
  topP: number;
  /** Keep the k most likely tokens; 0 keeps all. */
  topK: number;
}

export const DEFAULT_SAMPLING: SamplingOptions = { temperature: 1, topP: 1, topK: 0 };

/** Checks the options once, where they enter (a CLI flag or an HTTP body). */
export function validateSampling(o: SamplingOptions, where: string): void {
  if (!(o.temperature >= 0) || !Number.isFinite(o.temperature)) throw new ConfigError(`${where}: temperature must be ≥ 0 (0 = greedy); got ${o.temperature}.`);
  if (!(o.topP > 0 && o.topP <= 1)) throw new ConfigError(`${where}: top_p must be in (0, 1]; got ${o.topP}.`);
  if (!Number.isInteger(o.topK) || o.topK < 0) throw new ConfigError(`${where}: top_k must be a non-negative integer (0 = all); got ${o.topK}.`);
}

/** log-softmax in float64 (the logprobs returned to callers and stored for the ratio). */
export function logSoftmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = (logits[i] as number) - lse;
  return out;
}

/** Index of the largest value (first on ties). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/**
 * The ids of the `k` largest logits (ties to the lower id), unordered, in O(n): the k-th largest
 * value by quickselect, then one pass. Avoids sorting a whole vocabulary for top-k.
 */
function topKIds(logits: ArrayLike<number>, k: number): number[] {
  const v = Float64Array.from(logits as ArrayLike<number>);
  // Quickselect for the value of rank k-1 in descending order.
  let lo = 0;
  let hi = v.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((v[i] as number) > pivot) i++;
      while ((v[j] as number) < pivot) j--;
      if (i <= j) {
        const t = v[i] as number;
        v[i] = v[j] as number;
        v[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  const threshold = v[target] as number;
  const ids: number[] = [];
  for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > threshold) ids.push(i);
  for (let i = 0; i < logits.length && ids.length < k; i++) if (logits[i] === threshold) ids.push(i);
  return ids;
}

/**
 * The candidate tokens and their probabilities after temperature, top-k and top-p, most likely
 * first; probabilities sum to 1.
 */
export function samplingDistribution(logits: ArrayLike<number>, o: SamplingOptions): { ids: number[]; probs: number[] } {
  const n = logits.length;
  const k = o.topK > 0 ? Math.min(o.topK, n) : n;
  const byLogit = (a: number, b: number): number => (logits[b] as number) - (logits[a] as number) || a - b;
  const ids = (k < n ? topKIds(logits, k) : Array.from({ length: n }, (_, i) => i)).sort(byLogit);
  const top = logits[ids[0] as number] as number;
  let probs = ids.map((i) => Math.exp(((logits[i] as number) - top) / o.temperature));
  let z = probs.reduce((a, b) => a + b, 0);
  probs = probs.map((p) => p / z);
  if (o.topP < 1) {
    // Smallest prefix whose mass reaches top_p (the token that crosses it is kept).
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && cum < o.topP) cum += probs[keep++] as number;
    ids.length = keep;
    probs = probs.slice(0, keep);
    z = probs.reduce((a, b) => a + b, 0);
    probs = probs.map((p) => p / z);
  }
  return { ids, probs };
}

/**
 * Picks the next token. `logprob` is the model's own log-probability of it (log-softmax of the
 * raw logits, temperature 1), which is what `tokenLogprobs` recomputes for the GRPO ratio.
 */
export function sampleToken(logits: ArrayLike<number>, o: SamplingOptions, rng: Rng): { token: number; logprob: number } {
  const lp = logSoftmax(logits);
  if (o.temperature === 0) {
    const token = argMax(logits);
    return { token, logprob: lp[token] as number };
  }
  if ((o.topK === 0 || o.topK >= logits.length) && o.topP >= 1) {
    // Nothing is cut, so no ordering is needed: draw in id order (sorting a 150k vocabulary
    // costs ~100 ms per token, as much as a small model's forward pass).
    let max = -Infinity;
    for (let i = 0; i < lp.length; i++) max = Math.max(max, lp[i] as number);
    const weights = new Float64Array(lp.length);
    for (let i = 0; i < lp.length; i++) weights[i] = Math.exp(((lp[i] as number) - max) / o.temperature);
    const token = rng.weighted(weights);
    return { token, logprob: lp[token] as number };
  }
  const { ids, probs } = samplingDistribution(logits, o);
  const token = ids[rng.weighted(probs)] as number;
  return { token, logprob: lp[token] as number };
}
