/**
 * Shape-only matrix products for measuring memory at sizes the cpu backend cannot compute in
 * reasonable time: the matmul kernels (`BatchMatMul`, `_FusedMatMul`) of one backend are replaced
 * by kernels that return zeros of the right shape and dtype. Every other kernel still runs, and
 * tfjs's live-byte count depends only on the shapes, dtypes and the order tensors are made and
 * freed, so the peak it reports equals the real run's (`bench/grpo-step.ts --memory --dry-check`
 * compares the two on one layer). Timings taken under it mean nothing; bench use only.
 */
import { tf } from '../trainer/backend.js';

type Info = tf.TensorInfo;
type Backend = { makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info };

/** The output shape of a (broadcast) batched product `a · b` with the given transposes. */
export function productShape(a: number[], b: number[], transposeA: boolean, transposeB: boolean): number[] {
  const m = transposeA ? a[a.length - 1] : a[a.length - 2];
  const n = transposeB ? b[b.length - 2] : b[b.length - 1];
  const ba = a.slice(0, -2);
  const bb = b.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const batch = Array.from({ length: rank }, (_, i) => {
    const x = ba[ba.length - rank + i] ?? 1;
    const y = bb[bb.length - rank + i] ?? 1;
    return Math.max(x, y);
  });
  return [...batch, m as number, n as number];
}

/** Replaces `backendName`'s matmul kernels by shape-only ones; returns the function that puts the real ones back. */
export function useShapeOnlyMatMul(backendName: string): () => void {
  const names = ['BatchMatMul', '_FusedMatMul'];
  const originals = names.map((n) => tf.getKernel(n, backendName));
  for (const name of names) {
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
    tf.registerKernel({
      kernelName: name,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { a, b } = inputs as unknown as { a: Info; b: Info };
        const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
        const shape = productShape(a.shape, b.shape, transposeA, transposeB);
        return (backend as unknown as Backend).makeTensorInfo(shape, a.dtype, new Float32Array(shape.reduce((x, y) => x * y, 1)));
      },
    });
  }
  return () => {
    names.forEach((name, i) => {
      tf.unregisterKernel(name, backendName);
      const k = originals[i];
      if (k) tf.registerKernel(k);
    });
  };
}
