import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchAdvantages, groupAdvantages } from './advantages.js';

const close = (actual: number[], expected: number[], tol = 1e-12): void => {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - (expected[i] as number)) <= tol, `index ${i}: ${a} vs ${expected[i]}`));
};

test('binary group: (r − mean)/std with the population std', () => {
  close(groupAdvantages([1, 0, 0, 1]), [1, -1, -1, 1]);
  // p = 1/4: success gets (1 − p)/√(p(1 − p)) = 0.75/√0.1875 = √3.
  close(groupAdvantages([1, 0, 0, 0]), [Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3)]);
});

test('scalar rewards: hand-computed', () => {
  // mean 2, population variance (1 + 0 + 1)/3 = 2/3.
  const s = Math.sqrt(2 / 3);
  close(groupAdvantages([1, 2, 3]), [-1 / s, 0, 1 / s]);
});

test('null rewards get 0 and are left out of mean and std', () => {
  // Scored [1, 0, 0]: mean 1/3, std √2/3.
  close(groupAdvantages([1, 0, null, 0]), [Math.SQRT2, -1 / Math.SQRT2, 0, -1 / Math.SQRT2]);
  close(groupAdvantages([null, null]), [0, 0]);
  close(groupAdvantages([]), []);
});

test('zero-variance groups give exactly 0, never NaN, including float-noise means', () => {
  close(groupAdvantages([1, 1, 1]), [0, 0, 0], 0);
  close(groupAdvantages([0.1, 0.1, 0.1]), [0, 0, 0], 0);
  close(groupAdvantages([0.1, 0.1, 0.1], { scale: 'none' }), [0, 0, 0], 0);
  close(groupAdvantages([0.7]), [0], 0);
  close(groupAdvantages([0.5, null]), [0, 0], 0);
});

test('Dr. GRPO scale none: mean-centred only', () => {
  close(groupAdvantages([1, 0, 0, 1], { scale: 'none' }), [0.5, -0.5, -0.5, 0.5]);
  close(groupAdvantages([1, null, 0, 0], { scale: 'none' }), [2 / 3, 0, -1 / 3, -1 / 3]);
});

test('NaN rewards are refused with the fix', () => {
  assert.throws(() => groupAdvantages([1, Number.NaN]), /reward 1 is NaN; pass null/);
});

test('batchAdvantages maps groups of different sizes', () => {
  const out = batchAdvantages([[1, 0], [1, 1, 1]]);
  close(out[0] as number[], [1, -1]);
  close(out[1] as number[], [0, 0, 0]);
});
