import pLimit, { type LimitFunction } from 'p-limit';
import { ConfigError } from '../core/errors.js';
import type { Message } from '../core/types.js';
import type { Completion, CompletionRequest, PolicyClient } from '../rollout/types.js';
import type { SamplingDefaults } from './generation-defaults.js';
import type { Policy } from './policy/policy.js';

export interface LocalClientOptions {
  /** Max new tokens when a request does not say (default 512). */
  maxTokens?: number;
  /** Temperature when a request does not say (default 1). */
  temperature?: number;
  /** Name in logs and results. */
  name?: string;
  /** Sampling fields a request leaves out (the checkpoint's generation_config.json; see `readSamplingDefaults`). */
  samplingDefaults?: SamplingDefaults;
}

/**
 * A `PolicyClient` over the local tfjs policy: chat messages are rendered with the checkpoint's
 * chat template; completions carry the sampled token ids and logprobs, so a training step can
 * reuse exactly the sampled tokens. tfjs runs one computation at a time, so requests are served
 * one after another; each is seeded on its own, so results do not depend on arrival order.
 *
 * @example
 * const client = new LocalPolicyClient(await loadPolicy('models/tiny'));
 * const c = await client.complete({ messages: [{ role: 'user', content: 'Hi' }], maxTokens: 16, seed: 1 });
 */
export class LocalPolicyClient implements PolicyClient {
  readonly id: string;
  private readonly queue: LimitFunction = pLimit(1);

  constructor(
    readonly policy: Policy,
    private readonly opts: LocalClientOptions = {},
  ) {
    this.id = `local:${opts.name ?? 'policy'}`;
  }

  /** Tool results are sent as user messages: chat templates of small models rarely know `tool`. */
  private messages(request: CompletionRequest): Message[] {
    return request.messages.map((m) => (m.role === 'tool' ? { role: 'user', content: m.content } : m));
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    return (await this.completeMany(request, 1))[0] as Completion;
  }

  /**
   * `n` samples of one request in one batch: sample `j` draws from `fork(j)` of the request seed
   * (so sample 0 is what `complete` returns).
   */
  completeMany(request: CompletionRequest, n: number): Promise<Completion[]> {
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`completeMany: n must be a positive integer; got ${n}.`);
    return this.queue(async () => {
      const messages = this.messages(request);
      const d = this.opts.samplingDefaults ?? {};
      const sampling = {
        maxTokens: request.maxTokens ?? this.opts.maxTokens ?? 512,
        temperature: request.temperature ?? d.temperature ?? this.opts.temperature ?? 1,
        topP: request.topP ?? d.topP ?? 1,
        topK: request.topK ?? d.topK ?? 0,
        seed: request.seed ?? 0,
      };
      // One group: the prompt is prefilled once and its cache shared by the n samples.
      const gens = await this.policy.generate([messages], { ...sampling, n, ...(request.stop?.length ? { stop: request.stop } : {}) });
      const effectiveSampling = { temperature: sampling.temperature, top_p: sampling.topP, top_k: sampling.topK, max_tokens: sampling.maxTokens, seed: sampling.seed };
      return gens.map((g) => ({
        effectiveSampling,
        ...(typeof g.stopReason === 'string' ? { stopString: g.stopReason } : {}),
        text: g.text,
        finishReason: g.finishReason,
        tokenIds: g.tokenIds,
        logprobs: g.logprobs,
        usage: { promptTokens: g.promptIds.length, completionTokens: g.tokenIds.length },
      }));
    });
  }
}
