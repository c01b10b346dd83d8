import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { History } from '../core/start-state.js';
import { Rng } from '../core/rng.js';
import { createBuffer, insert } from './buffer.js';
import type { BufferState } from './buffer-types.js';
import { sampleSlot, sampleSlots, samplingEntropy, samplingProbabilities, type SamplingParams } from './sampling.js';

const h = (name: string): History => ({
  taskId: `t/${name}`,
  turns: [{ input: [{ role: 'user', content: name }], iterates: [{ response: [{ role: 'assistant', content: name }], quality: 0, kind: 'initial' }] }],
});
const softmax = (kappa: number): SamplingParams => ({ prioritisation: 'softmax', kappa, rankTemperature: 1, staleness: 0 });
const near = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

function filled(n: number, scoreOf: (i: number) => number, capacity = n): BufferState {
  const b = createBuffer(capacity);
  for (let i = 0; i < n; i++) insert(b, { history: h(`e${i}`), score: scoreOf(i) });
  return b;
}

test('softmax probabilities and entropy, hand-computed', () => {
  const b = filled(2, (i) => (i === 0 ? 0 : 0.25));
  // κ = 4: weights e^0 and e^1.
  const p = samplingProbabilities(b, softmax(4));
  near(p[0]!, 1 / (1 + Math.E));
  near(p[1]!, Math.E / (1 + Math.E));
  const q = Math.E / (1 + Math.E);
  near(samplingEntropy(b, softmax(4)), -(q * Math.log(q) + (1 - q) * Math.log(1 - q)));
  // κ = 0 is uniform: entropy ln |B|.
  near(samplingEntropy(filled(7, (i) => i * 0.03), softmax(0)), Math.log(7));
});

test('statistical: 200,000 softmax draws match exp(κS)/Σexp(κS) within 5σ per entry, after evictions and re-scores', () => {
  const b = filled(40, (i) => ((i * 7) % 40) * 0.00625, 40);
  // Exercise the incremental tree updates: replacements and score updates after the tree exists.
  const rng = Rng.fromSeed(3);
  sampleSlot(b, softmax(20), rng);
  for (let i = 0; i < 15; i++) insert(b, { history: h(`new${i}`), score: 0.1 + i * 0.01 });
  for (let i = 0; i < 10; i++) insert(b, { history: h(`e${i * 3}`), score: 0.25 - i * 0.02 });
  const p = samplingProbabilities(b, softmax(20));
  const n = 200_000;
  const counts = new Float64Array(b.entries.length);
  for (let i = 0; i < n; i++) counts[sampleSlot(b, softmax(20), rng)]!++;
  let tv = 0;
  p.forEach((pi, i) => {
    const f = counts[i]! / n;
    const sigma = Math.sqrt((pi * (1 - pi)) / n);
    assert.ok(Math.abs(f - pi) <= 5 * sigma, `entry ${i}: frequency ${f} vs probability ${pi} (σ ${sigma})`);
    tv += Math.abs(f - pi) / 2;
  });
  assert.ok(tv < 0.01, `total variation ${tv}`);
  // The spread of scores must make the distribution clearly non-uniform, or the test proves little.
  assert.ok(Math.max(...p) / Math.min(...p) > 20, "scores spread enough that P is far from uniform");
  assert.equal(b.entries.reduce((a, e) => a + e.timesSampled, 0), n + 1);
});

test('the same seed gives the same sequence; another seed a different one', () => {
  const draw = (seed: number): number[] => {
    const b = filled(30, (i) => (i % 6) * 0.05);
    const rng = Rng.fromSeed(seed);
    return Array.from({ length: 200 }, () => sampleSlot(b, softmax(20), rng));
  };
  assert.deepEqual(draw(5), draw(5));
  assert.notDeepEqual(draw(5), draw(6));
});

test('sampleSlots gives exactly what as many sampleSlot calls give, state included', () => {
  for (const params of [softmax(25), { prioritisation: 'rank', kappa: 0, rankTemperature: 1, staleness: 0.4 } as SamplingParams]) {
    const a = filled(50, (i) => (i % 11) * 0.02);
    const b = structuredClone(a);
    const ra = Rng.fromSeed(21);
    const rb = Rng.fromSeed(21);
    const one = Array.from({ length: 300 }, () => sampleSlot(a, params, ra));
    const batch = [...sampleSlots(b, params, rb, 128), ...sampleSlots(b, params, rb, 1), ...sampleSlots(b, params, rb, 171)];
    assert.deepEqual(batch, one);
    assert.deepEqual(b, a);
  }
  assert.deepEqual(sampleSlots(filled(2, () => 0), softmax(1), Rng.fromSeed(0), 0), []);
});

test('rank prioritisation: P ∝ (1/rank)^(1/β), hand-computed, and sampled accordingly', () => {
  const b = filled(3, (i) => [0.05, 0.2, 0.1][i]!);
  const params: SamplingParams = { prioritisation: 'rank', kappa: 0, rankTemperature: 1, staleness: 0 };
  // Ranks: e1 (0.2) 1st, e2 (0.1) 2nd, e0 (0.05) 3rd → h = 1, 1/2, 1/3 → 6/11, 3/11, 2/11.
  const p = samplingProbabilities(b, params);
  near(p[1]!, 6 / 11);
  near(p[2]!, 3 / 11);
  near(p[0]!, 2 / 11);
  const rng = Rng.fromSeed(9);
  const counts = [0, 0, 0];
  const n = 30_000;
  for (let i = 0; i < n; i++) counts[sampleSlot(b, params, rng)]!++;
  counts.forEach((c, i) => near(c / n, p[i]!, 5 * Math.sqrt((p[i]! * (1 - p[i]!)) / n)));
});

