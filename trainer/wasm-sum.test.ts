import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/rng.js';
import { tf, selectBackend } from './backend.js';

test('wasm Sum over leading axes equals the transposed reduction bit for bit; other axes and keepDims as tfjs defines them', async () => {
  await selectBackend('wasm', { log: () => {} });
  const rng = Rng.fromSeed(9);
  const x = tf.tensor(Float32Array.from({ length: 6 * 5 * 7 }, () => rng.next() * 2 - 1), [6, 5, 7]);
  const cases: [number[], boolean][] = [[[0], false], [[0, 1], false], [[0], true], [[0, 1], true], [[1], false], [[2], false], [[0, 2], false], [[0, 1, 2], false]];
  for (const [axes, keepDims] of cases) {
    const got = tf.sum(x, axes, keepDims);
    // The definition, through a transpose that puts the reduced axes last (tfjs's own route).
    const rest = [0, 1, 2].filter((a) => !axes.includes(a));
    const want = tf.tidy(() => {
      const moved = tf.transpose(x, [...rest, ...axes]);
      const flat = tf.reshape(moved, [rest.reduce((p, a) => p * (x.shape[a] as number), 1), -1]);
      const s = tf.sum(flat, 1);
      const shape = keepDims ? x.shape.map((d, a) => (axes.includes(a) ? 1 : d)) : rest.map((a) => x.shape[a] as number);
      return tf.reshape(s, shape);
    });
    assert.deepEqual(got.shape, want.shape, `axes ${axes} keepDims ${keepDims}`);
    assert.deepEqual([...got.dataSync()], [...want.dataSync()], `axes ${axes} keepDims ${keepDims}`);
    tf.dispose([got, want]);
  }
  const ints = tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 0);
  assert.deepEqual([ints.dtype, ...ints.dataSync()], ['int32', 4, 6]);
  tf.dispose([x, ints]);
});

test('wasm Identity shares the data: a clone keeps its values after the original goes, and the memory goes with the last one', async () => {
  await selectBackend('wasm', { log: () => {} });
  const before = tf.memory().numBytes;
  const buffersBefore = tf.engine().backend.numDataIds();
  const a = tf.tensor1d([1, 2, 3]);
  const b = tf.clone(a);
  assert.equal(tf.engine().backend.numDataIds(), buffersBefore + 1, 'one buffer for both');
  a.dispose();
  assert.deepEqual([...b.dataSync()], [1, 2, 3]);
  b.dispose();
  assert.equal(tf.engine().backend.numDataIds(), buffersBefore);
  assert.equal(tf.memory().numBytes, before);
  // A variable assigned from a clone, then the clone disposed: the variable keeps its values.
  const v = tf.variable(tf.tensor1d([5, 6]));
  const c = tf.clone(v);
  v.assign(tf.tensor1d([7, 8]));
  assert.deepEqual([...c.dataSync()], [5, 6]);
  assert.deepEqual([...v.dataSync()], [7, 8]);
  tf.dispose([v, c]);
});
