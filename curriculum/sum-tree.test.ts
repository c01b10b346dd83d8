import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SumTree } from './sum-tree.js';

test('find maps u·total onto the leaf whose cumulative range holds it', () => {
  const t = new SumTree(5);
  assert.equal(t.size, 8);
  [1, 0, 2, 1, 4].forEach((w, i) => t.set(i, w));
  assert.equal(t.total, 8);
  // Cumulative ranges: [0,1) → 0, leaf 1 empty, [1,3) → 2, [3,4) → 3, [4,8) → 4.
  const at = (x: number): number => t.find(x / 8);
  assert.deepEqual([0, 0.99, 1, 2.99, 3, 3.5, 4, 7.99].map(at), [0, 0, 2, 2, 3, 3, 4, 4]);
});

test('updates recompute parents (no drift) and a zero leaf is never returned', () => {
  const t = new SumTree(3);
  t.fill([0.1, 0.2, 0.3]);
  for (let i = 0; i < 10_000; i++) t.set(i % 3, (i % 7) * 0.1 + 0.1);
  t.fill([0.1, 0.2, 0.3]);
  assert.equal(t.total, 0.1 + 0.2 + 0.3);
  t.set(2, 0);
  for (const u of [0, 0.5, 0.999999, 1 - 1e-16]) assert.notEqual(t.find(u), 2);
  assert.equal(t.get(1), 0.2);
});

test('a custom node weight (staleness count·c − ΣC) descends the same way', () => {
  const last = new SumTree(4);
  const occ = new SumTree(4);
  last.fill([0, 3, 5]);
  occ.fill([1, 1, 1]);
  const c = 5; // staleness 5, 2, 0
  const w = (k: number): number => occ.node(k) * c - last.node(k);
  assert.equal(w(0), 7);
  assert.deepEqual([0, 4.9, 5, 6.9].map((x) => occ.find(x / 7, w)), [0, 0, 1, 1]);
});

test('large trees: every leaf is reachable at the right u, across all 8-ary levels', () => {
  const n = 5000;
  const t = new SumTree(n);
  assert.equal(t.size, 8 ** 5);
  const w = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1 + (i % 7)));
  t.fill(w);
  const single = new SumTree(n);
  w.forEach((x, i) => single.set(i, x));
  assert.equal(single.total, t.total);
  let cum = 0;
  w.forEach((x, i) => {
    if (x === 0) return;
    const mid = (cum + x / 2) / t.total;
    assert.equal(t.find(mid), i);
    assert.equal(single.find(mid), i);
    cum += x;
  });
  assert.equal(t.find(0.9999999999), n - 1);
  assert.equal(new SumTree(1).size, 1);
});
