import assert from 'node:assert/strict';
import { test } from 'node:test';
import { medalFor } from './medals.js';

const t = { gold: 0.9, silver: 0.8, bronze: 0.7, median: 0.6 };
const lower = { gold: 0.1, silver: 0.2, bronze: 0.3, median: 0.4 };

test('medals when higher is better: thresholds are inclusive, median strict', () => {
  assert.equal(medalFor(0.9, t, false).medal, 'gold');
  assert.equal(medalFor(0.85, t, false).medal, 'silver');
  assert.equal(medalFor(0.7, t, false).medal, 'bronze');
  assert.equal(medalFor(0.65, t, false).medal, null);
  assert.equal(medalFor(0.6, t, false).aboveMedian, false);
  assert.equal(medalFor(0.61, t, false).aboveMedian, true);
});

test('medals when lower is better', () => {
  assert.equal(medalFor(0.05, lower, true).medal, 'gold');
  assert.equal(medalFor(0.2, lower, true).medal, 'silver');
  assert.equal(medalFor(0.25, lower, true).medal, 'bronze');
  assert.equal(medalFor(0.35, lower, true).medal, null);
  assert.equal(medalFor(0.35, lower, true).aboveMedian, true);
});

test('no score, no medal', () => {
  const f = medalFor(null, t, false);
  assert.deepEqual(f, { medal: null, goldMedal: false, silverMedal: false, bronzeMedal: false, anyMedal: false, aboveMedian: false });
});