test('statistical: rank draws after evictions and re-scores match the sorted-rank probabilities (the rank tree stays exact)', () => {
  const params: SamplingParams = { prioritisation: 'rank', kappa: 0, rankTemperature: 0.5, staleness: 0 };
  const b = filled(25, (i) => (i % 6) * 0.05, 25);
  const rng = Rng.fromSeed(12);
  sampleSlot(b, params, rng); // builds the tree; the changes below must keep it in order
  for (let i = 0; i < 40; i++) {
    insert(b, { history: h(i % 2 ? `new${i}` : `e${i % 25}`), score: (i % 5) * 0.05 });
    sampleSlot(b, params, rng);
  }
  const p = samplingProbabilities(b, params);
  const n = 100_000;
  const counts = new Float64Array(b.entries.length);
  for (let i = 0; i < n; i++) counts[sampleSlot(b, params, rng)]!++;
  p.forEach((pi, i) => {
    const sigma = Math.sqrt((pi * (1 - pi)) / n);
    assert.ok(Math.abs(counts[i]! / n - pi) <= 5 * sigma + 1e-9, `slot ${i}: ${counts[i]! / n} vs ${pi}`);
  });
});

test('rank with staleness: P = (1 − ρ)P_S + ρ(c − C_i)/Σ(c − C_j), hand-computed', () => {
  const b = filled(3, (i) => [0.05, 0.2, 0.1][i]!);
  b.sampleClock = 5;
  b.entries[0]!.lastSampledAt = 0;
  b.entries[1]!.lastSampledAt = 2;
  b.entries[2]!.lastSampledAt = 4;
  const params: SamplingParams = { prioritisation: 'rank', kappa: 0, rankTemperature: 1, staleness: 0.5 };
  const p = samplingProbabilities(b, params);
  // Staleness 5, 3, 1 → 5/9, 3/9, 1/9.
  near(p[0]!, 0.5 * (2 / 11) + 0.5 * (5 / 9));
  near(p[1]!, 0.5 * (6 / 11) + 0.5 * (3 / 9));
  near(p[2]!, 0.5 * (3 / 11) + 0.5 * (1 / 9));
  // ρ = 1 with only one stale entry: every draw picks it, and drawing it makes it fresh.
  const only = filled(3, () => 0.1);
  only.sampleClock = 4;
  only.entries.forEach((e, i) => (e.lastSampledAt = i === 1 ? 0 : 4));
  const rng = Rng.fromSeed(1);
  assert.equal(sampleSlot(only, { ...params, staleness: 1 }, rng), 1);
  assert.equal(only.entries[1]!.lastSampledAt, 5);
  // Now staleness is 1, 0, 1: slot 1 can no longer be drawn from P_C.
  for (let i = 0; i < 20; i++) {
    const s = sampleSlot(only, { ...params, staleness: 1 }, rng);
    assert.ok(only.entries[s]!.lastSampledAt === only.sampleClock);
  }
});

test('statistical: rank + staleness draws follow the step-by-step mixture P_t = (1 − ρ)P_S + ρP_C through inserts and evictions', () => {
  // The distribution moves after every draw (the drawn entry becomes fresh), so compare against
  // the sum of the per-step probabilities: counts_i − Σ_t P_t(i) is a martingale with variance
  // Σ_t P_t(i)(1 − P_t(i)); the tolerance is 5 of its standard deviations per entry.
  const params: SamplingParams = { prioritisation: 'rank', kappa: 0, rankTemperature: 0.5, staleness: 0.5 };
  const b = filled(12, (i) => (i % 4) * 0.05, 12);
  const rng = Rng.fromSeed(17);
  const steps = 30_000;
  const counts = new Map<string, number>();
  const expected = new Map<string, number>();
  const variance = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, x: number): void => void m.set(k, (m.get(k) ?? 0) + x);
  for (let t = 0; t < steps; t++) {
    // Every 500 draws change the buffer (new keys evict, old keys are re-scored) so the
    // incremental rank tree and staleness trees are checked after updates, not just built once.
    if (t % 500 === 250) insert(b, { history: h(t % 1000 === 250 ? `new${t}` : `e${(t / 500) % 12}`), score: ((t / 500) % 6) * 0.04 });
    const p = samplingProbabilities(b, params);
    b.entries.forEach((e, i) => {
      add(expected, e.key, p[i]!);
      add(variance, e.key, p[i]! * (1 - p[i]!));
    });
    add(counts, b.entries[sampleSlot(b, params, rng)]!.key, 1);
  }
  let checked = 0;
  for (const [key, mu] of expected) {
    const got = counts.get(key) ?? 0;
    const sd = Math.sqrt(variance.get(key)!);
    assert.ok(Math.abs(got - mu) <= 5 * sd + 1e-9, `entry ${key}: ${got} draws vs expected ${mu.toFixed(1)} (σ ${sd.toFixed(1)})`);
    if (mu > 100) checked++;
  }
  assert.ok(checked >= 12, `enough entries with many expected draws (${checked})`);
  // The mixture must differ clearly from pure rank sampling, or the test would not see staleness.
  const mixed = samplingProbabilities(b, params);
  const pureRank = samplingProbabilities(b, { ...params, staleness: 0 });
  assert.ok(Math.max(...mixed.map((q, i) => Math.abs(q - pureRank[i]!))) > 0.05, 'staleness changes the distribution');
});

test('sampling an empty buffer or with a bad κ is refused', () => {
  assert.throws(() => sampleSlot(createBuffer(3), softmax(1), Rng.fromSeed(0)), /buffer is empty/);
  assert.throws(() => sampleSlot(filled(2, () => 0), softmax(Number.NaN), Rng.fromSeed(0)), /kappa must be in \[0, 2800\]/);
});
