import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/rng.js';
import { tf, selectBackend } from './backend.js';

/** Plain-number gather along `axis` (batchDims 0), the definition the kernel must meet. */
function reference(x: number[], shape: number[], idx: number[], idxShape: number[], axis: number): { values: number[]; shape: number[] } {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const slice = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const dim = shape[axis] as number;
  const values: number[] = [];
  for (let o = 0; o < outer; o++) for (const i of idx) for (let j = 0; j < slice; j++) values.push(x[(o * dim + i) * slice + j] as number);
  return { values, shape: [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)] };
}

test('the wasm GatherV2 kernel gathers slices of any size along any axis, float32 and int32, like the definition', async () => {
  await selectBackend('wasm', { log: () => {} });
  const rng = Rng.fromSeed(4);
  const cases: { shape: number[]; axis: number; idxShape: number[]; dtype: 'float32' | 'int32' }[] = [
    { shape: [50, 40], axis: 0, idxShape: [70], dtype: 'float32' }, // embedding rows (copyWithin)
    { shape: [50, 3], axis: 0, idxShape: [9], dtype: 'float32' }, // short slices (element loop)
    { shape: [600], axis: 0, idxShape: [2, 5], dtype: 'float32' }, // flat, 2D indices
    { shape: [4, 30, 20], axis: 1, idxShape: [12], dtype: 'int32' },
    { shape: [3, 5, 7], axis: 2, idxShape: [4], dtype: 'float32' },
    { shape: [5, 8], axis: 0, idxShape: [0], dtype: 'float32' },
  ];
  for (const c of cases) {
    const size = c.shape.reduce((a, b) => a * b, 1);
    const x = Array.from({ length: size }, () => (c.dtype === 'int32' ? rng.int(1000) - 500 : rng.next() * 2 - 1));
    const n = c.idxShape.reduce((a, b) => a * b, 1);
    const idx = Array.from({ length: n }, () => rng.int(c.shape[c.axis] as number));
    const got = tf.tidy(() => tf.gather(tf.tensor(x, c.shape, c.dtype), tf.tensor(idx, c.idxShape, 'int32'), c.axis));
    const want = reference(x, c.shape, idx, c.idxShape, c.axis);
    assert.deepEqual(got.shape, want.shape, JSON.stringify(c));
    assert.equal(got.dtype, c.dtype);
    const expected = c.dtype === 'int32' ? want.values : [...new Float32Array(want.values)];
    assert.deepEqual([...got.dataSync()], expected, JSON.stringify(c));
    got.dispose();
  }
  // Out of range: the original kernel's message, nothing left allocated.
  const before = tf.memory().numTensors;
  assert.throws(() => tf.tidy(() => tf.gather(tf.zeros([4, 2]), tf.tensor1d([1, 4], 'int32'))), /index value 4 is not in \[0, 3\]/);
  assert.throws(() => tf.tidy(() => tf.gather(tf.zeros([4, 2]), tf.tensor1d([-1], 'int32'))), /index value -1 is not in \[0, 3\]/);
  assert.equal(tf.memory().numTensors, before);
  // batchDims 1 goes to the original kernel.
  const b = tf.tidy(() => tf.gather(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), tf.tensor2d([[2, 0], [1, 1]], [2, 2], 'int32'), 1, 1).arraySync());
  assert.deepEqual(b, [[3, 1], [5, 5]]);
  // The embedding lookup's gradient (UnsortedSegmentSum over the gathered rows) is unchanged.
  const e = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.gather(w, tf.tensor1d([2, 0, 2], 'int32')), tf.tensor2d([[1, 1], [1, 1], [2, 2]]))))(e);
  assert.deepEqual(g.arraySync(), [[1, 1], [0, 0], [3, 3]]);
  tf.dispose([e, g]);
});
