import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeTinyModel } from '../testing/tiny-model.js';
import { loadPolicy } from './policy/policy.js';
import { scoreContinuations, topOfRow } from './token-scores.js';

const dir = await mkdtemp(join(tmpdir(), 'exitgym-scores-'));
await writeTinyModel(dir, { seed: 2, embedStd: 0.3 });
const policy = await loadPolicy(dir, { backend: 'cpu', trainable: false, log: () => {} });
after(() => policy.dispose());

test('topOfRow: the k largest, best first, ties to the lower id', () => {
  assert.deepEqual(topOfRow(Float64Array.from([-3, -1, -2, -1, -5]), 3), [
    { id: 1, logprob: -1 },
    { id: 3, logprob: -1 },
    { id: 2, logprob: -2 },
  ]);
  assert.deepEqual(topOfRow(Float64Array.from([-1]), 0), []);
});

test('continuations scored from one shared prompt pass equal full uncached scoring, in small chunks too', async () => {
  const prompt = policy.tokenizer.encode('the cat sat on the mat');
  const conts = [policy.tokenizer.encode(' and then'), policy.tokenizer.encode('!'), []];
  const own = await policy.tokenLogprobs([
    { ids: [...prompt, ...(conts[0] as number[])], start: 1 },
    { ids: [...prompt, ...(conts[1] as number[])], start: prompt.length },
  ]);
  // maxLogitFloats of 3 rows forces chunked prefill and chunked continuation passes.
  const r = await scoreContinuations(policy, prompt, conts, { topK: 4, promptScores: true, maxLogitFloats: 3 * policy.config.vocabSize });
  const first = own[0] as number[];
  assert.equal(r.prompt?.length, prompt.length - 1);
  r.prompt!.forEach((s, i) => assert.ok(Math.abs(s.logprob - (first[i] as number)) < 1e-4, `prompt token ${i + 1}`));
  r.continuations[0]!.forEach((s, i) => assert.ok(Math.abs(s.logprob - (first[prompt.length - 1 + i] as number)) < 1e-4, `continuation token ${i}`));
  assert.ok(Math.abs(r.continuations[1]![0]!.logprob - (own[1]![0] as number)) < 1e-4);
  assert.deepEqual(r.continuations[2], []);
  for (const s of r.continuations[0]!) {
    assert.equal(s.top.length, 4);
    assert.ok(s.top[0]!.logprob >= s.logprob - 1e-9, 'nothing beats the best');
  }
});
