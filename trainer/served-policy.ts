/**
 * The tfjs policy as a `ServedModel` (what `exitgym serve-model` runs): group generation (`n`
 * samples of a prompt, each from its own seed derived from the request's), top logprobs by
 * re-scoring with one shared prompt pass, and weights that can be swapped while serving.
 *
 * Versions: each request takes the weights current when it arrives and keeps them to the end; a
 * reload loads the new weights beside the old, makes them current, and frees the old ones once
 * the last request that took them has finished.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { ConfigError } from '../core/errors.js';
import type { BackendPreference } from './backend.js';
import { readSamplingDefaults, type SamplingDefaults } from './generation-defaults.js';
import { loadPolicy, type Policy } from './policy/policy.js';
import type { PromptInput } from './policy/generate.js';
import type { ServedModel, ServedPrompt, ServedRequest, ServedResult, ServedChoice, TokenScore } from './served-model.js';
import { scoreContinuations } from './token-scores.js';
import { TextStreamer } from './text-streamer.js';

interface Weights {
  policy: Policy;
  version: number;
  /** generation_config.json's sampling fields of these weights' folder. */
  defaults: SamplingDefaults;
  /** Requests holding these weights. */
  users: number;
  /** No longer current: freed when `users` drops to 0. */
  retired: boolean;
}

export interface ServedPolicyOptions {
  /** Backend new weights load on (default: the one the first policy runs on). */
  backend?: BackendPreference;
  log?: (line: string) => void;
  /** Sampling defaults of the first weights (see `readSamplingDefaults`). */
  samplingDefaults?: SamplingDefaults;
}

/** What must not change across a reload for requests and clients to stay valid. */
function signature(policy: Policy): string {
  const c = policy.config;
  return JSON.stringify([c.modelType, c.vocabSize, c.hiddenSize, c.numLayers, c.numHeads, c.numKvHeads, c.headDim, policy.tokenizer.size, policy.tokenizer.chatTemplate ?? null]);
}

export class ServedPolicy implements ServedModel {
  private current: Weights;
  /** tfjs runs one computation at a time: requests are served in arrival order. */
  private readonly queue: LimitFunction = pLimit(1);
  private readonly reloads: LimitFunction = pLimit(1);

  constructor(
    policy: Policy,
    private readonly opts: ServedPolicyOptions = {},
  ) {
    this.current = { policy, version: 0, defaults: opts.samplingDefaults ?? {}, users: 0, retired: false };
  }

  /** Loads a checkpoint folder to serve, with its generation_config.json sampling defaults. */
  static async load(dir: string, opts: ServedPolicyOptions = {}): Promise<ServedPolicy> {
    const samplingDefaults = await readSamplingDefaults(dir);
    const policy = await loadPolicy(dir, { backend: opts.backend ?? 'auto', trainable: false, ...(opts.log ? { log: opts.log } : {}) });
    return new ServedPolicy(policy, { ...opts, samplingDefaults });
  }

  private get policy(): Policy {
    return this.current.policy;
  }

  get contextLength(): number {
    return contextLength(this.policy);
  }

  get takesTools(): boolean {
    return this.policy.tokenizer.takesTools;
  }

  get toolCallFormat(): ServedModel['toolCallFormat'] {
    return this.policy.tokenizer.toolCallFormat;
  }

  get weightsVersion(): number {
    return this.current.version;
  }

  get samplingDefaults(): SamplingDefaults {
    return this.current.defaults;
  }

  encode(prompt: ServedPrompt): number[] {
    return encodeWith(this.policy, prompt);
  }

  decode(ids: readonly number[]): string {
    return this.policy.tokenizer.decode(ids, { skipSpecialTokens: false });
  }

  tokenText(id: number): string {
    return this.policy.tokenizer.decode([id], { skipSpecialTokens: false });
  }

  tokenBytes(id: number): number[] {
    return this.policy.tokenizer.tokenBytes(id);
  }

  async generate(request: ServedRequest): Promise<ServedResult> {
    const held = this.current;
    held.users++;
    try {
      return await this.queue(async () => {
        // tfjs's CPU backends resolve their reads as microtasks, so a generation never lets the
        // event loop poll: yield once per request, so requests and reloads that arrived meanwhile
        // are read (and take their weights) in order.
        await new Promise((resolve) => setImmediate(resolve));
        // A client that left while queued costs nothing.
        request.signal?.throwIfAborted();
        return { ...(await run(held.policy, request)), weightsVersion: held.version };
      });
    } finally {
      held.users--;
      if (held.retired && held.users === 0) held.policy.dispose();
    }
  }

  reloadWeights(dir: string): Promise<number> {
    return this.reloads(async () => {
      const defaults = await readSamplingDefaults(dir);
      const next = await loadPolicy(dir, { backend: this.opts.backend ?? this.policy.backend, trainable: false, ...(this.opts.log ? { log: this.opts.log } : {}) });
      if (signature(next) !== signature(this.policy)) {
        next.dispose();
        throw new ConfigError(`${dir}: these weights are of another model (architecture, vocabulary or chat template differ from the served one); reload only checkpoints of the served model, or start another server.`);
      }
      const old = this.current;
      this.current = { policy: next, version: old.version + 1, defaults, users: 0, retired: false };
      old.retired = true;
      if (old.users === 0) old.policy.dispose();
      return this.current.version;
    });
  }

