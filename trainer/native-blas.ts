/**
 * The optional native matmul (`native/blas.c`, built at install by `scripts/build-native.mjs`):
 * OpenBLAS's SGEMM on tensors in place in the wasm backend's heap. tfjs-backend-wasm's XNNPACK is
 * SIMD128 without FMA on one thread; the system BLAS uses the CPU's own vector units (AVX2 and FMA
 * here), which is what PyTorch uses too. Absent (no compiler or no libopenblas-dev at install, or
 * `EXITGYM_NATIVE_BLAS=0`), the learner keeps the XNNPACK path and the backend log line says why.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.js';

/** The addon's functions (see native/blas.c for the exact contract). */
export interface NativeBlas {
  /** `C[i] = op(A[i])·op(B[i])` for `batch` items, row-major, offsets in bytes, strides in floats (0 broadcasts). */
  sgemm(buffer: ArrayBufferLike, aOffset: number, bOffset: number, cOffset: number, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, strideA: number, strideB: number): void;
  setThreads(threads: number): void;
  info(): { config: string; threads: number };
}

/** Where the addon lies, from this module in the sources (`trainer/`) or in the build (`dist/trainer/`). */
const CANDIDATES = ['../native/build/Release/exitgym_blas.node', '../../native/build/Release/exitgym_blas.node'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));

let loaded: { blas?: NativeBlas; reason?: string } | undefined;

/**
 * The native BLAS, loaded once and set to `EXITGYM_BLAS_THREADS` threads (default 1: the rest of
 * the wasm learner runs on one thread, and one thread keeps sums in one order, so a seed gives one
 * result), or `undefined` with the reason it is not used. A bad `EXITGYM_BLAS_THREADS` throws a
 * `ConfigError` rather than quietly falling back.
 */
export function nativeBlas(): { blas?: NativeBlas; reason?: string } {
  if (loaded) return loaded;
  if (process.env.EXITGYM_NATIVE_BLAS === '0') return (loaded = { reason: 'disabled by EXITGYM_NATIVE_BLAS=0' });
  const threads = Number(process.env.EXITGYM_BLAS_THREADS ?? '1');
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new ConfigError(`EXITGYM_BLAS_THREADS must be a whole number from 1 to 1024, got "${process.env.EXITGYM_BLAS_THREADS}"; unset it for 1 thread.`);
  }
  const path = CANDIDATES.find((p) => existsSync(p));
  if (!path) return (loaded = { reason: 'native/build/Release/exitgym_blas.node not built (needs a C compiler and libopenblas-dev; then `npm run build:native`)' });
  try {
    const blas = createRequire(import.meta.url)(path) as NativeBlas;
    blas.setThreads(threads);
    return (loaded = { blas });
  } catch (e) {
    return (loaded = { reason: `${path} did not load: ${(e as Error).message.split('\n')[0]}` });
  }
}

/** One line for the backend log: which matmul the wasm backend uses, and why. */
export function describeNativeBlas(): string {
  const { blas, reason } = nativeBlas();
  if (!blas) return `matmul: XNNPACK (native BLAS not used: ${reason})`;
  const { config, threads } = blas.info();
  return `matmul: native ${config.split(' ').slice(0, 2).join(' ')}, ${threads} thread${threads === 1 ? '' : 's'}`;
}
