/**
 * Batched generation with a KV cache: prompts of different lengths are left-padded, each distinct
 * prompt is prefilled once and its cache shared by the `n` samples drawn from it (a GRPO group),
 * then every sample of every prompt is decoded together, one token per step, finished rows
 * dropping out of the batch. Each sample returns the sampled token ids and the model's logprob of
 * each, so a GRPO step can train on exactly those tokens (no re-tokenising).
 */
import { tf } from '../backend.js';
import { Rng } from '../../core/rng.js';
import { ConfigError } from '../../core/errors.js';
import type { Message } from '../../core/types.js';
import type { Policy } from './policy.js';
import type { ForwardOutput, KvCache, Weights } from './model.js';
import { causalInputs, disposePrepared } from './model.js';
import { DEFAULT_SAMPLING, sampleToken, validateSampling, type SamplingOptions } from './sampling.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Longest a generation runs between turns of the event loop. */
const YIELD_EVERY_MS = 20;

/**
 * A prompt: plain text (tokenised with the tokenizer's special tokens, e.g. a Llama BOS, as a
 * completions endpoint does), chat messages (rendered with the chat template, assistant header
 * appended), or token ids as they are.
 */
export type PromptInput = string | readonly Message[] | { promptIds: readonly number[] };

export interface GenerateOptions extends Partial<SamplingOptions> {
  /** Most new tokens per prompt. */
  maxTokens: number;
  /** Samples per prompt (default 1); results are prompt-major: prompt `i`, sample `j` at `i·n + j`. */
  n?: number;
  /**
   * Seed of the sampling (default 0): result `r` (= `i·n + j`) draws from
   * `Rng.fromSeed(seed).fork(sampleOffset + r)`, so `generate([p, p, p], {seed})` and
   * `generate([p], {n: 3, seed})` give the same samples.
   */
  seed?: number;
  /** Stream index of the first result (default 0), so one group can be generated in parts. */
  sampleOffset?: number;
  /** Strings that end a completion; the returned text stops before the first one. */
  stop?: readonly string[];
  /** Also stop at the checkpoint's eos ids (default true). */
  stopAtEos?: boolean;
  /** Prompt tokens per prefill pass (default 512); bounds memory on long prompts. */
  prefillChunk?: number;
  /** Called with each sampled token as soon as it exists (for streaming servers); the index is the result's. */
  onToken?: (resultIndex: number, tokenId: number) => void;
  /**
   * Stops the generation between decode steps (its tensors freed), rejecting with the signal's
   * reason: a server passes one that fires when the client goes away.
   */
  signal?: AbortSignal;
}

export interface Generation {
  /** Decoded completion, special tokens removed, cut before a matched stop string. */
  text: string;
  /** Prompt token ids as fed to the model. */
  promptIds: number[];
  /** Sampled token ids, including an eos token or the token that completed a stop string. */
  tokenIds: number[];
  /** Model log-probability (temperature 1) of each sampled token. */
  logprobs: number[];
  /** `stop`: eos or stop string; `length`: `maxTokens` (or the model's length limit) reached. */
  finishReason: 'stop' | 'length';
  /** The stop string or eos id that ended the completion, if any. */
  stopReason?: string | number;
}

/** Token ids of a prompt (see `PromptInput`). */
export function encodePrompt(policy: Policy, prompt: PromptInput): number[] {
  if (typeof prompt === 'string') return policy.tokenizer.encode(prompt, { addSpecialTokens: true });
  if ('promptIds' in prompt) return [...prompt.promptIds];
  return policy.tokenizer.encodeChat(prompt as readonly Message[]);
}

/** The earliest stop string in `text` and where it starts, if any. */
export function firstStop(text: string, stops: readonly string[]): { index: number; stop: string } | undefined {
  let best: { index: number; stop: string } | undefined;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (!best || i < best.index)) best = { index: i, stop: s };
  }
  return best;
}

/** `tf.tidy` keeps the returned logits and cache tensors and frees everything else. */
function tidyForward(fn: () => ForwardOutput): ForwardOutput {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as ForwardOutput;
}

function disposeCache(c: KvCache): void {
  for (const t of [...c.keys, ...c.values]) t.dispose();
}

