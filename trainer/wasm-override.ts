/** Replacing a tfjs-backend-wasm kernel with a faster one that falls back to the original. */
import { tf } from './backend.js';

/** A kernel function as the replacements here take it (tfjs's own type is looser). */
export type KernelFunc = (args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: unknown }) => tf.TensorInfo;

const replaced = new Set<string>();

/**
 * Registers `make(original)` as wasm kernel `name`, once per process; `original` stays callable
 * for the cases the replacement does not take. Nothing happens where wasm has no such kernel.
 */
export function overrideWasmKernel(name: string, make: (original: KernelFunc) => KernelFunc): void {
  if (replaced.has(name)) return;
  const original = tf.getKernel(name, 'wasm');
  if (!original) return;
  replaced.add(name);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: make(original.kernelFunc as unknown as KernelFunc) as unknown as tf.KernelFunc });
}
