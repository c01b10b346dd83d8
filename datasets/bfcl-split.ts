/**
 * The BFCL train/test split of Bespoke Labs (and so of the ExIt paper's tool-use runs), computed
 * rather than shipped: ids sorted as strings, then scikit-learn's
 * `train_test_split(ids, test_size=0.5, random_state=42)`. That call is a `ShuffleSplit` whose
 * permutation is numpy's legacy `RandomState(seed).permutation(n)`: test = the first ⌈n/2⌉
 * permuted positions, train = the next ⌊n/2⌋. Reproducing numpy exactly means users who download
 * only the upstream files get the same 100/100 split as the paper.
 */

const N = 624;
const M = 397;

/** numpy's legacy MT19937 (`RandomState`): seeded with `init_genrand`, 32-bit outputs. */
class NumpyMt19937 {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`numpy seed must be an integer in [0, 2^32 - 1]; got ${seed}.`);
    }
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] as number;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      // 1812433253 * x mod 2^32, split to stay exact in doubles.
      this.mt[i] = ((((x & 0xffff0000) >>> 16) * 1812433253) << 16) + (x & 0x0000ffff) * 1812433253 + i;
    }
  }

  uint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = ((mt[i] as number) & 0x80000000) | ((mt[(i + 1) % N] as number) & 0x7fffffff);
      let v = (mt[(i + M) % N] as number) ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v;
    }
    this.index = 0;
  }

  /** numpy's `random_interval(max)`: uniform in [0, max] by masked rejection sampling. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    for (;;) {
      const value = (this.uint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }
}

/**
 * numpy's `RandomState(seed).permutation(n)` (legacy Fisher–Yates from the end).
 *
 * @example numpyPermutation(3, 42) // the same order numpy prints for np.random.RandomState(42).permutation(3)
 */
export function numpyPermutation(n: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`permutation size must be a non-negative integer; got ${n}.`);
  const rng = new NumpyMt19937(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.interval(i);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

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
  const nTest = Math.ceil(sorted.length * 0.5);
  const nTrain = sorted.length - nTest;
  const perm = numpyPermutation(sorted.length, seed);
  const pick = (idx: number[]): string[] => idx.map((i) => sorted[i] as string);
  return { test: pick(perm.slice(0, nTest)), train: pick(perm.slice(nTest, nTest + nTrain)) };
}
