import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServedModel, ServedRequest } from '../trainer/served-model.js';
import { fitMaxTokens, HttpError, samplingOf, validateBody, type RouteContext } from './openai-common.js';
import { chatRequestSchema, completionRequestSchema, MAX_N, type CompletionBody } from './openai-schemas.js';

// A model stub: one token per character, a 32-token context; nothing generates.
const ctx: RouteContext = {
  model: { contextLength: 32, samplingDefaults: {}, encode: (p: { text: string }) => [...p.text].map(() => 1) } as unknown as ServedModel,
  modelName: 'm',
  defaultMaxTokens: Infinity,
  nextSeed: () => 7,
};

function refused(f: () => unknown, param: string, re: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof HttpError && e.status === 400 && e.param === param && re.test(e.message));
}

test('hostile sizes are a 400 before anything is generated: n, n × prompts, top_logprobs, logprobs, max_tokens', () => {
  const messages = [{ role: 'user', content: 'hi' }];
  refused(() => validateBody(chatRequestSchema, { messages, n: 1_000_000 }, 'chat'), 'n', /must be <= 64/);
  refused(() => validateBody(chatRequestSchema, { messages, logprobs: true, top_logprobs: 10_000 }, 'chat'), 'top_logprobs', /must be <= 20/);
  refused(() => validateBody(completionRequestSchema, { prompt: 'x', logprobs: 10_000 }, 'completions'), 'logprobs', /must be <= 20/);
  refused(() => validateBody(completionRequestSchema, { prompt: Array.from({ length: 65 }, () => 'x') }, 'completions'), 'prompt', /./);
  // Each within its bound, but n × prompts over MAX_N.
  const body = validateBody<CompletionBody>(completionRequestSchema, { prompt: ['a', 'b'], n: MAX_N }, 'completions');
  refused(() => samplingOf(ctx, body, 2), 'n', /n × prompts is 128; one request generates at most 64/);
  assert.equal(samplingOf(ctx, { n: MAX_N / 2 }, 2).n, MAX_N / 2);
  // max_tokens past the context is refused; a default is clipped to the room left.
  const request = (maxTokens: number, clipMaxTokens = false): ServedRequest => ({ prompts: [{ text: 'abcd' }], n: 1, maxTokens, clipMaxTokens, temperature: 1, seed: 1, topLogprobs: 0 }) as ServedRequest;
  refused(() => fitMaxTokens(ctx, request(2 ** 31)), 'max_tokens', /maximum context length is 32 tokens; the prompt has 4 tokens/);
  assert.equal(fitMaxTokens(ctx, request(Infinity, true)), 28);
  assert.equal(fitMaxTokens(ctx, request(28)), 28);
});
