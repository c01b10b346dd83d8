import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmt, formatDelta, formatMeanStd } from './format.js';

test('fmt: one reading per style; missing values are a dash', () => {
  assert.deepEqual(
    (['percent', 'points', 'signedPoints', 'score', 'signedScore'] as const).map((s) => fmt(0.41234, s)),
    ['41.2%', '41.2', '+41.2', '0.412', '+0.412'],
  );
  assert.equal(fmt(-0.05, 'signedPoints'), '-5.0');
  assert.equal(fmt(-0.05, 'signedScore'), '-0.050');
  for (const v of [null, undefined, Number.NaN]) assert.equal(fmt(v), '–');
  assert.equal(fmt(0.123456, 'score', 4), '0.1235');
  assert.equal(fmt(1234.5, 'score', 1), '1234.5');
  assert.equal(fmt(0.5, 'percent', 0), '50%');
});

test('formatDelta and formatMeanStd build on fmt', () => {
  assert.equal(formatDelta(0.1, 'accuracy'), '+10.0 points');
  assert.equal(formatDelta(-0.0123, 'score'), '-0.012');
  assert.equal(formatDelta(null, 'score'), '–');
  assert.equal(formatMeanStd(0.4123, 0.021, true), '41.2% ± 2.1');
  assert.equal(formatMeanStd(0.4123, 0.021, false), '0.412 ± 0.021');
});
