import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headline, summariseSelfImprovement, type OutcomeRecord } from './metrics.js';

const rec = (taskId: string, step: number, quality: number | null, sample = 0): OutcomeRecord => ({ taskId, sample, step, quality });

test('accuracy per step, Δ_K and net corrections match hand counts', () => {
  // a: 0→1→1 (fixed at 1), b: 1→0→1 (broken at 1, fixed at 2), c: 1→1→1, d: 0→0→0
  const records = [
    rec('a', 0, 0), rec('a', 1, 1), rec('a', 2, 1),
    rec('b', 0, 1), rec('b', 1, 0), rec('b', 2, 1),
    rec('c', 0, 1), rec('c', 1, 1), rec('c', 2, 1),
    rec('d', 0, 0), rec('d', 1, 0), rec('d', 2, 0),
  ];
  const s = summariseSelfImprovement(records, 2);
  assert.deepEqual(s.steps.map((x) => x.accuracy), [0.5, 0.5, 0.75]);
  assert.deepEqual(s.steps.map((x) => [x.wrongToRight, x.rightToWrong, x.netCorrections]), [[0, 0, 0], [1, 1, 0], [1, 0, 1]]);
  assert.equal(s.deltaK, 0.25);
  assert.equal(s.completeChains, 4);
});

test('failed records are excluded, counted, and never scored as wrong', () => {
  const records = [rec('a', 0, 1), rec('a', 1, null), rec('b', 0, 0), rec('b', 1, 1)];
  const s = summariseSelfImprovement(records, 1);
  assert.equal(s.steps[1]!.n, 1);
  assert.equal(s.steps[1]!.failed, 1);
  assert.equal(s.steps[1]!.accuracy, 1, 'only b is scored at step 1');
  assert.equal(s.deltaK, 1, 'Δ over chains scored at both ends: b only');
  assert.equal(s.completeChains, 1);
  assert.equal(s.failedRecords, 1);
});

test('graded qualities: mean quality, medal rate and a custom correctness threshold', () => {
  const records: OutcomeRecord[] = [
    { taskId: 'x', sample: 0, step: 0, quality: 0.2, medal: false },
    { taskId: 'x', sample: 1, step: 0, quality: 0.8, medal: true },
  ];
  const s = summariseSelfImprovement(records, 0, { correctAt: 0.5 });
  assert.equal(s.steps[0]!.meanQuality, 0.5);
  assert.equal(s.steps[0]!.accuracy, 0.5);
  assert.equal(s.steps[0]!.medalRate, 0.5);
});

test('avg@n over samples, and BFCL first-turn accuracy beside the all-turn return', () => {
  // Task a, samples 0 and 1; task b, sample 0. Step 0 → 1: a#0 fixed, a#1 broken, b unchanged.
  const r = (taskId: string, sample: number, step: number, quality: number, firstTurnCorrect: boolean): OutcomeRecord => ({ taskId, sample, step, quality, firstTurnCorrect });
  const s = summariseSelfImprovement(
    [r('a', 0, 0, 0, true), r('a', 0, 1, 1, true), r('a', 1, 0, 1, true), r('a', 1, 1, 0, false), r('b', 0, 0, 0, false), r('b', 0, 1, 0, true)],
    1,
  );
  assert.deepEqual(s.steps.map((x) => x.accuracy), [1 / 3, 1 / 3]);
  assert.deepEqual(s.steps.map((x) => x.firstTurnAccuracy), [2 / 3, 2 / 3]);
  assert.deepEqual(s.steps.map((x) => [x.wrongToRight, x.rightToWrong, x.netCorrections]), [[0, 0, 0], [1, 1, 0]]);
  assert.equal(s.deltaK, 0);
  assert.equal(s.chains, 3);
});

test('graded domains: Δ_K of the mean quality, the headline metric per domain, truncated calls per step', () => {
  const records: OutcomeRecord[] = [
    { taskId: 'm', sample: 0, step: 0, quality: 0.2 },
    { taskId: 'm', sample: 0, step: 1, quality: 0.5, truncated: 1 },
    { taskId: 'm', sample: 1, step: 0, quality: 0.4 },
    { taskId: 'm', sample: 1, step: 1, quality: 0.6, truncated: 2 },
  ];
  const s = summariseSelfImprovement(records, 1);
  // No chain reaches quality 1, so accuracy and its Δ_K say nothing; the mean quality rises by 0.25.
  assert.equal(s.deltaK, 0);
  assert.ok(Math.abs(s.deltaKQuality! - 0.25) < 1e-12);
  assert.deepEqual(s.steps.map((x) => x.truncated), [0, 3]);
  const score = headline(s, 'score');
  assert.equal(score.label, 'mean normalised score');
  assert.ok(Math.abs(score.values[1]! - 0.55) < 1e-12);
  assert.ok(Math.abs(score.deltaK! - 0.25) < 1e-12);
  const acc = headline(s, 'accuracy');
  assert.deepEqual(acc.values, [0, 0]);
  assert.equal(acc.deltaK, 0);
});
