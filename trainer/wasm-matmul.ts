/**
 * A `BatchMatMul` kernel for the wasm backend that keeps transposed products on the fast path.
 * tfjs-backend-wasm 4.22 sends a matmul to XNNPACK only when neither operand is transposed and
 * there is one batch; a transposed operand (every `x·Wᵀ` linear layer and the output head, and the
 * weight-side product of each one's gradient) goes to a scalar loop that measured 6–10× slower on
 * this machine. Here a transposed operand is first transposed in memory (the wasm `Transpose`
 * kernel: a copy, far cheaper than the product), then the original kernel multiplies untransposed.
 * Batched products (attention) would take that scalar loop too, whatever the transposes; here
 * each batch item is one XNNPACK product on views into the operands' memory (tensor ids that
 * point inside the batched tensors: no slice copies, no tfjs dispatch per item). Tiny items (a
 * decode step's single query row) stay on the loop, where XNNPACK's per-call set-up costs more.
 *
 * When the optional native BLAS is built (./native-blas.ts), every float32 product goes to it
 * instead, transposes and broadcast batches included, in place in the wasm heap.
 */
import { tf } from './backend.js';
import { nativeBlas, type NativeBlas } from './native-blas.js';
import { overrideWasmKernel, type KernelFunc } from './wasm-override.js';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId): void;
  dataIdMap: { get(dataId: tf.DataId): { id: number; memoryOffset: number } };
  dataIdNextNumber: number;
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
    tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
    HEAPU8: Uint8Array;
  };
}

/** Below this many multiply-adds per batch item, the original loop beats one XNNPACK call per item. */
const PER_ITEM_MIN_MACS = 16 * 1024;

let wasmBatchMatMul: ((...a: unknown[]) => void) | undefined;
const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

/**
 * `out[i] = a[i] · b[i]` for each of `n` batch items, untransposed and row-major ([n, m, k] and
 * [n, k, p] in memory), one XNNPACK product per item on views: tensor ids registered at offsets
 * inside the operands, released (not freed) after the call.
 */
function perItemProducts(backend: WasmBackendLike, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo, n: number, m: number, k: number, p: number): void {
  wasmBatchMatMul ??= backend.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
  const base = [a, b, out].map((t) => backend.dataIdMap.get(t.dataId).memoryOffset);
  const sizes = [m * k, k * p, m * p];
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, p]);
  const { tfjs } = backend.wasm;
  for (let i = 0; i < n; i++) {
    const ids = sizes.map((size, j) => {
      const id = backend.dataIdNextNumber++;
      tfjs.registerTensor(id, size, (base[j] as number) + i * size * 4);
      return id;
    });
    try {
      wasmBatchMatMul(ids[0], aShape, 3, ids[1], bShape, 3, false, false, ids[2]);
    } finally {
      for (const id of ids) tfjs.disposeData(id);
    }
  }
}

/**
 * The product by the native BLAS, or `undefined` where its contract does not cover the call (a
 * dtype other than float32, an empty inner dimension, batch dimensions that broadcast other than
 * all-against-one): the caller then takes the wasm path.
 */
function nativeProduct(blas: NativeBlas, backend: WasmBackendLike, a: tf.TensorInfo, b: tf.TensorInfo, transA: boolean, transB: boolean): tf.TensorInfo | undefined {
  // A threaded wasm build's heap is a SharedArrayBuffer, which the addon does not take.
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !(backend.wasm.HEAPU8.buffer instanceof ArrayBuffer)) return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[ra - (transA ? 1 : 2)] as number;
  const k = a.shape[ra - (transA ? 2 : 1)] as number;
  const n = b.shape[rb - (transB ? 2 : 1)] as number;
  if (k === 0 || k !== b.shape[rb - (transB ? 1 : 2)]) return undefined;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const count = (s: number[]): number => s.reduce((p, q) => p * q, 1);
  const nA = count(batchA);
  const nB = count(batchB);
  const same = batchA.length === batchB.length && batchA.every((d, i) => d === batchB[i]);
  if (!same && nA !== 1 && nB !== 1) return undefined;
  const outBatch = tf.backend_util.assertAndGetBroadcastShape(batchA, batchB);
  const batch = Math.max(nA, nB);
  const out = backend.makeOutput([...outBatch, m, n], 'float32');
  if (batch * m * n === 0) return out;
  const offset = (t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId).memoryOffset;
  // The heap is read after makeOutput: allocating can grow the wasm memory and replace its buffer.
  blas.sgemm(backend.wasm.HEAPU8.buffer, offset(a), offset(b), offset(out), batch, m, n, k, transA, transB, nA === 1 ? 0 : m * k, nB === 1 ? 0 : k * n);
  return out;
}

let useNative = true;

/**
 * Whether float32 products go to the native BLAS when it is built (default true). Off, the wasm
 * kernels (XNNPACK and the loop) take every product: for benchmarks that compare the two, and tests.
 */
export function setNativeMatMul(enabled: boolean): void {
  useNative = enabled;
}

/** Whether the next product will go to the native BLAS. */
export function nativeMatMulActive(): boolean {
  return useNative && nativeBlas().blas !== undefined;
}

/** Replaces the wasm `BatchMatMul` kernel (once per process). */
export function registerWasmMatMul(): void {
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (!transposeKernel) return;
  const transpose = transposeKernel.kernelFunc as unknown as KernelFunc;
  overrideWasmKernel('BatchMatMul', (base) => (args) => {
    const { inputs, attrs } = args;
    const backend = args.backend as WasmBackendLike;
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const blas = useNative ? nativeBlas().blas : undefined;
    const viaBlas = blas && nativeProduct(blas, backend, a, b, transposeA, transposeB);
    if (viaBlas) return viaBlas;
    const swapLast = (x: tf.TensorInfo): tf.TensorInfo => {
      const r = x.shape.length;
      const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
      return transpose({ inputs: { x }, attrs: { perm }, backend }) as tf.TensorInfo;
    };
    const batches = (x: tf.TensorInfo): number => x.shape.slice(0, -2).reduce((p, q) => p * q, 1);
    if (batches(a) > 1 || batches(b) > 1) {
      const m = a.shape[a.shape.length - (transposeA ? 1 : 2)] as number;
      const k = a.shape[a.shape.length - (transposeA ? 2 : 1)] as number;
      const p = b.shape[b.shape.length - (transposeB ? 2 : 1)] as number;
      const sameBatch = a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
      if (!sameBatch || a.dtype !== 'float32' || m * k * p < PER_ITEM_MIN_MACS) return base(args);
      const a2 = transposeA ? swapLast(a) : a;
      const b2 = transposeB ? swapLast(b) : b;
      try {
        const out = backend.makeOutput([...a.shape.slice(0, -2), m, p], 'float32');
        perItemProducts(backend, a2, b2, out, batches(a), m, k, p);
        return out;
      } finally {
        if (a2 !== a) backend.disposeData(a2.dataId);
        if (b2 !== b) backend.disposeData(b2.dataId);
      }
    }
    const a2 = transposeA ? swapLast(a) : a;
    const b2 = transposeB ? swapLast(b) : b;
    try {
      return base({ inputs: { a: a2, b: b2 }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend });
    } finally {
      if (a2 !== a) backend.disposeData(a2.dataId);
      if (b2 !== b) backend.disposeData(b2.dataId);
    }
  });
}
