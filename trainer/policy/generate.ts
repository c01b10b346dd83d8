/**
 * Batched generation with a KV cache: prompts of different lengths are left-padded, prefilled
 * once, then decoded one token per step. Each prompt returns the sampled token ids and the
 * model's logprob of each, so a GRPO step can train on exactly those tokens (no re-tokenising).
 */
import { tf } from '../backend.js';
import { Rng } from '../../core/rng.js';
import { ConfigError } from '../../core/errors.js';
import type { Message } from '../../core/types.js';
import type { Policy } from './policy.js';
import type { ForwardOutput, KvCache } from './model.js';
import { causalInputs } from './model.js';
import { DEFAULT_SAMPLING, sampleToken, validateSampling, type SamplingOptions } from './sampling.js';

/**
 * A prompt: plain text (tokenised with the tokenizer's special tokens, e.g. a Llama BOS, as a
 * completions endpoint does), chat messages (rendered with the chat template, assistant header
 * appended), or token ids as they are.
 */
export type PromptInput = string | readonly Message[] | { promptIds: readonly number[] };

export interface GenerateOptions extends Partial<SamplingOptions> {
  /** Most new tokens per prompt. */
  maxTokens: number;
  /** Seed of the sampling; prompt `i` draws from `Rng.fromSeed(seed).fork(i)` (default 0). */
  seed?: number;
  /** Strings that end a completion; the returned text stops before the first one. */
  stop?: readonly string[];
  /** Also stop at the checkpoint's eos ids (default true). */
  stopAtEos?: boolean;
  /** Prompt tokens per prefill pass (default 512); bounds memory on long prompts. */
  prefillChunk?: number;
  /** Called with each sampled token as soon as it exists (for streaming servers). */
  onToken?: (promptIndex: number, tokenId: number) => void;
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
  return policy.tokenizer.encode(policy.tokenizer.applyChatTemplate(prompt as readonly Message[]));
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

/**
 * Generates for every prompt at once.
 *
 * @example
 * const [g] = await generate(policy, [[{ role: 'user', content: 'Hi' }]], { maxTokens: 16, temperature: 0.7, seed: 1, stop: ['\n\n'] });
 * // g.tokenIds and g.logprobs feed trainStep directly
 */
export async function generate(policy: Policy, prompts: readonly PromptInput[], opts: GenerateOptions): Promise<Generation[]> {
  const sampling: SamplingOptions = {
    temperature: opts.temperature ?? DEFAULT_SAMPLING.temperature,
    topP: opts.topP ?? DEFAULT_SAMPLING.topP,
    topK: opts.topK ?? DEFAULT_SAMPLING.topK,
  };
  validateSampling(sampling, 'generate');
  if (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 1) throw new ConfigError(`generate: maxTokens must be a positive integer; got ${opts.maxTokens}.`);
  if (prompts.length === 0) return [];
  const stops = (opts.stop ?? []).filter((s) => s.length > 0);
  const eos = new Set(opts.stopAtEos === false ? [] : policy.config.eosTokenIds);
  const promptIds = prompts.map((p) => encodePrompt(policy, p));
  promptIds.forEach((ids, i) => {
    if (ids.length === 0) throw new ConfigError(`generate: prompt ${i} encodes to no tokens; give it some text (or a BOS token id).`);
  });
  const b = prompts.length;
  const maxLen = Math.max(...promptIds.map((p) => p.length));
  policy.checkLength(maxLen, 'generate');
  const pad = promptIds.map((p) => maxLen - p.length);
  const padId = policy.tokenizer.specialId('pad_token') ?? policy.config.eosTokenIds[0] ?? 0;
  const base = Rng.fromSeed(opts.seed ?? 0);
  const rngs = promptIds.map((_, i) => base.fork(i));
  const out: Generation[] = promptIds.map((ids) => ({ text: '', promptIds: ids, tokenIds: [], logprobs: [], finishReason: 'length' }));
  const done = new Array<boolean>(b).fill(false);
  const v = policy.config.vocabSize;

  const flat = new Int32Array(b * maxLen).fill(padId);
  promptIds.forEach((ids, i) => flat.set(ids, i * maxLen + (pad[i] as number)));
  // Prefill in chunks through the KV cache: one pass over a long prompt materialises [T, T] masks
  // and attention scores (a 20k-token BFCL prompt needs GBs, past wasm's 4 GB address space).
  const chunk = opts.prefillChunk ?? 512;
  if (!Number.isInteger(chunk) || chunk < 1) throw new ConfigError(`generate: prefillChunk must be a positive integer; got ${chunk}.`);
  let prefill: ForwardOutput | undefined;
  for (let s0 = 0; s0 < maxLen; s0 += chunk) {
    const t = Math.min(chunk, maxLen - s0);
    const ids = new Int32Array(b * t);
    for (let i = 0; i < b; i++) ids.set(flat.subarray(i * maxLen + s0, i * maxLen + s0 + t), i * t);
    const inp = causalInputs(pad, s0, t);
    const prev = prefill;
    prefill = tidyForward(() =>
      policy.forward({
        ids: tf.tensor2d(ids, [b, t], 'int32'),
        positions: tf.tensor2d(inp.positions, [b, t], 'int32'),
        mask: tf.tensor4d(inp.mask, [b, 1, t, s0 + t]),
        cache: prev?.cache ?? { keys: [], values: [] },
        lastOnly: true,
      }),
    );
    if (prev) {
      prev.logits.dispose();
      if (prev.cache) disposeCache(prev.cache);
    }
  }
  let step = prefill as ForwardOutput;
  let pastLen = maxLen;
  try {
    for (let s = 0; s < opts.maxTokens; s++) {
      const logits = (await step.logits.data()) as Float32Array;
      step.logits.dispose();
      const next = new Int32Array(b).fill(padId);
      for (let i = 0; i < b; i++) {
        if (done[i]) continue;
        const g = out[i] as Generation;
        const { token, logprob } = sampleToken(logits.subarray(i * v, (i + 1) * v), sampling, rngs[i] as Rng);
        g.tokenIds.push(token);
        g.logprobs.push(logprob);
        opts.onToken?.(i, token);
        next[i] = token;
        if (eos.has(token)) {
          Object.assign(g, { finishReason: 'stop', stopReason: token });
          done[i] = true;
        } else if (stops.length) {
          const hit = firstStop(policy.tokenizer.decode(g.tokenIds), stops);
          if (hit) {
            Object.assign(g, { finishReason: 'stop', stopReason: hit.stop, text: policy.tokenizer.decode(g.tokenIds).slice(0, hit.index) });
            done[i] = true;
          }
        }
      }
      // At the policy's length limit (`DecoderConfig.lengthLimit`) unfinished rows end with
      // `length`, as vLLM does at max_model_len.
      const limit = policy.config.lengthLimit?.tokens ?? Infinity;
      if (done.every(Boolean) || s === opts.maxTokens - 1 || pastLen + 1 > limit) break;
      const inp = causalInputs(pad, pastLen, 1);
      const cache = step.cache as KvCache;
      step = tidyForward(() =>
        policy.forward({
          ids: tf.tensor2d(next, [b, 1], 'int32'),
          positions: tf.tensor2d(inp.positions, [b, 1], 'int32'),
          mask: tf.tensor4d(inp.mask, [b, 1, 1, pastLen + 1]),
          cache,
        }),
      );
      disposeCache(cache);
      pastLen += 1;
    }
  } finally {
    step.logits.dispose();
    if (step.cache) disposeCache(step.cache);
  }
  for (const g of out) if (g.stopReason === undefined || typeof g.stopReason === 'number') g.text = policy.tokenizer.decode(g.tokenIds);
  return out;
}
