import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTinyModel } from '../../testing/tiny-model.js';
import { tf } from '../backend.js';
import { loadPolicy } from './policy.js';

test('chunked prefill gives the same tokens and logprobs as one pass, and frees its tensors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-prefill-'));
  await writeTinyModel(dir, { seed: 11 });
  const policy = await loadPolicy(dir, { backend: 'cpu', trainable: false, log: () => {} });
  try {
    const prompts = ['a somewhat longer prompt to split', 'short'];
    const opts = { maxTokens: 5, temperature: 1, seed: 4 };
    const whole = await policy.generate(prompts, { ...opts, prefillChunk: 4096 });
    const before = tf.memory().numTensors;
    const chunked = await policy.generate(prompts, { ...opts, prefillChunk: 3 });
    assert.equal(tf.memory().numTensors, before, 'no tensors leaked by the chunked prefill');
    assert.deepEqual(chunked.map((g) => g.tokenIds), whole.map((g) => g.tokenIds));
    chunked.forEach((g, i) => g.logprobs.forEach((lp, j) => assert.ok(Math.abs(lp - whole[i]!.logprobs[j]!) < 1e-4)));
    await assert.rejects(policy.generate(prompts, { ...opts, prefillChunk: 0 }), /prefillChunk must be a positive integer/);
  } finally {
    policy.dispose();
  }
});
