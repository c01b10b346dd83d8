import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../core/rng.js';
import { argMax, logSoftmax, sampleToken, samplingDistribution, validateSampling } from './sampling.js';

test('logSoftmax matches hand numbers', () => {
  const lp = logSoftmax([0, Math.log(3)]); // probs 1/4, 3/4
  assert.ok(Math.abs((lp[0] as number) - Math.log(0.25)) < 1e-12);
  assert.ok(Math.abs((lp[1] as number) - Math.log(0.75)) < 1e-12);
});

test('top-k then top-p keep the expected tokens, renormalised', () => {
  // probs ∝ [1, 2, 3, 4] at temperature 1 → [0.1, 0.2, 0.3, 0.4].
  const logits = [1, 2, 3, 4].map(Math.log);
  const k2 = samplingDistribution(logits, { temperature: 1, topP: 1, topK: 2 });
  assert.deepEqual(k2.ids, [3, 2]);
  assert.ok(Math.abs((k2.probs[0] as number) - 4 / 7) < 1e-12);
  // top_p 0.6: 0.4 < 0.6, 0.4 + 0.3 ≥ 0.6 → keep {3, 2}.
  const p = samplingDistribution(logits, { temperature: 1, topP: 0.6, topK: 0 });
  assert.deepEqual(p.ids, [3, 2]);
  // temperature 0.5 squares the odds: ∝ [1, 4, 9, 16].
  const t = samplingDistribution(logits, { temperature: 0.5, topP: 1, topK: 0 });
  assert.ok(Math.abs((t.probs[0] as number) - 16 / 30) < 1e-12);
});

test('greedy picks the argmax; sampling is seeded and reports the model logprob', () => {
  const logits = [0.5, 2, 1];
  assert.equal(argMax(logits), 1);
  const g = sampleToken(logits, { temperature: 0, topP: 1, topK: 0 }, Rng.fromSeed(1));
  assert.equal(g.token, 1);
  assert.ok(Math.abs(g.logprob - (logSoftmax(logits)[1] as number)) < 1e-12);
  const draw = (seed: number): number[] => {
    const rng = Rng.fromSeed(seed);
    return Array.from({ length: 20 }, () => sampleToken(logits, { temperature: 1, topP: 1, topK: 0 }, rng).token);
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  // With top_k 1 sampling is greedy whatever the seed.
  assert.equal(sampleToken(logits, { temperature: 1, topP: 1, topK: 1 }, Rng.fromSeed(3)).token, 1);
});

test('validateSampling names the bad field', () => {
  assert.throws(() => validateSampling({ temperature: -1, topP: 1, topK: 0 }, 'x'), /x: temperature must be ≥ 0/);
  assert.throws(() => validateSampling({ temperature: 1, topP: 0, topK: 0 }, 'x'), /top_p must be in \(0, 1\]/);
  assert.throws(() => validateSampling({ temperature: 1, topP: 1, topK: 1.5 }, 'x'), /top_k must be a non-negative integer/);
});

test('top-k by quickselect keeps exactly the k largest logits (ties to the lower id), in order', () => {
  const rng = Rng.fromSeed(3);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + rng.int(300);
    // Few distinct values, so ties are common.
    const logits = Float32Array.from({ length: n }, () => rng.int(12) - 6);
    const k = 1 + rng.int(n);
    const brute = Array.from({ length: n }, (_, i) => i)
      .sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b)
      .slice(0, k);
    assert.deepEqual(samplingDistribution(logits, { temperature: 1, topP: 1, topK: k }).ids, brute, `n ${n} k ${k}`);
  }
});

test('unfiltered sampling draws each token with its softmax probability, and survives tiny temperatures', () => {
  const logits = [1, 2, 3, 4].map(Math.log); // probabilities 0.1, 0.2, 0.3, 0.4
  const rng = Rng.fromSeed(11);
  const counts = [0, 0, 0, 0];
  const draws = 20000;
  for (let i = 0; i < draws; i++) counts[sampleToken(logits, { temperature: 1, topP: 1, topK: 0 }, rng).token]! += 1;
  // Binomial std at p = 0.4 over 20000 draws is 0.0035; allow 5 std.
  counts.forEach((c, i) => assert.ok(Math.abs(c / draws - (i + 1) / 10) < 0.018, `token ${i}: ${c / draws}`));
  // A 150k-token vocabulary at temperature 0.01: weights must not all underflow to 0.
  const big = Float32Array.from({ length: 150000 }, (_, i) => (i === 1234 ? 5 : Math.sin(i)));
  assert.equal(sampleToken(big, { temperature: 0.01, topP: 1, topK: 0 }, Rng.fromSeed(1)).token, 1234);
});
