/**
 * Two wasm kernels that the gradient tape runs often, made cheap:
 *
 * - `Sum` over leading axes (the gradient of every broadcast add and of RMSNorm's weight: a
 *   [tokens, d] sum over tokens). tfjs-backend-wasm transposes the input first, then reduces rows:
 *   1.2 ms for 1,024 × 128 here. Here rows are added into the output in place, in the same order
 *   (each output element summed over the rows in turn, in float32), so the values are the same.
 * - `Identity` (`tf.clone`, and the engine's copy of every tensor saved for the backward pass): the
 *   wasm kernel copies the data; here the output shares it, as the wasm `Reshape` kernel already
 *   does (tensors are immutable; the backend frees shared memory when its last tensor goes).
 */
import { tf } from './backend.js';
import { overrideWasmKernel } from './wasm-override.js';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  incRef(dataId: tf.DataId): void;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  wasm: { HEAPF32: Float32Array };
}

/** Replaces the wasm `Sum` and `Identity` kernels (once per process). */
export function registerWasmSumAndIdentity(): void {
  overrideWasmKernel('Sum', (baseSum) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as { axis: number | number[] | null; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis ?? [], x.shape).sort((a, b) => a - b);
    const lead = axes.length;
    // Only a reduction over the leading axes, keeping some trailing ones, takes this path.
    if (x.dtype !== 'float32' || lead === 0 || lead >= x.shape.length || axes.some((a, i) => a !== i)) return baseSum(args);
    const backend = args.backend as WasmBackendLike;
    const inner = x.shape.slice(lead).reduce((a, b) => a * b, 1);
    const rows = x.shape.slice(0, lead).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, lead).map(() => 1), ...x.shape.slice(lead)] : x.shape.slice(lead), 'float32');
    // Read after makeOutput: allocating can grow the wasm memory and replace the heap's buffer.
    const heap = backend.wasm.HEAPF32;
    const src = backend.dataIdMap.get(x.dataId).memoryOffset / 4;
    const dst = backend.dataIdMap.get(out.dataId).memoryOffset / 4;
    const acc = heap.subarray(dst, dst + inner);
    acc.fill(0);
    for (let r = 0; r < rows; r++) {
      const row = src + r * inner;
      for (let j = 0; j < inner; j++) acc[j] = (acc[j] as number) + (heap[row + j] as number);
    }
    return out;
  });
  overrideWasmKernel('Identity', (baseIdentity) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return baseIdentity(args);
    (args.backend as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
}
