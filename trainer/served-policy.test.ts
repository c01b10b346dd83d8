import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTinyModel } from '../testing/tiny-model.js';
import { loadPolicy } from './policy/policy.js';
import { ServedPolicy } from './served-policy.js';
import type { ServedRequest } from './served-model.js';

const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((k) => mkdtemp(join(tmpdir(), `exitgym-served-${k}-`))));
await writeTinyModel(a as string, { seed: 1, embedStd: 0.3 });
await writeTinyModel(b as string, { seed: 2, embedStd: 0.3 });
await writeTinyModel(c as string, { seed: 1, hiddenSize: 48 });
const request: ServedRequest = { prompts: [{ text: 'the cat' }], n: 3, maxTokens: 6, temperature: 1, seed: 4, topLogprobs: 0 };

test('n samples of a prompt are one group of generate(…, { n }): the same samples as the prompt repeated n times', async () => {
  const policy = await loadPolicy(a as string, { backend: 'cpu', trainable: false, log: () => {} });
  const served = new ServedPolicy(policy);
  const r = await served.generate(request);
  const direct = await policy.generate(['the cat', 'the cat', 'the cat'], { maxTokens: 6, temperature: 1, seed: 4 });
  assert.deepEqual(r.choices.map((ch) => ch.tokenIds), direct.map((g) => g.tokenIds));
  assert.deepEqual(r.choices.map((ch) => ch.prompt), [0, 0, 0]);
  assert.equal(r.weightsVersion, 0);
  await served.close();
});

test('reloads: a request keeps the weights it arrived with; the old weights are freed after it; another model is refused', async () => {
  const policy = await loadPolicy(a as string, { backend: 'cpu', trainable: false, log: () => {} });
  const served = new ServedPolicy(policy);
  const before = await served.generate(request);
  const inFlight = served.generate(request); // takes version 0 now
  const reload = served.reloadWeights(b as string);
  const [r0, version] = await Promise.all([inFlight, reload]);
  assert.equal(version, 1);
  assert.equal(r0.weightsVersion, 0);
  assert.deepEqual(r0.choices.map((ch) => ch.tokenIds), before.choices.map((ch) => ch.tokenIds));
  assert.equal(policy.weights.size, 0, 'the old weights were disposed once no request held them');
  const r1 = await served.generate(request);
  assert.equal(r1.weightsVersion, 1);
  assert.notDeepEqual(r1.choices.map((ch) => ch.tokenIds), before.choices.map((ch) => ch.tokenIds));
  await assert.rejects(served.reloadWeights(c as string), /another model/);
  await assert.rejects(served.reloadWeights(join(a as string, 'missing')), /no config\.json/);
  assert.equal(served.weightsVersion, 1);
  await served.close();
});

test('a request whose client left while it was queued never runs; the next one does', async () => {
  const policy = await loadPolicy(a as string, { backend: 'cpu', trainable: false, log: () => {} });
  const served = new ServedPolicy(policy);
  const controller = new AbortController();
  const first = served.generate({ ...request, maxTokens: 40 });
  const queued = served.generate({ ...request, signal: controller.signal });
  controller.abort(new Error('gone'));
  await first;
  await assert.rejects(queued, /gone/);
  assert.equal((await served.generate(request)).choices.length, 3);
  await served.close();
});
