/**
 * The shape-only matmuls `bench/grpo-step.ts --memory-dry` measures the 24-layer peak with: they
 * must give products of the right shape (zeros), and a train step under them must reach the same
 * peak tensor memory as the real step.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeTinyModel } from '../testing/tiny-model.js';
import { selectBackend, tf } from '../trainer/backend.js';
import { loadPolicy } from '../trainer/policy/policy.js';
import { createOptimizer, trainStep, type GrpoSample } from '../trainer/train-step.js';
import { peakTensorBytes } from './peak-memory.js';
import { productShape, useShapeOnlyMatMul } from './shape-only-matmul.js';

const dir = mkdtempSync(join(tmpdir(), 'exitgym-dry-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('productShape: transposes and broadcast batch dims', () => {
  assert.deepEqual(productShape([2, 3], [3, 5], false, false), [2, 5]);
  assert.deepEqual(productShape([3, 2], [5, 3], true, true), [2, 5]);
  assert.deepEqual(productShape([4, 1, 2, 3], [7, 5, 3], false, true), [4, 7, 2, 5]);
});

test('shape-only products are zeros of the real shape; the real kernels come back after', async () => {
  await selectBackend('cpu', { strict: true, log: () => {} });
  const a = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
  const b = tf.randomNormal([4, 5], 0, 1, 'float32', 2);
  const real = tf.matMul(a, tf.broadcastTo(b, [2, 4, 5]));
  const restore = useShapeOnlyMatMul('cpu');
  const dry = tf.matMul(a, tf.broadcastTo(b, [2, 4, 5]));
  const dryT = tf.matMul(tf.transpose(a, [0, 2, 1]), tf.transpose(b), true, true);
  restore();
  const again = tf.matMul(a, tf.broadcastTo(b, [2, 4, 5]));
  assert.deepEqual(dry.shape, [2, 3, 5]);
  assert.deepEqual(await dry.data(), new Float32Array(30));
  assert.deepEqual(dryT.shape, [2, 3, 5]);
  assert.deepEqual(await again.data(), await real.data());
  assert.notDeepEqual(await real.data(), new Float32Array(30));
  tf.dispose([a, b, real, dry, dryT, again]);
});

test('a train step under shape-only matmuls reaches the same peak tensor memory as the real one', async () => {
  await writeTinyModel(dir, { seed: 0 });
  const batch: GrpoSample[] = [0, 1, 2].map((i) => ({
    promptIds: [1, 2, 3, 4 + i],
    completionIds: [5, 6 + i, 7, 8, 9].slice(0, 3 + i),
    oldLogprobs: [-1, -2, -3, -4, -5].slice(0, 3 + i),
    advantage: i - 1,
  }));
  const peakOf = async (dry: boolean): Promise<number> => {
    const policy = await loadPolicy(dir, { backend: 'cpu', log: () => {} });
    const optimizer = createOptimizer({ learningRate: 1e-3 });
    const restore = dry ? useShapeOnlyMatMul('cpu') : () => {};
    try {
      const base = tf.memory().numBytes;
      const { peakBytes } = await peakTensorBytes(() => trainStep(policy, null, batch, optimizer, { beta: 0, microBatchSize: 2, checkpoint: true, headChunk: 3 }));
      return peakBytes - base;
    } finally {
      restore();
      optimizer.dispose();
      policy.dispose();
    }
  };
  const real = await peakOf(false);
  const dry = await peakOf(true);
  assert.ok(real > 0);
  assert.equal(dry, real);
});
