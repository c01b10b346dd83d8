/**
 * A `GatherV2` kernel for the wasm backend: whole slices copied inside the heap. tfjs-backend-wasm
 * 4.22's C++ gather computes every element's source index through strides, which measured 8–9 ms
 * for the embedding lookup of 1,024 tokens × 128 here (60 ns per float); a train step runs ~11
 * gathers (embedding, the rows scored, each chunk's target logits). Copying each gathered slice
 * with `copyWithin` takes a fraction of that. Other cases (batch dims, other dtypes) keep the
 * original kernel; out-of-range indices throw before anything is written, as the original does.
 */
import { tf } from './backend.js';
import { overrideWasmKernel } from './wasm-override.js';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  readSync(dataId: tf.DataId): ArrayLike<number>;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  wasm: { HEAP32: Int32Array };
}

/** Below this many floats per slice, an element loop beats one `copyWithin` call per slice. */
const COPY_WITHIN_MIN = 16;

/** Replaces the wasm `GatherV2` kernel (once per process). */
export function registerWasmGather(): void {
  overrideWasmKernel('GatherV2', (base) => (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    if (batchDims !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32')) return base(args);
    const backend = args.backend as WasmBackendLike;
    const ax = tf.util.parseAxisParam(axis, x.shape)[0] as number;
    const axisDim = x.shape[ax] as number;
    const idx = backend.readSync(indices.dataId);
    for (let i = 0; i < idx.length; i++) {
      const v = idx[i] as number;
      if (!(v >= 0 && v < axisDim)) throw new Error(`GatherV2: the index value ${v} is not in [0, ${axisDim - 1}]`);
    }
    const outer = x.shape.slice(0, ax).reduce((a, b) => a * b, 1);
    const slice = x.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype);
    const n = idx.length;
    if (outer * n * slice === 0) return out;
    // Read after makeOutput: allocating can grow the wasm memory and replace the heap's buffer.
    const heap = backend.wasm.HEAP32; // float32 and int32 alike: 4-byte words, copied bit for bit
    const src = backend.dataIdMap.get(x.dataId).memoryOffset / 4;
    const dst = backend.dataIdMap.get(out.dataId).memoryOffset / 4;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const from = src + (o * axisDim + (idx[i] as number)) * slice;
        const to = dst + (o * n + i) * slice;
        if (slice >= COPY_WITHIN_MIN) heap.copyWithin(to, from, from + slice);
        else for (let j = 0; j < slice; j++) heap[to + j] = heap[from + j] as number;
      }
    }
    return out;
  });
}
