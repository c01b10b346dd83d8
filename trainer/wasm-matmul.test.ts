import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/rng.js';
import { tf, selectBackend } from './backend.js';
import { nativeBlas } from './native-blas.js';
import { nativeMatMulActive, setNativeMatMul } from './wasm-matmul.js';

// (native-blas.test.ts fails where CI requires the addon and it is not built.)
const { reason: notBuilt } = nativeBlas();

/** Plain-number `op(a) · op(b)` for row-major 2D arrays. */
function reference(a: Float32Array, b: Float32Array, [ar, ac]: number[], [br, bc]: number[], ta: boolean, tb: boolean): Float32Array {
  const m = ta ? (ac as number) : (ar as number);
  const k = ta ? (ar as number) : (ac as number);
  const n = tb ? (br as number) : (bc as number);
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (a[ta ? q * (ac as number) + i : i * (ac as number) + q] as number) * (b[tb ? j * (bc as number) + q : q * (bc as number) + j] as number);
      out[i * n + j] = s;
    }
  }
  return out;
}

async function checkProducts(): Promise<void> {
  await selectBackend('wasm', { log: () => {} });
  const rng = Rng.fromSeed(3);
  const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
  // 7·5·9 products stay on the original loop; 40·24·33 ones (above PER_ITEM_MIN_MACS) are one XNNPACK call per batch item.
  for (const [ta, tb, m, k, n] of [false, true].flatMap((ta) => [false, true].flatMap((tb) => [[ta, tb, 7, 5, 9], [ta, tb, 40, 24, 33]] as const))) {
    const aShape = ta ? [k, m] : [m, k];
    const bShape = tb ? [n, k] : [k, n];
    const a = rand(m * k);
    const b = rand(k * n);
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(a, aShape as [number, number]), tf.tensor2d(b, bShape as [number, number]), ta, tb).dataSync());
    const want = reference(a, b, aShape, bShape, ta, tb);
    want.forEach((x, i) => assert.ok(Math.abs((got[i] as number) - x) < 1e-5, `ta=${ta} tb=${tb} [${i}]: ${got[i]} vs ${x}`));
    // Batched (the attention shapes): each batch equals its own 2D product.
    const batch = 3;
    const as = rand(batch * m * k);
    const bs = rand(batch * k * n);
    const out = tf.tidy(() => tf.matMul(tf.tensor3d(as, [batch, ...aShape] as [number, number, number]), tf.tensor3d(bs, [batch, ...bShape] as [number, number, number]), ta, tb).dataSync());
    for (let z = 0; z < batch; z++) {
      const w = reference(as.subarray(z * m * k, (z + 1) * m * k), bs.subarray(z * k * n, (z + 1) * k * n), aShape, bShape, ta, tb);
      w.forEach((x, i) => assert.ok(Math.abs((out[z * m * n + i] as number) - x) < 1e-5, `batched ta=${ta} tb=${tb} [${z}][${i}]`));
    }
  }
  const buffers = (): number => tf.backend().numDataIds();
  const before = buffers();
  tf.tidy(() => void tf.matMul(tf.ones([4, 3]), tf.ones([5, 3]), false, true).dataSync());
  tf.tidy(() => void tf.matMul(tf.ones([2, 3, 40, 24]), tf.ones([2, 3, 33, 24]), false, true).dataSync());
  assert.equal(buffers(), before, 'the transposed copies are freed');
  // Per item, rank 4: item (i, j) of [2, 3, …] is the product of the operands' item (i, j).
  const a4 = rand(6 * 40 * 24);
  const b4 = rand(6 * 24 * 33);
  const out4 = tf.tidy(() => tf.matMul(tf.tensor4d(a4, [2, 3, 40, 24]), tf.tensor4d(b4, [2, 3, 24, 33])).dataSync());
  for (let z = 0; z < 6; z++) {
    const w = reference(a4.subarray(z * 960, (z + 1) * 960), b4.subarray(z * 792, (z + 1) * 792), [40, 24], [24, 33], false, false);
    w.forEach((x, i) => assert.ok(Math.abs((out4[z * 1320 + i] as number) - x) < 1e-4, `rank 4 [${z}][${i}]`));
  }
  // A broadcast batch (one operand's batch is 1) takes the original loop, still right.
  const bc = tf.tidy(() => tf.matMul(tf.tensor3d(a4.subarray(0, 2 * 960), [2, 40, 24]), tf.tensor3d(b4.subarray(0, 792), [1, 24, 33])).dataSync());
  reference(a4.subarray(960, 1920), b4.subarray(0, 792), [40, 24], [24, 33], false, false).forEach((x, i) => assert.ok(Math.abs((bc[1320 + i] as number) - x) < 1e-4, `broadcast [1][${i}]`));
}

test('the wasm BatchMatMul kernel (XNNPACK and loop) gives the product for every transpose combination and batched operands, small and per-item sizes', async () => {
  setNativeMatMul(false);
  try {
    assert.equal(nativeMatMulActive(), false);
    await checkProducts();
  } finally {
    setNativeMatMul(true);
  }
});

test('the native BLAS BatchMatMul gives the same products', { skip: notBuilt ? `native BLAS not built: ${notBuilt}` : false }, async () => {
  assert.equal(nativeMatMulActive(), true);
  await checkProducts();
});