/** Row `r` of `rows`' indices, for `tf.gather` along the batch axis. */
function gatherRows(c: KvCache, rows: Int32Array): KvCache {
  return tf.tidy(() => {
    const idx = tf.tensor1d(rows, 'int32');
    return { keys: c.keys.map((k) => tf.gather(k, idx)), values: c.values.map((v) => tf.gather(v, idx)) };
  }) as KvCache;
}

/**
 * Prefills left-padded prompts in chunks of `chunk` tokens through the KV cache: one pass over a
 * long prompt materialises `[T, T]` masks and attention scores (a 20k-token BFCL prompt needs
 * GBs, past wasm's 4 GB address space). Returns the last position's logits and the cache.
 */
function prefill(policy: Policy, prepared: Weights, prompts: readonly number[][], pad: readonly number[], maxLen: number, padId: number, chunk: number): ForwardOutput {
  const b = prompts.length;
  const flat = new Int32Array(b * maxLen).fill(padId);
  prompts.forEach((ids, i) => flat.set(ids, i * maxLen + (pad[i] as number)));
  let out: ForwardOutput | undefined;
  for (let s0 = 0; s0 < maxLen; s0 += chunk) {
    const t = Math.min(chunk, maxLen - s0);
    const ids = new Int32Array(b * t);
    for (let i = 0; i < b; i++) ids.set(flat.subarray(i * maxLen + s0, i * maxLen + s0 + t), i * t);
    const inp = causalInputs(pad, s0, t);
    const prev = out;
    out = tidyForward(() =>
      policy.forward({
        ids: tf.tensor2d(ids, [b, t], 'int32'),
        positions: tf.tensor2d(inp.positions, [b, t], 'int32'),
        mask: tf.tensor4d(inp.mask, [b, 1, t, s0 + t]),
        cache: prev?.cache ?? { keys: [], values: [] },
        lastOnly: true,
      }, prepared),
    );
    if (prev) {
      prev.logits.dispose();
      if (prev.cache) disposeCache(prev.cache);
    }
  }
  return out as ForwardOutput;
}

/**
 * Generates `n` samples for every prompt at once.
 *
 * @example
 * const [g] = await generate(policy, [[{ role: 'user', content: 'Hi' }]], { maxTokens: 16, temperature: 0.7, seed: 1, stop: ['\n\n'] });
 * // g.tokenIds and g.logprobs feed trainStep directly
 * const group = await generate(policy, [prompt], { n: 8, maxTokens: 64, seed: 2 }); // one GRPO group, one prefill
 */
