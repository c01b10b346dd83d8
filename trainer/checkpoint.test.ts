import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTinyModel } from '../testing/tiny-model.js';
import { tf } from './backend.js';
import { loadOptimizer, saveOptimizer } from './checkpoint.js';
import { loadPolicy } from './policy/policy.js';
import { createOptimizer, trainStep, type GrpoSample } from './train-step.js';

test("Adam's slots round-trip exactly through a checkpoint, and a restored optimizer frees all its memory on dispose", async () => {
  const model = await mkdtemp(join(tmpdir(), 'exitgym-ckpt-model-'));
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-ckpt-'));
  await writeTinyModel(model, { seed: 2 });
  const policy = await loadPolicy(model, { backend: 'wasm', log: () => {} });
  const batch: GrpoSample[] = [0, 1].map((i) => ({ promptIds: [1, 2, 3], completionIds: [4 + i, 5, 6], oldLogprobs: [-3, -3, -3], advantage: i ? 1 : -1 }));
  const before = createOptimizer({ learningRate: 1e-3 });
  await trainStep(policy, null, batch, before, { beta: 0 });
  await trainStep(policy, null, batch, before, { beta: 0 });
  await saveOptimizer(dir, before, policy);

  const baseline = tf.memory().numTensors;
  const after = createOptimizer({ learningRate: 1e-3 });
  await loadOptimizer(dir, after, policy);
  const [a, b] = [await before.getWeights(), await after.getWeights()];
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.deepEqual(await (b[i] as { tensor: tf.Tensor }).tensor.data(), await (a[i] as { tensor: tf.Tensor }).tensor.data(), `slot ${i}`);
  // getWeights hands out the slot variables themselves, plus a fresh scalar of the step count.
  tf.dispose([a[0]?.tensor, b[0]?.tensor].filter((t): t is tf.Tensor => t !== undefined));
  // The next steps agree too: the same update from the same state.
  const vars = [...policy.weights.values()] as tf.Variable[];
  const snapshot = vars.map((v) => v.clone());
  await trainStep(policy, null, batch, before, { beta: 0 });
  const viaBefore = await Promise.all(vars.map((v) => v.data()));
  vars.forEach((v, i) => v.assign(snapshot[i] as tf.Tensor));
  await trainStep(policy, null, batch, after, { beta: 0 });
  for (let i = 0; i < vars.length; i++) assert.deepEqual(await (vars[i] as tf.Variable).data(), viaBefore[i], `weight ${i} after the next step`);
  tf.dispose(snapshot);
  after.dispose();
  assert.equal(tf.memory().numTensors, baseline, 'disposing the restored optimizer frees every tensor it was given');
  before.dispose();
  policy.dispose();
});
