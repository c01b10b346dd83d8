import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateSeeds } from './aggregate.js';
import { formatMeanStd } from './format.js';
import type { Headline } from './metrics.js';

const h = (values: (number | null)[], deltaK: number | null): Headline => ({ metric: 'accuracy', label: 'accuracy', values, deltaK });

test('mean and sample std per step over seeds, hand-computed', () => {
  const a = aggregateSeeds([h([0.2, 0.4, 0.5], 0.3), h([0.4, 0.4, 0.7], 0.3), h([0.3, 0.7, 0.6], 0.3)]);
  assert.equal(a.runs, 3);
  assert.deepEqual(a.mean.map((x) => Number(x!.toFixed(12))), [0.3, 0.5, 0.6]);
  // std of [0.2, 0.4, 0.3] with n − 1: sqrt(0.02 / 2) = 0.1; [0.4, 0.4, 0.7]: sqrt(0.06 / 2) ≈ 0.1732
  assert.ok(Math.abs(a.std[0]! - 0.1) < 1e-12);
  assert.ok(Math.abs(a.std[1]! - Math.sqrt(0.03)) < 1e-12);
  assert.deepEqual(a.deltaK, { mean: 0.3, std: 0 });
});

test('missing steps and single runs: nulls, never NaN', () => {
  const a = aggregateSeeds([h([0.5, null], null)]);
  assert.deepEqual(a.mean, [0.5, null]);
  assert.deepEqual(a.std, [null, null]);
  assert.deepEqual(a.deltaK, { mean: null, std: null });
  assert.deepEqual(aggregateSeeds([]).mean, []);
});

test('formatting: percentages for accuracy, three decimals for scores', () => {
  assert.equal(formatMeanStd(0.4123, 0.021, true), '41.2% ± 2.1');
  assert.equal(formatMeanStd(0.4123, null, true), '41.2%');
  assert.equal(formatMeanStd(0.4123, 0.021, false), '0.412 ± 0.021');
  assert.equal(formatMeanStd(null, null, false), '–');
});
