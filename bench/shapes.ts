/**
 * The small decoder the learner benches share with the PyTorch reference
 * (`bench/reference/grpo_step.py`): Qwen2 layout, 2 layers, d 128, 4 heads (4 KV heads), SwiGLU
 * FFN 512, tied head, the tiny fixture's byte-level vocabulary (271 ids).
 */
import { writeTinyModel } from '../testing/tiny-model.js';

export const SMALL = { layers: 2, hidden: 128, heads: 4, kvHeads: 4, inter: 512, vocab: 271 } as const;

/** Writes the small decoder's random checkpoint into `dir` (seeded). */
export async function writeSmallModel(dir: string, seed = 0): Promise<void> {
  const info = await writeTinyModel(dir, {
    seed,
    hiddenSize: SMALL.hidden,
    numLayers: SMALL.layers,
    numHeads: SMALL.heads,
    numKvHeads: SMALL.kvHeads,
    intermediateSize: SMALL.inter,
    initStd: 0.05,
    embedStd: 0.3,
  });
  if (info.vocabSize !== SMALL.vocab) throw new Error(`bench: the tiny fixture's vocabulary is ${info.vocabSize}, not ${SMALL.vocab}; update SMALL.`);
}

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
