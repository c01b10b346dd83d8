import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDiversityBonus, centroidDistances, diversityCoefficients, meanPairwiseDistances } from './diversity.js';

const close = (a: number[], b: number[], tol = 1e-12): void => {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) <= tol, `index ${i}: ${x} vs ${b[i]}`));
};

test('Eq. 6 hand-computed: raw distance over the distance range', () => {
  // Centroid (2/3, 4/3); distances √20/3, √32/3, √68/3; range (√68 − √20)/3.
  const d = [Math.sqrt(20) / 3, Math.sqrt(32) / 3, Math.sqrt(68) / 3];
  close(centroidDistances([[0, 0], [2, 0], [0, 4]]), d);
  const range = d[2]! - d[0]!;
  close(diversityCoefficients([[0, 0], [2, 0], [0, 4]]), d.map((x) => x / range));
  // 1-D: centroid 3, distances 3, 1, 1, 3 → range 2 → [1.5, 0.5, 0.5, 1.5] (the numerator is not min-subtracted).
  close(diversityCoefficients([[0], [2], [4], [6]]), [1.5, 0.5, 0.5, 1.5]);
});

test('range below ε (identical responses, one member) gives d = 1: no bonus', () => {
  close(diversityCoefficients([[1, 2], [1, 2], [1, 2]]), [1, 1, 1]);
  close(diversityCoefficients([[3, 4]]), [1]);
  // Equidistant from the centroid: range 0 although the members differ.
  close(diversityCoefficients([[1, 0], [-1, 0]]), [1, 1]);
  close(diversityCoefficients([[0], [1e-9]]), [1, 1]);
  assert.deepEqual(diversityCoefficients([]), []);
});

test('A_i ← d_i·A_i: up-weights divergent successes, zero advantages stay zero', () => {
  close(applyDiversityBonus([1, -1, 0], [2, 0.5, 3]), [2, -0.5, 0]);
  assert.throws(() => applyDiversityBonus([1], [1, 2]), /1 advantages but 2 coefficients/);
});

test('mean pairwise cosine and L2 distances, hand-computed', () => {
  // Pairs: (1,0)-(0,1): cos 0 → 1, L2 √2; (1,0)-(2,0): cos 1 → 0, L2 1; (0,1)-(2,0): cos 0 → 1, L2 √5.
  const d = meanPairwiseDistances([[1, 0], [0, 1], [2, 0]]);
  assert.ok(Math.abs(d.cosine - 2 / 3) < 1e-12);
  assert.ok(Math.abs(d.l2 - (Math.SQRT2 + 1 + Math.sqrt(5)) / 3) < 1e-12);
  assert.deepEqual(meanPairwiseDistances([[1, 2]]), { cosine: 0, l2: 0 });
  assert.throws(() => meanPairwiseDistances([[1, 2], [1]]), /embedding 1 has 1 dimensions, embedding 0 has 2/);
});
