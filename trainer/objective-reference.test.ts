import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grpoObjective, tokenTerms, type SequenceTokens } from './objective-reference.js';

const near = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const cfg = { epsilon: 0.2, beta: 0, normaliser: 'grpo' as const };

test('on-policy, no KL: J is the mean advantage, grad = −A/(G·|o|)', () => {
  const s: SequenceTokens = { logp: [Math.log(0.5), Math.log(0.25)], oldLogp: [Math.log(0.5), Math.log(0.25)], refLogp: [Math.log(0.5), Math.log(0.25)], mask: [1, 1], advantage: 1 };
  const r = grpoObjective([s], cfg);
  near(r.loss, -1);
  near(r.meanKl, 0);
  assert.equal(r.clipFrac, 0);
  assert.deepEqual(r.grad, [[-0.5, -0.5]]);
});

test('clipping: the four ρ/A cases', () => {
  const e = 0.2;
  // ρ = 1.5, A = 1: clipped 1.2 < 1.5 → clipped branch, gradient 0.
  let t = tokenTerms(Math.log(1.5), 0, 0, 1, e, 0);
  near(t.surrogate, 1.2);
  assert.equal(t.clipped, true);
  assert.equal(t.dObjective, 0);
  // ρ = 1.5, A = −1: unclipped −1.5 < −1.2 → unclipped, gradient ρA = −1.5.
  t = tokenTerms(Math.log(1.5), 0, 0, -1, e, 0);
  near(t.surrogate, -1.5);
  assert.equal(t.clipped, false);
  near(t.dObjective, -1.5);
  // ρ = 0.5, A = 1: unclipped 0.5 < 0.8 → unclipped.
  t = tokenTerms(Math.log(0.5), 0, 0, 1, e, 0);
  near(t.surrogate, 0.5);
  assert.equal(t.clipped, false);
  // ρ = 0.5, A = −1: clipped −0.8 < −0.5 → clipped.
  t = tokenTerms(Math.log(0.5), 0, 0, -1, e, 0);
  near(t.surrogate, -0.8);
  assert.equal(t.clipped, true);
});

test('k3 KL: ref − logp = ln 2 gives 1 − ln 2, and its gradient', () => {
  const t = tokenTerms(0, 0, Math.LN2, 0, 0.2, 0.5);
  near(t.kl, 1 - Math.LN2);
  // d/dlogp (−β·kl) = −β(1 − e^{ref − logp}) = −0.5·(1 − 2) = 0.5.
  near(t.dObjective, 0.5);
  const r = grpoObjective([{ logp: [0], oldLogp: [0], refLogp: [Math.LN2], mask: [1], advantage: 0 }], { ...cfg, beta: 0.5 });
  near(r.loss, 0.5 * (1 - Math.LN2));
  near(r.meanKl, 1 - Math.LN2);
});

test('grpo vs dr_grpo normalisers, hand-computed; masked tokens contribute nothing', () => {
  const a: SequenceTokens = { logp: [0, 0, 5], oldLogp: [0, 0, 0], refLogp: [0, 0, 0], mask: [1, 1, 0], advantage: 1 };
  const b: SequenceTokens = { logp: [0, 7, 7], oldLogp: [0, 0, 0], refLogp: [0, 0, 0], mask: [1, 0, 0], advantage: -1 };
  // grpo: 1/2 (2/2 + (−1)/1) = 0.
  near(grpoObjective([a, b], cfg).loss, 0);
  // dr_grpo with L = 4: (2 − 1)/(2·4) = 0.125.
  const dr = grpoObjective([a, b], { ...cfg, normaliser: 'dr_grpo', constantLength: 4 });
  near(dr.loss, -0.125);
  assert.deepEqual(dr.grad, [[-0.125, -0.125, 0], [0.125, 0, 0]]);
  assert.throws(() => grpoObjective([a], { ...cfg, normaliser: 'dr_grpo' }), /dr_grpo needs constantLength/);
});

test('analytic gradient matches finite differences of the loss', () => {
  const seqs: SequenceTokens[] = [
    { logp: [-1.1, -0.3, -2.0], oldLogp: [-1.0, -0.5, -2.05], refLogp: [-0.9, -0.4, -1.8], mask: [1, 1, 1], advantage: 0.7 },
    { logp: [-0.2, -1.5], oldLogp: [-0.25, -1.2], refLogp: [-0.3, -1.4], mask: [1, 1], advantage: -1.3 },
  ];
  const config = { epsilon: 0.2, beta: 0.04, normaliser: 'grpo' as const };
  const { grad } = grpoObjective(seqs, config);
  const h = 1e-6;
  seqs.forEach((s, i) =>
    s.logp.forEach((_, t) => {
      const bump = (d: number): number =>
        grpoObjective(seqs.map((q, j) => (j === i ? { ...q, logp: q.logp.map((v, k) => (k === t ? v + d : v)) } : q)), config).loss;
      near(grad[i]![t]!, (bump(h) - bump(-h)) / (2 * h), 1e-6);
    }),
  );
});

test('length mismatch and bad ε are refused', () => {
  assert.throws(() => grpoObjective([{ logp: [0], oldLogp: [], refLogp: [0], mask: [1], advantage: 1 }], cfg), /sequence 0 has logp 1, oldLogp 0/);
  assert.throws(() => grpoObjective([], cfg), /at least one sequence/);
  assert.throws(() => grpoObjective([{ logp: [0], oldLogp: [0], refLogp: [0], mask: [1], advantage: 1 }], { ...cfg, epsilon: 0 }), /epsilon must be in \(0, 1\)/);
});
