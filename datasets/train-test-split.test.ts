import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mt19937 } from '../core/mt19937.js';
import { numpyPermutation, trainTestSplitIndices } from './train-test-split.js';

// Expected values printed by numpy 1.24 / scikit-learn 1.2 (Debian bookworm).
test('numpyPermutation matches numpy RandomState(seed).permutation', () => {
  assert.deepEqual(numpyPermutation(10, 0), [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
  assert.deepEqual(numpyPermutation(1000, 0).slice(0, 8), [993, 859, 298, 553, 672, 971, 27, 231]);
  assert.deepEqual(numpyPermutation(7, 42), [0, 1, 5, 2, 4, 3, 6]);
  // printed by numpy 1.24: [8 1 5 0 7 2 9 4 3 6]
  assert.deepEqual(numpyPermutation(10, 42), [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
  assert.deepEqual(numpyPermutation(1, 42), [0]);
  assert.deepEqual(numpyPermutation(0, 42), []);
});

test('trainTestSplitIndices matches train_test_split(random_state=0)', () => {
  assert.deepEqual(trainTestSplitIndices(20, 0.1), { test: [18, 1], train: [19, 8, 10, 17, 6, 13, 4, 2, 5, 14, 9, 7, 16, 11, 3, 0, 15, 12] });
  assert.deepEqual(trainTestSplitIndices(100, 0.19).test, [26, 86, 2, 55, 75, 93, 16, 73, 54, 95, 53, 92, 78, 13, 7, 30, 22, 24, 33]);
  assert.throws(() => trainTestSplitIndices(10, 1.5), /fraction/);
});

test('the permutation draws from the one MT19937 (core/mt19937.ts), seeded like numpy', () => {
  const mt = Mt19937.fromSeed(0);
  const n = 10;
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = mt.interval(i);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  assert.deepEqual(out, numpyPermutation(10, 0));
});
