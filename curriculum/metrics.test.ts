import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseStart, divergeStart, improveStart } from '../core/start-state.js';
import { createBuffer, insert } from './buffer.js';
import type { EpisodeStart } from './episode-start.js';
import { bufferMetrics, instanceText, quantile, startMetrics } from './metrics.js';

const turn = (answer: string, n = 1) => ({
  input: [{ role: 'user' as const, content: 'q' }],
  iterates: Array.from({ length: n }, (_, i) => ({ response: [{ role: 'assistant' as const, content: `${answer}${i}` }], quality: 0, kind: 'initial' as const })),
});

test('quantile interpolates linearly', () => {
  assert.equal(quantile([0, 0.1, 0.2, 0.3], 0.5), 0.15000000000000002);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.equal(quantile([], 0.5), 0);
});

test('buffer metrics: size, score quantiles, depth, entropy (uniform at κ = 0)', () => {
  const b = createBuffer(10);
  [0, 0.05, 0.1, 0.2].forEach((s, i) => insert(b, { history: { taskId: `t${i % 2}`, turns: [turn(`a${i}`, i + 1)] }, score: s }));
  const m = bufferMetrics(b, { prioritisation: 'softmax', kappa: 0, rankTemperature: 1, staleness: 0 });
  assert.equal(m['curriculum/buffer_size'], 4);
  assert.equal(m['curriculum/score_min'], 0);
  assert.equal(m['curriculum/score_median'], 0.07500000000000001);
  assert.equal(m['curriculum/score_max'], 0.2);
  assert.equal(m['curriculum/buffer_depth_mean'], 1.5);
  assert.equal(m['curriculum/buffer_tasks'], 2);
  assert.ok(Math.abs(m['curriculum/sampling_entropy']! - Math.log(4)) < 1e-12);
  assert.ok(Math.abs(m['curriculum/sampling_entropy_ratio']! - 1) < 1e-12);
  for (const k of Object.keys(m)) assert.match(k, /^curriculum\//);
});

test('start metrics: depth, turn, ground-truth steps, distinct instances, embedding spread', () => {
  const base = baseStart;
  const hist = divergeStart({ taskId: 'a', turns: [turn('x', 3), turn('y', 2)] }, 1);
  const starts: EpisodeStart[] = [
    { start: base('a'), source: 'base', entryKey: null, turn: 0 },
    { start: base('a'), source: 'base', entryKey: null, turn: 0 },
    { start: hist, source: 'replay', entryKey: 'k', turn: 1, gtSteps: 5 },
    { start: improveStart(hist, 3), source: 'replay', entryKey: 'k', turn: 0, gtSteps: 3 },
  ];
  const m = startMetrics(starts, [[1, 0], [0, 1], [1, 0], [0, 1]]);
  assert.equal(m['curriculum/replay_fraction'], 0.5);
  assert.equal(m['curriculum/sampled_depth_mean'], 2);
  assert.equal(m['curriculum/sampled_depth_max'], 3);
  assert.equal(m['curriculum/start_turn_mean'], 0.5);
  assert.equal(m['curriculum/diverge_fraction'], 0.5);
  assert.equal(m['curriculum/distinct_instances'], 3);
  assert.equal(m['curriculum/distinct_tasks'], 1);
  assert.equal(m['curriculum/gt_steps_mean'], 4);
  // 6 pairs: 4 orthogonal (cos distance 1, L2 √2), 2 identical (0, 0).
  assert.ok(Math.abs(m['curriculum/pairwise_cosine_distance']! - 4 / 6) < 1e-12);
  assert.ok(Math.abs(m['curriculum/pairwise_l2_distance']! - (4 * Math.SQRT2) / 6) < 1e-12);
  for (const k of Object.keys(m)) assert.match(k, /^curriculum\//);
  // Base starts get their ground-truth steps from the task set: (5 + 3 + 2 + 2) / 4.
  assert.equal(startMetrics(starts, undefined, (id) => (id === 'a' ? 2 : undefined))['curriculum/gt_steps_mean'], 3);
  assert.equal(startMetrics(starts.slice(0, 2))['curriculum/gt_steps_mean'], undefined, 'no ground truth known: not reported');
  assert.throws(() => startMetrics(starts, [[1, 0]]), /1 embeddings for 4 starts/);
  assert.equal(instanceText(hist), 'y1');
  assert.equal(instanceText(base('zz')), 'zz');
});
