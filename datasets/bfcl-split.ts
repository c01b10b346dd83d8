/**
 * The BFCL train/test split of Bespoke Labs (and so of the ExIt paper's tool-use runs), computed
 * rather than shipped: ids sorted as strings, then scikit-learn's
 * `train_test_split(ids, test_size=0.5, random_state=42)`. That call is a `ShuffleSplit` whose
 * permutation is numpy's legacy `RandomState(seed).permutation(n)`: test = the first ⌈n/2⌉
 * permuted positions, train = the next ⌊n/2⌋. Reproducing numpy exactly means users who download
 * only the upstream files get the same 100/100 split as the paper.
 */
import { trainTestSplitIndices } from './train-test-split.js';

/** Code-point order, as Python's `sorted()` on strings. */
function pySortStrings(items: readonly string[]): string[] {
  return [...items].sort((a, b) => {
    const ca = [...a];
    const cb = [...b];
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
      const x = ca[i]?.codePointAt(0) as number;
      const y = cb[i]?.codePointAt(0) as number;
      if (x !== y) return x - y;
    }
    return ca.length - cb.length;
  });
}

/** A train/test split, each list in the order the split produces it. */
export interface BfclSplit {
  train: string[];
  test: string[];
}

/**
 * Bespoke Labs' split: `train_test_split(sorted(ids), test_size=0.5, random_state=seed)`.
 * With the 200 `multi_turn_base` ids and seed 42 it gives exactly `bespoke_split.json`.
 *
 * @example
 * const { train, test } = bespokeSplit(tasks.map((t) => t.id)); // 100 and 100 ids
 */
export function bespokeSplit(ids: readonly string[], seed = 42): BfclSplit {
  const sorted = pySortStrings([...new Set(ids)]);
  const pick = (idx: number[]): string[] => idx.map((i) => sorted[i] as string);
  // test = the first ceil(n/2) permuted positions, train = the rest.
  if (sorted.length < 2) return { test: pick(sorted.map((_, i) => i)), train: [] };
  const { test, train } = trainTestSplitIndices(sorted.length, 0.5, seed);
  return { test: pick(test), train: pick(train) };
}
