/**
 * Chooses the TensorFlow.js backend at run time and says which on one log line. The order for
 * `auto` is the fastest that works here: `tensorflow` (tfjs-node-gpu, then tfjs-node — optional
 * dependencies that may have failed to install) → `webgpu` (only where an adapter exists) →
 * `wasm` → `cpu`. This is the one module that imports TensorFlow.js for the rest of `trainer/`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ConfigError, describeError } from '../core/errors.js';
import { registerWasmMatMul } from './wasm-matmul.js';
import { registerWasmGather } from './wasm-gather.js';
import { registerWasmSumAndIdentity } from './wasm-sum.js';
import { describeNativeBlas } from './native-blas.js';

export { tf };

/** Backends a user can ask for. */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';
export const BACKEND_NAMES: readonly BackendPreference[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** What `selectBackend` did. */
export interface BackendChoice {
  backend: BackendName;
  /** The backends tried before it and why each was skipped. */
  skipped: { backend: BackendName; reason: string }[];
}

export interface SelectBackendOptions {
  /** Throw instead of falling back when the requested backend cannot start. */
  strict?: boolean;
  /** Where the one log line goes (default: stderr). */
  log?: (line: string) => void;
}

const FALLBACK: Record<BackendPreference, BackendName[]> = {
  auto: ['tensorflow', 'webgpu', 'wasm', 'cpu'],
  tensorflow: ['tensorflow', 'wasm', 'cpu'],
  webgpu: ['webgpu', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
};

/** One pass over the rows: out[segmentIds[i]] += x[i] (out-of-range ids are dropped, as in TF). */
function segmentSum(xs: ArrayLike<number>, ids: ArrayLike<number>, numSegments: number, out: Float32Array | Int32Array): void {
  const inner = ids.length === 0 ? 0 : xs.length / ids.length;
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) out[dst + j] = (out[dst + j] as number) + (xs[src + j] as number);
  }
}

/**
 * `UnsortedSegmentSum` is what the gradient of `tf.gather` (the embedding lookup) runs. The wasm
 * backend has no kernel for it, and the cpu one loops over every segment (O(vocab·rows·d): minutes
 * per step at a 150k vocabulary), so both get this single-pass JavaScript kernel.
 */
function registerSegmentSum(backendName: 'wasm' | 'cpu'): void {
  const key = `exitgym:${backendName}`;
  if (registered.has(key)) return;
  registered.add(key);
  if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const b = backend as unknown as {
        readSync(id: unknown): ArrayLike<number>;
        makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
        typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
        makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): tf.TensorInfo;
      };
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const xs = b.readSync(x.dataId);
      const ids = b.readSync(segmentIds.dataId);
      if (backendName === 'wasm') {
        const out = b.makeOutput(outShape, x.dtype);
        segmentSum(xs, ids, numSegments, b.typedArrayFromHeap(out));
        return out;
      }
      const size = outShape.reduce((a, c) => a * c, 1);
      const values = x.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
      segmentSum(xs, ids, numSegments, values);
      return b.makeTensorInfo(outShape, x.dtype, values);
    },
  });
}

const registered = new Set<string>();

/** exitgym's wasm kernels (each registers once per process): see the modules for why each one. */
function registerWasmKernels(): void {
  registerSegmentSum('wasm');
  registerWasmMatMul();
  registerWasmGather();
  registerWasmSumAndIdentity();
}

async function tryTensorflow(): Promise<string | undefined> {
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      if (await tf.setBackend('tensorflow')) return undefined;
      reasons.push(`${pkg} loaded but the tensorflow backend did not start`);
    } catch (e) {
      reasons.push(`${pkg}: ${describeError(e).split('\n')[0]}`);
    }
  }
  return reasons.join('; ');
}

async function tryWebgpu(): Promise<string | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator;
  if (!nav?.gpu) return 'no navigator.gpu in this runtime';
  try {
    if (!(await nav.gpu.requestAdapter())) return 'navigator.gpu.requestAdapter() returned null (no GPU adapter)';
    await import('@tensorflow/tfjs-backend-webgpu');
    if (await tf.setBackend('webgpu')) return undefined;
    return 'the webgpu backend did not start';
  } catch (e) {
    return describeError(e).split('\n')[0];
  }
}

async function tryStart(name: BackendName): Promise<string | undefined> {
  switch (name) {
    case 'tensorflow':
      return tryTensorflow();
    case 'webgpu':
      return tryWebgpu();
    case 'wasm':
      registerWasmKernels();
      return (await tf.setBackend('wasm')) ? undefined : 'the wasm backend did not start';
    case 'cpu':
      registerSegmentSum('cpu');
      return (await tf.setBackend('cpu')) ? undefined : 'the cpu backend did not start';
  }
}

/**
 * Activates the first backend of `preference`'s fallback chain that starts, logs
 * `[exitgym] tfjs backend: <name>` (with why faster ones were skipped) and returns the choice.
 * Calling it again with the backend already active is cheap.
 *
 * @example
 * const { backend } = await selectBackend('auto'); // 'wasm' on a machine without tfjs-node
 */
export async function selectBackend(preference: BackendPreference = 'auto', opts: SelectBackendOptions = {}): Promise<BackendChoice> {
  if (!(preference in FALLBACK)) {
    throw new ConfigError(`unknown tfjs backend "${String(preference)}"; use one of ${BACKEND_NAMES.join(', ')}.`);
  }
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // PROD silences tfjs's console banner ("install our node backend") on cpu; we log our own line.
  tf.env().set('PROD', true);
  const skipped: BackendChoice['skipped'] = [];
  for (const name of FALLBACK[preference]) {
    if (tf.getBackend() === name && tf.findBackend(name)) {
      if (name === 'wasm') registerWasmKernels();
      if (name === 'cpu') registerSegmentSum(name);
      return { backend: name, skipped };
    }
    const reason = await tryStart(name);
    if (reason === undefined) {
      const why = skipped.length ? ` (skipped ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')})` : '';
      log(`[exitgym] tfjs backend: ${name}${why}${name === 'wasm' ? `; ${describeNativeBlas()}` : ''}`);
      return { backend: name, skipped };
    }
    if (opts.strict && name === preference) {
      throw new ConfigError(`tfjs backend "${name}" is not available: ${reason}. Choose another with --backend (${BACKEND_NAMES.join(', ')}).`);
    }
    skipped.push({ backend: name, reason });
  }
  throw new ConfigError(`no tfjs backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}.`);
}
