/**
 * scikit-learn's `train_test_split(..., test_size, random_state=0)` reproduced exactly, so that
 * `exitgym datasets prepare mlebench` cuts a Kaggle download into the same rows MLE-bench does:
 * numpy's legacy `RandomState(seed).permutation(n)` (MT19937, masked rejection sampling), then
 * the first ceil(test_size · n) indices are the test rows, the rest the train rows, both in
 * permutation order.
 */
import { ConfigError } from '../../core/errors.js';

/** MT19937 seeded as numpy's `RandomState(int)` does (`init_genrand`). */
export class Mt19937 {
  private readonly key = new Uint32Array(624);
  private pos = 624;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ConfigError(`MT19937 seed must be an integer in [0, 2^32 - 1]; got ${seed}.`);
    let s = seed >>> 0;
    for (let i = 0; i < 624; i++) {
      this.key[i] = s;
      const x = (s ^ (s >>> 30)) >>> 0;
      s = (Math.imul(1812433253, x) + i + 1) >>> 0;
    }
  }

  private generate(): void {
    const k = this.key;
    for (let i = 0; i < 624; i++) {
      const y = ((k[i] as number) & 0x80000000) | ((k[(i + 1) % 624] as number) & 0x7fffffff);
      k[i] = ((k[(i + 397) % 624] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.pos = 0;
  }

  /** The next 32-bit output. */
  nextUint32(): number {
    if (this.pos >= 624) this.generate();
    let y = this.key[this.pos++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max], by masked rejection (numpy's legacy `random_interval`). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }
}

/**
 * `numpy.random.RandomState(seed).permutation(n)`.
 *
 * @example numpyPermutation(10, 0) // [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
 */
export function numpyPermutation(n: number, seed: number): number[] {
  const rng = new Mt19937(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.interval(i);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

/**
 * Row indices of `train_test_split(range(n), test_size=testSize, random_state=seed)`.
 *
 * @example trainTestSplitIndices(20, 0.1, 0).test // [18, 1]
 */
export function trainTestSplitIndices(n: number, testSize: number, seed = 0): { train: number[]; test: number[] } {
  if (!(testSize > 0 && testSize < 1)) throw new ConfigError(`test size must be a fraction in (0, 1); got ${testSize}.`);
  const nTest = Math.ceil(testSize * n);
  if (nTest >= n) throw new ConfigError(`a test size of ${testSize} leaves no training rows out of ${n}.`);
  const perm = numpyPermutation(n, seed);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
}
