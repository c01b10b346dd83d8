/**
 * scikit-learn's `train_test_split(..., test_size, random_state)` reproduced exactly, so that
 * exitgym cuts data into the same rows upstream does (BFCL's Bespoke split, MLE-bench's
 * `prepare`): numpy's legacy `RandomState(seed).permutation(n)` (MT19937, masked rejection
 * sampling), then the first ceil(test_size · n) indices are the test rows, the rest the train
 * rows, both in permutation order.
 */
import { ConfigError } from '../core/errors.js';
import { Mt19937 } from '../core/mt19937.js';

/**
 * `numpy.random.RandomState(seed).permutation(n)`.
 *
 * @example numpyPermutation(10, 0) // [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
 */
export function numpyPermutation(n: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new ConfigError(`permutation size must be a non-negative integer; got ${n}.`);
  const rng = Mt19937.fromSeed(seed);
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
