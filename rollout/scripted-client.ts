import { ProviderError } from '../core/errors.js';
import type { Message } from '../core/types.js';
import type { Completion, CompletionRequest, PolicyClient } from './types.js';

/** What a scripted policy sees of a request. */
export interface ScriptContext {
  messages: Message[];
  /** The text of the last user message. */
  lastUser: string;
  seed: number | undefined;
}

/**
 * A policy whose answer is a function of the request: for tests, for baselines, and for checking
 * metrics against known per-step outcomes. Return a string, or throw `ProviderError` to simulate
 * an infrastructure failure.
 */
export class ScriptedClient implements PolicyClient {
  readonly id: string;
  calls = 0;
  constructor(private readonly answer: (ctx: ScriptContext) => string | Promise<string>, id = 'scripted') {
    this.id = id;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    this.calls++;
    const lastUser = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const text = await this.answer({ messages: request.messages, lastUser, seed: request.seed });
    if (typeof text !== 'string') throw new ProviderError('scripted policy returned a non-string', { failure: 'garbage' });
    return { text, finishReason: 'stop' };
  }
}
