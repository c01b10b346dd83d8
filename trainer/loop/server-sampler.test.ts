import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ProviderError } from '../../core/errors.js';
import { writeTinyModel } from '../../testing/tiny-model.js';
import { loadPolicy } from '../policy/policy.js';
import { ServerBatchSampler } from './server-sampler.js';

const dir = await mkdtemp(join(tmpdir(), 'exitgym-server-sampler-'));
await writeTinyModel(dir, { seed: 3 });
const policy = await loadPolicy(dir, { backend: 'cpu', trainable: false, log: () => {} });
let reply: unknown = {};
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end(JSON.stringify(reply)));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
after(() => {
  server.close();
  policy.dispose();
});
const sampler = new ServerBatchSampler({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, modelName: null, policy });
const rows = [{ messages: [{ role: 'user' as const, content: 'hi' }] }];
const answer = (ids: unknown[], lps: unknown[]): unknown => ({ choices: [{ message: { content: 'x' }, token_ids: ids, logprobs: { content: lps.map((logprob) => ({ logprob })) } }] });

test('a hostile rollout server is an infrastructure failure, never trained on: ids outside the vocabulary, bad logprobs, too many tokens', async () => {
  const v = policy.config.vocabSize;
  reply = answer([1, 2], [-0.5, -1]);
  const ok = await sampler.sampleBatch(rows, { maxTokens: 4, seed: 1 });
  assert.deepEqual(ok[0]!.completion.tokenIds, [1, 2]);
  for (const [ids, lps] of [
    [[v], [-1]],
    [[-1], [-1]],
    [[1.5], [-1]],
    [[1], [0.5]],
    [[1], ['-1']],
    [[1], [null]],
    [[1, 1, 1, 1, 1], [-1, -1, -1, -1, -1]],
  ] as const) {
    reply = answer([...ids], [...lps]);
    await assert.rejects(sampler.sampleBatch(rows, { maxTokens: 4, seed: 1 }), (e: unknown) => e instanceof ProviderError, `${JSON.stringify(ids)} ${JSON.stringify(lps)}`);
  }
});
