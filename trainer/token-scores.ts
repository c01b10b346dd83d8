/**
 * Per-token logprobs with the most likely alternatives at each position, for continuations that
 * share one prompt: the prompt is run once through the KV cache and every continuation goes on
 * from that cache. This is how the model server fills OpenAI's `top_logprobs` (and the `echo`ed
 * prompt's logprobs) after sampling, without touching the generation loop.
 *
 * Logprobs are the model's at temperature 1, computed in float64 from the float32 logits (as
 * `sampleToken` does), so they match `Policy.tokenLogprobs` / `exitgym model score` to float32
 * rounding.
 */
import { tf } from './backend.js';
import { ConfigError } from '../core/errors.js';
import type { Policy } from './policy/policy.js';
import type { ForwardOutput, KvCache } from './policy/model.js';
import { causalInputs } from './policy/model.js';
import { logSoftmax } from './policy/sampling.js';
import type { TokenScore } from './served-model.js';

export interface ScoreOptions {
  /** Alternatives per position (0–20). */
  topK: number;
  /** Also score `prompt[1..]`. */
  promptScores?: boolean;
  /** Logit rows (positions × vocab floats) read back at once; bounds host memory (default 8M floats). */
  maxLogitFloats?: number;
}

export interface ScoredContinuations {
  /** Scores of `prompt[1..]`, when asked for. */
  prompt?: TokenScore[];
  /** Scores of each continuation's tokens, in order. */
  continuations: TokenScore[][];
}

/** The `k` best (logprob, id) of a row, best first; ties go to the lower id. */
export function topOfRow(logp: Float64Array, k: number): { id: number; logprob: number }[] {
  const best: { id: number; logprob: number }[] = [];
  if (k <= 0) return best;
  for (let id = 0; id < logp.length; id++) {
    const v = logp[id] as number;
    if (best.length === k && v <= (best[k - 1] as { logprob: number }).logprob) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as { logprob: number }).logprob < v) at--;
    best.splice(at, 0, { id, logprob: v });
    if (best.length > k) best.pop();
  }
  return best;
}

function scoreRow(logits: Float32Array, target: number, k: number): TokenScore {
  const logp = logSoftmax(logits);
  return { id: target, logprob: logp[target] as number, top: topOfRow(logp, k) };
}

function disposeCache(c: KvCache | undefined): void {
  if (c) for (const t of [...c.keys, ...c.values]) t.dispose();
}

/**
 * Runs `ids` (continuing `cache`, which holds `pastLen` tokens) in chunks and calls `onRow(q, row)`
 * with the logits after each position `q` whose row is wanted (`wanted(q)`). Returns the cache
 * after `ids` (the caller disposes it) and leaves the input cache alone.
 */
async function run(
  policy: Policy,
  ids: readonly number[],
  pastLen: number,
  cache: KvCache | undefined,
  chunk: number,
  wanted: (q: number) => boolean,
  onRow: (q: number, row: Float32Array) => void,
): Promise<KvCache> {
  const v = policy.config.vocabSize;
  let current = cache;
  for (let s0 = 0; s0 < ids.length; s0 += chunk) {
    const t = Math.min(chunk, ids.length - s0);
    const need = Array.from({ length: t }, (_, q) => wanted(s0 + q)).some(Boolean);
    const inp = causalInputs([0], pastLen + s0, t);
    const prev = current;
    const out = tf.tidy(
      () =>
        policy.forward({
          ids: tf.tensor2d(Int32Array.from(ids.slice(s0, s0 + t)), [1, t], 'int32'),
          positions: tf.tensor2d(inp.positions, [1, t], 'int32'),
          mask: tf.tensor4d(inp.mask, [1, 1, t, pastLen + s0 + t]),
          cache: prev ?? { keys: [], values: [] },
          lastOnly: !need,
        }) as unknown as tf.TensorContainer,
    ) as unknown as ForwardOutput;
    if (need) {
      const data = (await out.logits.data()) as Float32Array;
      for (let q = 0; q < t; q++) if (wanted(s0 + q)) onRow(s0 + q, data.subarray(q * v, (q + 1) * v));
    }
    out.logits.dispose();
    if (prev !== cache) disposeCache(prev);
    current = out.cache as KvCache;
  }
  return current as KvCache;
}

/**
 * Scores each continuation after `prompt` (and the prompt itself with `promptScores`), with the
 * `topK` most likely tokens at every position.
 *
 * @example
 * const { continuations: [scores] } = await scoreContinuations(policy, promptIds, [g.tokenIds], { topK: 5 });
 */
export async function scoreContinuations(policy: Policy, prompt: readonly number[], continuations: readonly (readonly number[])[], opts: ScoreOptions): Promise<ScoredContinuations> {
  if (prompt.length === 0) throw new ConfigError('scoreContinuations: the prompt has no tokens, so the first token has no context.');
  if (!Number.isInteger(opts.topK) || opts.topK < 0 || opts.topK > 20) throw new ConfigError(`scoreContinuations: topK must be an integer in [0, 20]; got ${opts.topK}.`);
  policy.checkLength(prompt.length + Math.max(0, ...continuations.map((c) => c.length)), 'scoring');
  const k = opts.topK;
  const chunk = Math.max(1, Math.min(256, Math.floor((opts.maxLogitFloats ?? 8_000_000) / policy.config.vocabSize)));
  const promptScores: TokenScore[] = [];
  let last: Float32Array | undefined;
  const p = prompt.length;
  const promptCache = await run(
    policy,
    prompt,
    0,
    undefined,
    chunk,
    (q) => q === p - 1 || (opts.promptScores === true && q < p - 1),
    (q, row) => {
      if (q === p - 1) last = Float32Array.from(row);
      else promptScores.push(scoreRow(row, prompt[q + 1] as number, k));
    },
  );
  try {
    const out: TokenScore[][] = [];
    for (const c of continuations) {
      if (c.length === 0) {
        out.push([]);
        continue;
      }
      const scores = [scoreRow(last as Float32Array, c[0] as number, k)];
      if (c.length > 1) {
        const cache = await run(policy, c.slice(0, -1), p, promptCache, chunk, () => true, (q, row) => scores.push(scoreRow(row, c[q + 1] as number, k)));
        disposeCache(cache);
      }
      out.push(scores);
    }
    return { ...(opts.promptScores ? { prompt: promptScores } : {}), continuations: out };
  } finally {
    disposeCache(promptCache);
  }
}
