import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeTinyModel } from '../testing/tiny-model.js';
import { readSamplingDefaults } from './generation-defaults.js';
import { loadPolicy } from './policy/policy.js';
import { LocalPolicyClient } from './policy-client.js';

const dir = await mkdtemp(join(tmpdir(), 'exitgym-local-client-'));
await writeTinyModel(dir, { seed: 5, embedStd: 0.3, generationConfig: { temperature: 0, top_k: 3 } });
const policy = await loadPolicy(dir, { backend: 'cpu', trainable: false, log: () => {} });
after(() => policy.dispose());
const messages = [{ role: 'user' as const, content: 'hello' }];

test('the local client fills omitted sampling fields from generation_config.json and reports what it used', async () => {
  const client = new LocalPolicyClient(policy, { samplingDefaults: await readSamplingDefaults(dir) });
  const greedy = await client.completeMany({ messages, maxTokens: 6, seed: 1 }, 2);
  assert.deepEqual(greedy[0]!.effectiveSampling, { temperature: 0, top_p: 1, top_k: 3, max_tokens: 6, seed: 1 });
  assert.deepEqual(greedy[0]!.tokenIds, greedy[1]!.tokenIds, 'temperature 0 from the checkpoint: greedy');
  const sampled = await client.completeMany({ messages, maxTokens: 6, seed: 1, temperature: 1, topK: 0 }, 4);
  assert.equal(sampled[0]!.effectiveSampling?.temperature, 1, 'the request wins');
  assert.ok(new Set(sampled.map((c) => c.tokenIds!.join(','))).size > 1, 'and samples differ');
  assert.deepEqual((await client.complete({ messages, maxTokens: 6, seed: 1, temperature: 1, topK: 0 })).tokenIds, sampled[0]!.tokenIds, 'complete is sample 0');
});