export async function generate(policy: Policy, prompts: readonly PromptInput[], opts: GenerateOptions): Promise<Generation[]> {
  const sampling: SamplingOptions = {
    temperature: opts.temperature ?? DEFAULT_SAMPLING.temperature,
    topP: opts.topP ?? DEFAULT_SAMPLING.topP,
    topK: opts.topK ?? DEFAULT_SAMPLING.topK,
  };
  validateSampling(sampling, 'generate');
  if (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 1) throw new ConfigError(`generate: maxTokens must be a positive integer; got ${opts.maxTokens}.`);
  const n = opts.n ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`generate: n (samples per prompt) must be a positive integer; got ${n}.`);
  const offset = opts.sampleOffset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new ConfigError(`generate: sampleOffset must be a non-negative integer; got ${offset}.`);
  const chunk = opts.prefillChunk ?? 512;
  if (!Number.isInteger(chunk) || chunk < 1) throw new ConfigError(`generate: prefillChunk must be a positive integer; got ${chunk}.`);
  if (prompts.length === 0) return [];
  const stops = (opts.stop ?? []).filter((s) => s.length > 0);
  const eos = new Set(opts.stopAtEos === false ? [] : policy.config.eosTokenIds);
  const promptIds = prompts.map((p) => encodePrompt(policy, p));
  promptIds.forEach((ids, i) => {
    if (ids.length === 0) throw new ConfigError(`generate: prompt ${i} encodes to no tokens; give it some text (or a BOS token id).`);
  });
  // Each distinct prompt is prefilled once; result r reads the cache row of its prompt.
  const distinct = new Map<string, number>();
  const unique: number[][] = [];
  const rowPrompt: number[] = [];
  promptIds.forEach((ids) => {
    const key = ids.join(',');
    let u = distinct.get(key);
    if (u === undefined) {
      u = unique.length;
      distinct.set(key, u);
      unique.push(ids);
    }
    for (let j = 0; j < n; j++) rowPrompt.push(u);
  });

  const maxLen = Math.max(...unique.map((p) => p.length));
  policy.checkLength(maxLen, 'generate');
  const uniquePad = unique.map((p) => maxLen - p.length);
  const padId = policy.tokenizer.specialId('pad_token') ?? policy.config.eosTokenIds[0] ?? 0;
  const base = Rng.fromSeed(opts.seed ?? 0);
  const rngs = rowPrompt.map((_, r) => base.fork(offset + r));
  const out: Generation[] = rowPrompt.map((_, r) => ({ text: '', promptIds: [...(promptIds[Math.floor(r / n)] as number[])], tokenIds: [], logprobs: [], finishReason: 'length' }));
  const v = policy.config.vocabSize;
  const limit = policy.config.lengthLimit?.tokens ?? Infinity;

  const prepared = policy.prepareForDecoding();
  let step: ForwardOutput;
  try {
    step = prefill(policy, prepared, unique, uniquePad, maxLen, padId, chunk);
  } catch (e) {
    disposePrepared(prepared);
    throw e;
  }
  // Rows of the running batch: `active[k]` is the result index decoded in batch row k, and
  // `source[k]` the row of the current cache (and logits) it continues from.
  let active = rowPrompt.map((_, r) => r);
  let source = Int32Array.from(rowPrompt);
  let pastLen = maxLen;
  let lastYield = performance.now();
  try {
    for (let s = 0; ; s++) {
      // tfjs's CPU backends resolve reads as microtasks, so without this a long generation would
      // keep the event loop from polling: a server could not read requests or health checks.
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      opts.signal?.throwIfAborted();
      const logits = (await step.logits.data()) as Float32Array;
      const next: number[] = [];
      const still: number[] = [];
      const from: number[] = [];
      active.forEach((r, k) => {
        const g = out[r] as Generation;
        const row = source[k] as number;
        const { token, logprob } = sampleToken(logits.subarray(row * v, (row + 1) * v), sampling, rngs[r] as Rng);
        g.tokenIds.push(token);
        g.logprobs.push(logprob);
        opts.onToken?.(r, token);
        if (eos.has(token)) {
          Object.assign(g, { finishReason: 'stop', stopReason: token });
          return;
        }
        if (stops.length) {
          const text = policy.tokenizer.decode(g.tokenIds);
          const hit = firstStop(text, stops);
          if (hit) {
            Object.assign(g, { finishReason: 'stop', stopReason: hit.stop, text: text.slice(0, hit.index) });
            return;
          }
        }
        next.push(token);
        still.push(r);
        from.push(row);
      });
      // At the policy's length limit (`DecoderConfig.lengthLimit`) unfinished rows end with
      // `length`, as vLLM does at max_model_len.
      if (still.length === 0 || s === opts.maxTokens - 1 || pastLen + 1 > limit) break;
      const cache = step.cache as KvCache;
      step.logits.dispose();
      // The cache holds one row per distinct prompt after the prefill, then one per running
      // sample; gather the rows the next step continues (only when they are not already in order).
      const rows = Int32Array.from(from);
      const identity = rows.length === cache.keys[0]?.shape[0] && rows.every((x, i) => x === i);
      const current = identity ? cache : gatherRows(cache, rows);
      if (!identity) disposeCache(cache);
      const pads = still.map((r) => uniquePad[rowPrompt[r] as number] as number);
      const inp = causalInputs(pads, pastLen, 1);
      const bs = still.length;
      step = tidyForward(() =>
        policy.forward({
          ids: tf.tensor2d(Int32Array.from(next), [bs, 1], 'int32'),
          positions: tf.tensor2d(inp.positions, [bs, 1], 'int32'),
          mask: tf.tensor4d(inp.mask, [bs, 1, 1, pastLen + 1]),
          cache: current,
        }, prepared),
      );
      disposeCache(current);
      active = still;
      source = Int32Array.from(still, (_, k) => k);
      pastLen += 1;
    }
  } finally {
    step.logits.dispose();
    if (step.cache) disposeCache(step.cache);
    disposePrepared(prepared);
  }
  for (const g of out) if (g.stopReason === undefined || typeof g.stopReason === 'number') g.text = policy.tokenizer.decode(g.tokenIds);
  return out;
}
