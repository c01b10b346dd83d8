/**
 * Peak tensor bytes while `fn` runs: tfjs's own count of live tensor bytes (`tf.memory().numBytes`),
 * read after every kernel. `tf.profile` reports the same peak but also reads every kernel's output
 * back, which at the 0.5B shape costs minutes and fails on wasm; this only reads a counter.
 */
import { tf } from '../trainer/backend.js';

export async function peakTensorBytes<T>(fn: () => Promise<T>): Promise<{ result: T; peakBytes: number }> {
  const engine = tf.engine() as unknown as { runKernelFunc: (...a: unknown[]) => unknown; state: { numBytes: number } };
  const original = engine.runKernelFunc;
  let peak = engine.state.numBytes;
  engine.runKernelFunc = function (this: unknown, ...a: unknown[]) {
    const out = original.apply(this, a);
    if (engine.state.numBytes > peak) peak = engine.state.numBytes;
    return out;
  };
  try {
    const result = await fn();
    return { result, peakBytes: Math.max(peak, engine.state.numBytes) };
  } finally {
    engine.runKernelFunc = original;
  }
}
