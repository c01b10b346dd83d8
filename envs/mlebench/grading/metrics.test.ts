import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../core/rng.js';
import { FLOAT64_EPS, MetricError, multiclassLogLoss, rmsle, rocAuc, roundScore } from './metrics.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('rocAuc: the scikit-learn docs example', () => {
  close(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
});

test('rocAuc: a tied positive/negative pair counts one half', () => {
  // pos {0.5, 0.9} vs neg {0.5, 0.2}: 0.5 + 1 + 1 + 1 = 3.5 of 4 pairs.
  close(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]), 0.875);
  close(rocAuc([1, 0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3, 0.3]), 0.5);
  // Three-way tie across classes: pos {0.4, 0.4, 0.9} vs neg {0.4, 0.1}:
  // 0.4: 0.5 + 1, 0.4: 0.5 + 1, 0.9: 1 + 1 → 5 of 6.
  close(rocAuc([1, 1, 1, 0, 0], [0.4, 0.4, 0.9, 0.4, 0.1]), 5 / 6);
});

test('rocAuc: perfect, inverted, and order of rows irrelevant', () => {
  close(rocAuc([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8]), 1);
  close(rocAuc([0, 1, 0, 1], [0.9, 0.1, 0.8, 0.2]), 0);
  close(rocAuc([1, 0, 0, 1], [0.35, 0.1, 0.4, 0.8]), 0.75);
});

test('rocAuc: one class only is a MetricError', () => {
  assert.throws(() => rocAuc([1, 1], [0.2, 0.3]), MetricError);
  assert.throws(() => rocAuc([0, 2], [0.2, 0.3]), /labels must be 0 or 1/);
});

test('multiclassLogLoss: hand-computed value', () => {
  const truth = [1, 0, 0, 0, 1, 0];
  const probs = [0.5, 0.25, 0.25, 0.2, 0.6, 0.2];
  close(multiclassLogLoss(truth, probs, 3), (Math.log(2) - Math.log(0.6)) / 2);
});

test('multiclassLogLoss: clips a zero probability to float64 epsilon', () => {
  close(multiclassLogLoss([1, 0], [0, 1], 2), -Math.log(FLOAT64_EPS), 1e-9);
  close(-Math.log(FLOAT64_EPS), 36.04365338911715, 1e-9);
});

test('multiclassLogLoss: rows are renormalised after clipping', () => {
  // [0.2, 0.2] renormalises to [0.5, 0.5].
  close(multiclassLogLoss([1, 0], [0.2, 0.2], 2), Math.log(2));
});

test('rmsle: hand-computed value', () => {
  close(rmsle([0, 1], [Math.E - 1, 1]), Math.sqrt(0.5));
  close(rmsle([1, 2, 3], [1, 2, 3]), 0);
});

test('roundScore rounds to 5 decimals like the MLE-bench grader', () => {
  assert.equal(roundScore(0.123456789), 0.12346);
  // Python's round(0.123455, 5) is 0.12345 (the double is just below the tie); x * 1e5 would say 0.12346.
  assert.equal(roundScore(0.123455), 0.12345);
  assert.equal(roundScore(1.000005), 1.00001);
  assert.equal(roundScore(-0.000001), 0);
  assert.ok(Object.is(roundScore(-0.000001), 0));
});

test('rocAuc equals the pairwise definition (a tie counts one half) on random data full of ties', () => {
  const rng = Rng.fromSeed(11);
  for (let trial = 0; trial < 200; trial++) {
    const n = 2 + rng.int(40);
    const labels = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 1 : rng.int(2)));
    // Few distinct values, so most pairs tie somewhere.
    const scores = Array.from({ length: n }, () => rng.int(1 + rng.int(6)) / 4);
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (labels[i] !== 1 || labels[j] !== 0) continue;
        pairs++;
        const a = scores[i] as number;
        const b = scores[j] as number;
        wins += a > b ? 1 : a === b ? 0.5 : 0;
      }
    }
    close(rocAuc(labels, scores), wins / pairs);
  }
});

test('multiclassLogLoss: a hand-computed value with a tie between classes and a row that needs renormalising', () => {
  // Row 1: truth MWS, p = [0.25, 0.25, 0.5] → −ln 0.5. Row 2: truth EAP, p = [0.3, 0.3, 0.3] → renormalised 1/3 → ln 3.
  close(multiclassLogLoss([0, 0, 1, 1, 0, 0], [0.25, 0.25, 0.5, 0.3, 0.3, 0.3], 3), (Math.log(2) + Math.log(3)) / 2);
});
