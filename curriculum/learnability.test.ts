import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learnability, MAX_LEARNABILITY } from './learnability.js';

test('binary groups: p(1 − p)', () => {
  assert.equal(learnability([1, 0, 0, 1]), 0.25);
  assert.equal(learnability([1, 0, 0, 0]), 0.1875);
  assert.equal(learnability([1, 1, 1, 1]), 0);
  assert.equal(learnability([0, 0]), 0);
});

test('scalar qualities: population variance, hand-computed', () => {
  // mean 0.5, deviations ±0.25, 0 → (0.0625 + 0 + 0.0625)/3.
  assert.ok(Math.abs((learnability([0.25, 0.5, 0.75]) as number) - 0.125 / 3) < 1e-15);
});

test('rescaling from the quality range, clipping outside values', () => {
  // [2, 4] on [0, 4] → [0.5, 1]: variance 0.0625.
  assert.equal(learnability([2, 4], [0, 4]), 0.0625);
  // 7 clips to 1, −3 clips to 0.
  assert.equal(learnability([7, -3], [0, 1]), 0.25);
});

test('null members (infrastructure failures) are dropped', () => {
  assert.equal(learnability([1, null, 0]), 0.25);
  assert.equal(learnability([null, 1]), 0);
  assert.equal(learnability([null, null]), null);
  assert.equal(learnability([]), null);
});

test('never above 0.25, and NaN or a bad range is refused', () => {
  const s = learnability([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]) as number;
  assert.ok(s <= MAX_LEARNABILITY);
  assert.throws(() => learnability([Number.NaN]), /quality 0 is NaN; report an unscorable rollout as null/);
  assert.throws(() => learnability([1], [1, 1]), /finite lo < hi; got \[1, 1\]/);
});
