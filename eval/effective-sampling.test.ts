import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Completion, CompletionRequest, PolicyClient } from '../rollout/types.js';
import { EffectiveSampling } from './effective-sampling.js';

const ask: CompletionRequest = { messages: [{ role: 'user', content: 'q' }], seed: 1 };

test('seed is dropped and max_tokens kept as a range; single and batched completions are both noted', async () => {
  let call = 0;
  const reported = (): Completion => {
    call++;
    return { text: 'a', finishReason: 'stop', effectiveSampling: { temperature: 0.6, seed: call, max_tokens: 100 * call } };
  };
  const client: PolicyClient = {
    id: 'server',
    complete: async () => reported(),
    completeMany: async (_r, n) => Array.from({ length: n }, reported),
  };
  const effective = new EffectiveSampling();
  const wrapped = effective.wrap(client);
  assert.equal(wrapped.id, 'server');
  await wrapped.complete(ask);
  assert.equal((await wrapped.completeMany?.(ask, 2))?.length, 2);
  assert.deepEqual(effective.values(), [{ temperature: 0.6, max_tokens: { min: 100, max: 300 } }]);
});

test('a server that reports a different configuration on every call cannot grow the record past the cap', async () => {
  let call = 0;
  const client: PolicyClient = {
    id: 'hostile',
    complete: async () => ({ text: 'a', finishReason: 'stop', effectiveSampling: { temperature: call++, junk: 'x'.repeat(10) } }),
  };
  const effective = new EffectiveSampling(3);
  const wrapped = effective.wrap(client);
  assert.equal(wrapped.completeMany, undefined, 'no batched call is invented for a client without one');
  for (let i = 0; i < 50; i++) await wrapped.complete(ask);
  assert.deepEqual(
    effective.values().map((v) => v.temperature),
    [0, 1, 2],
  );
});
