import pLimit, { type LimitFunction } from 'p-limit';
import type { Message } from '../core/types.js';
import type { Completion, CompletionRequest, PolicyClient } from '../rollout/types.js';
import { firstStop } from './policy/generate.js';
import type { Policy } from './policy/policy.js';

/** A policy client that can also stream text as tokens are sampled (used by `serve-model`). */
export interface StreamingPolicyClient extends PolicyClient {
  /** Like `complete`, calling `onText` with each new piece of the completion text. */
  stream(request: CompletionRequest, onText: (delta: string) => void): Promise<Completion>;
  /** The text of one token id, for logprob listings. */
  tokenText(id: number): string;
}

export interface LocalClientOptions {
  /** Max new tokens when a request does not say (default 512). */
  maxTokens?: number;
  /** Temperature when a request does not say (default 1). */
  temperature?: number;
  /** Name in logs and results. */
  name?: string;
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
export class LocalPolicyClient implements StreamingPolicyClient {
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

  complete(request: CompletionRequest): Promise<Completion> {
    return this.stream(request, () => {});
  }

  stream(request: CompletionRequest, onText: (delta: string) => void): Promise<Completion> {
    return this.queue(async () => {
      const stops = request.stop ?? [];
      // Text that could still turn into a stop string is held back until it cannot.
      const holdback = Math.max(0, ...stops.map((s) => s.length - 1));
      const ids: number[] = [];
      let sent = 0;
      const [g] = await this.policy.generate([this.messages(request)], {
        maxTokens: request.maxTokens ?? this.opts.maxTokens ?? 512,
        temperature: request.temperature ?? this.opts.temperature ?? 1,
        ...(request.topP !== undefined ? { topP: request.topP } : {}),
        ...(request.topK !== undefined ? { topK: request.topK } : {}),
        seed: request.seed ?? 0,
        ...(stops.length ? { stop: stops } : {}),
        onToken: (_i, id) => {
          ids.push(id);
          const text = this.policy.tokenizer.decode(ids);
          // This token may complete a stop string (generation then ends): never send it or what follows.
          const hit = firstStop(text, stops);
          // A partial UTF-8 sequence decodes to U+FFFD: wait for the rest of the character.
          const safe = hit ? hit.index : (text.endsWith('\uFFFD') ? text.length - 1 : text.length) - holdback;
          const upto = Math.max(sent, safe);
          if (upto > sent) {
            onText(text.slice(sent, upto));
            sent = upto;
          }
        },
      });
      const gen = g!;
      if (gen.text.length > sent) onText(gen.text.slice(sent));
      return {
        text: gen.text,
        finishReason: gen.finishReason,
        tokenIds: gen.tokenIds,
        logprobs: gen.logprobs,
        usage: { promptTokens: gen.promptIds.length, completionTokens: gen.tokenIds.length },
      };
    });
  }

  tokenText(id: number): string {
    return this.policy.tokenizer.decode([id], { skipSpecialTokens: false });
  }
}
