import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Rng } from '../core/rng.js';
import { tf, selectBackend } from './backend.js';
import { describeNativeBlas, nativeBlas } from './native-blas.js';
import { setNativeMatMul } from './wasm-matmul.js';

// CI builds the addon (scripts/setup-system.sh installs libopenblas-dev, `npm ci` builds it) and
// sets EXITGYM_REQUIRE_NATIVE_BLAS=1, so these run there; elsewhere an unbuilt addon skips them.
const { blas, reason } = nativeBlas();
if (!blas && process.env.EXITGYM_REQUIRE_NATIVE_BLAS === '1') throw new Error(`EXITGYM_REQUIRE_NATIVE_BLAS=1 but ${reason}`);
const skip = blas ? false : `native BLAS not built: ${reason}`;

test('the addon multiplies in place in an ArrayBuffer: transposes, batch strides, a broadcast operand', { skip }, () => {
  const b = blas!;
  const heap = new ArrayBuffer(4 * 64);
  const f = new Float32Array(heap);
  f.set([1, 2, 3, 4], 0); // A: 2×2 at float 0
  f.set([5, 6, 7, 8, 1, 0, 0, 1], 8); // B[0], B[1]: 2×2 each at float 8
  b.sgemm(heap, 0, 32, 64, 2, 2, 2, 2, false, false, 0, 4); // A shared by both batch items
  assert.deepEqual([...f.subarray(16, 24)], [19, 22, 43, 50, 1, 2, 3, 4]);
  b.sgemm(heap, 0, 32, 128, 1, 2, 2, 2, true, true, 0, 0); // Aᵀ·Bᵀ = [[1,3],[2,4]]·[[5,7],[6,8]]
  assert.deepEqual([...f.subarray(32, 36)], [23, 31, 34, 46]);
  assert.match(describeNativeBlas(), /^matmul: native OpenBLAS [\d.]+, 1 thread$/);
});

test('the addon refuses operands outside the buffer, misaligned or non-integer offsets and a non-buffer, without writing', { skip }, () => {
  const b = blas!;
  const heap = new ArrayBuffer(4 * 16);
  const f = new Float32Array(heap).fill(7);
  const bad: [string, unknown[]][] = [
    ['C past the end', [heap, 0, 0, 4 * 13, 1, 2, 2, 2, false, false, 0, 0]],
    ['a batch stride past the end', [heap, 0, 0, 32, 3, 2, 2, 2, false, false, 8, 0]],
    ['a misaligned offset', [heap, 2, 0, 32, 1, 2, 2, 2, false, false, 0, 0]],
    ['a negative offset', [heap, -4, 0, 32, 1, 2, 2, 2, false, false, 0, 0]],
    ['a fractional size', [heap, 0, 0, 32, 1, 1.5, 2, 2, false, false, 0, 0]],
    ['a huge size', [heap, 0, 0, 32, 1, 2 ** 40, 2 ** 40, 2, false, false, 0, 0]],
    ['k = 0', [heap, 0, 0, 32, 1, 2, 2, 0, false, false, 0, 0]],
  ];
  for (const [what, args] of bad) {
    assert.throws(() => (b.sgemm as (...a: unknown[]) => void)(...args), RangeError, what);
  }
  assert.throws(() => (b.sgemm as (...a: unknown[]) => void)(new Float32Array(4), 0, 0, 0, 1, 1, 1, 1, false, false, 0, 0), TypeError);
  assert.throws(() => (b.sgemm as (...a: unknown[]) => void)(heap, 0, 0), TypeError);
  assert.ok(f.every((x) => x === 7), 'nothing was written');
});

test('on the wasm backend, native and XNNPACK matmuls agree on broadcast batches and on gradients', { skip }, async () => {
  await selectBackend('wasm', { log: () => {} });
  const rng = Rng.fromSeed(11);
  const rand = (shape: number[]): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.next() * 2 - 1), shape);
  const a = rand([3, 5, 40, 24]);
  const w = rand([1, 1, 33, 24]);
  const x = rand([5, 24, 33]);
  const run = (): { values: Float32Array[]; shapes: number[][] } => {
    const outs = tf.tidy(() => {
      const p = tf.matMul(a, w, false, true); // [3,5,40,33]: w broadcast over both batch dims
      const q = tf.matMul(a, x); // [3,5,40,33]: x broadcast over the leading dim
      const r = tf.matMul(tf.reshape(a, [15, 40, 24]), tf.reshape(a, [15, 40, 24]), true, false); // [15,24,24]
      // (tfjs has no gradient for a broadcast batch: the gradients are taken on same-batch and 2D products.)
      const a3 = tf.reshape(a, [15, 40, 24]);
      const g = tf.grads((u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.square(tf.matMul(u, v, false, true))))([a3, tf.tile(tf.reshape(w, [1, 33, 24]), [15, 1, 1])]);
      const h = tf.grads((u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.sin(tf.matMul(u, v, true, false))))([tf.slice(tf.reshape(a, [600, 24]), [0, 0], [120, 24]), tf.reshape(x, [120, 33])]);
      return [p, q, r, ...g, ...h];
    });
    const res = { values: outs.map((t) => t.dataSync() as Float32Array), shapes: outs.map((t) => t.shape) };
    tf.dispose(outs);
    return res;
  };
  const native = run();
  setNativeMatMul(false);
  let wasm: ReturnType<typeof run>;
  try {
    wasm = run();
  } finally {
    setNativeMatMul(true);
  }
  assert.deepEqual(native.shapes, [[3, 5, 40, 33], [3, 5, 40, 33], [15, 24, 24], [15, 40, 24], [15, 33, 24], [120, 24], [120, 33]]);
  assert.deepEqual(native.shapes, wasm.shapes);
  native.values.forEach((v, i) => {
    const u = wasm.values[i] as Float32Array;
    const scale = Math.max(1, ...u.map(Math.abs));
    v.forEach((y, j) => assert.ok(Math.abs(y - (u[j] as number)) <= 1e-5 * scale, `output ${i} [${j}]: ${y} vs ${u[j]}`));
  });
  tf.dispose([a, w, x]);
});

test('a bad EXITGYM_BLAS_THREADS is an error naming the variable, not a quiet fallback to XNNPACK', () => {
  const script = `import('${new URL('./native-blas.ts', import.meta.url).href}').then((m) => { try { m.nativeBlas(); console.log('no error'); } catch (e) { console.log(e.name + ': ' + e.message); } })`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, EXITGYM_BLAS_THREADS: 'lots' }, encoding: 'utf8' });
  assert.match(out, /ConfigError: EXITGYM_BLAS_THREADS must be a whole number from 1 to 1024, got "lots"/);
});