  async close(): Promise<void> {
    await this.reloads(async () => {
      await this.queue(async () => {});
      this.current.retired = true;
      if (this.current.users === 0) this.current.policy.dispose();
    });
  }
}

function contextLength(policy: Policy): number {
  const c = policy.config;
  return Math.min(c.maxPositions, c.lengthLimit?.tokens ?? Infinity);
}

function encodeWith(policy: Policy, prompt: ServedPrompt): number[] {
  if ('messages' in prompt) {
    return policy.tokenizer.encodeChat(prompt.messages, prompt.tools?.length ? { tools: prompt.tools } : {});
  }
  if ('ids' in prompt) {
    const bad = prompt.ids.find((id) => !Number.isInteger(id) || id < 0 || id >= policy.config.vocabSize);
    if (bad !== undefined) throw new ConfigError(`prompt token id ${bad} is outside the vocabulary [0, ${policy.config.vocabSize}).`);
    return [...prompt.ids];
  }
  return policy.tokenizer.encode(prompt.text, { addSpecialTokens: true });
}

/** Generates (and scores) one request on one set of weights. */
async function run(policy: Policy, req: ServedRequest): Promise<Omit<ServedResult, 'weightsVersion'>> {
  const promptIds = req.prompts.map((p) => encodeWith(policy, p));
  const n = req.n;
  const ctx = contextLength(policy);
  const longest = Math.max(...promptIds.map((ids) => ids.length));
  if (promptIds.some((ids) => ids.length === 0)) throw new ConfigError('a prompt encodes to no tokens; give it some text or token ids.');
  const room = ctx - longest;
  const maxTokens = req.clipMaxTokens ? Math.min(req.maxTokens, room) : req.maxTokens;
  if (room < (req.maxTokens > 0 ? 1 : 0) || maxTokens > room) {
    throw new ConfigError(
      `this model's maximum context length is ${ctx} tokens; the prompt has ${longest} tokens and max_tokens asks for ${req.maxTokens} more. Shorten the prompt or lower max_tokens.`,
    );
  }
  const choices: ServedChoice[] = [];
  if (maxTokens > 0) {
    // One group per prompt: each distinct prompt is prefilled once and its cache shared by its n
    // samples; result i·n + j is sample j of prompt i, drawn from fork(i·n + j) of the seed.
    const rows: PromptInput[] = promptIds.map((ids) => ({ promptIds: ids }));
    const streamers = req.onText
      ? Array.from({ length: rows.length * n }, (_, c) => new TextStreamer((ids) => policy.tokenizer.decode(ids), req.stop ?? [], (d) => req.onText?.(c, d), req.holdFrom))
      : undefined;
    const gens = await policy.generate(rows, {
      n,
      maxTokens,
      temperature: req.temperature,
      ...(req.topP !== undefined ? { topP: req.topP } : {}),
      ...(req.topK !== undefined ? { topK: req.topK } : {}),
      seed: req.seed,
      ...(req.stop?.length ? { stop: req.stop } : {}),
      ...(streamers ? { onToken: (c: number, id: number) => streamers[c]?.push(id) } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    gens.forEach((g, c) => {
      streamers?.[c]?.finish(g.text);
      choices.push({
        prompt: Math.floor(c / n),
        text: g.text,
        tokenIds: g.tokenIds,
        scores: g.tokenIds.map((id, t) => ({ id, logprob: g.logprobs[t] as number, top: [] })),
        finishReason: g.finishReason,
        ...(typeof g.stopReason === 'string' ? { stopString: g.stopReason } : {}),
      });
    });
  } else {
    for (let i = 0; i < req.prompts.length; i++) for (let j = 0; j < n; j++) choices.push({ prompt: i, text: '', tokenIds: [], scores: [], finishReason: 'length' });
  }
  const prompts: ServedResult['prompts'] = promptIds.map((ids) => ({ ids }));
  if (req.topLogprobs > 0 || req.promptLogprobs) {
    // Re-score each prompt's samples from one prompt pass: the alternatives at each position, and
    // logprobs consistent with them (equal to the sampling logprobs up to float32 rounding).
    for (const [i, ids] of promptIds.entries()) {
      const mine = choices.filter((c) => c.prompt === i);
      const scored = await scoreContinuations(policy, ids, mine.map((c) => c.tokenIds), { topK: req.topLogprobs, promptScores: req.promptLogprobs === true });
      mine.forEach((c, j) => (c.scores = scored.continuations[j] as TokenScore[]));
      if (scored.prompt) (prompts[i] as { scores?: TokenScore[] }).scores = scored.prompt;
    }
  }
  return { prompts, choices };
}
