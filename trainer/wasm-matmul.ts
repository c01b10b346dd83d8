/**
 * A `BatchMatMul` kernel for the wasm backend that keeps transposed products on the fast path.
 * tfjs-backend-wasm 4.22 sends a matmul to XNNPACK only when neither operand is transposed and
 * there is one batch; a transposed operand (every `x·Wᵀ` linear layer and the output head, and the
 * weight-side product of each one's gradient) goes to a scalar loop that measured 6–10× slower on
 * this machine. Here a transposed operand is first transposed in memory (the wasm `Transpose`
 * kernel: a copy, far cheaper than the product), then the original kernel multiplies untransposed.
 * Batched products (attention) stay on the original kernel's loop: a JavaScript (i, k, j) loop
 * measured 3× slower than it, and one XNNPACK call per batch slower still (operator set-up).
 */
import { tf } from './backend.js';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: tf.DataId): void;
}

type KernelFunc = (args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: unknown }) => tf.TensorInfo | tf.TensorInfo[];

let installed = false;

/** Replaces the wasm `BatchMatMul` kernel (once per process). */
export function registerWasmMatMul(): void {
  if (installed) return;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (!original || !transposeKernel) return;
  installed = true;
  const base = original.kernelFunc as unknown as KernelFunc;
  const transpose = transposeKernel.kernelFunc as unknown as KernelFunc;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: ((args: Parameters<KernelFunc>[0]) => {
      const { inputs, attrs } = args;
      const backend = args.backend as WasmBackendLike;
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      const swapLast = (x: tf.TensorInfo): tf.TensorInfo => {
        const r = x.shape.length;
        const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
        return transpose({ inputs: { x }, attrs: { perm }, backend }) as tf.TensorInfo;
      };
      const batches = (x: tf.TensorInfo): number => x.shape.slice(0, -2).reduce((p, q) => p * q, 1);
      if (batches(a) > 1 || batches(b) > 1) return base(args);
      const a2 = transposeA ? swapLast(a) : a;
      const b2 = transposeB ? swapLast(b) : b;
      try {
        return base({ inputs: { a: a2, b: b2 }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend });
      } finally {
        if (a2 !== a) backend.disposeData(a2.dataId);
        if (b2 !== b) backend.disposeData(b2.dataId);
      }
    }) as unknown as tf.KernelFunc,
  });
}
