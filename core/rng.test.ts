import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from './rng.js';

test('the same seed gives the same sequence; different seeds differ', () => {
  const a = Rng.fromSeed(7);
  const b = Rng.fromSeed(7);
  const c = Rng.fromSeed(8);
  const seqA = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.next()));
  for (const x of seqA) assert.ok(x >= 0 && x < 1);
});

test('state() round-trips: a restored Rng continues the same sequence', () => {
  const a = Rng.fromSeed(123);
  a.next();
  const saved = JSON.parse(JSON.stringify(a.state()));
  const b = Rng.fromState(saved);
  assert.deepEqual([a.next(), a.int(100), a.next()], [b.next(), b.int(100), b.next()]);
});

test('int and choice stay in range and cover it; shuffle is a permutation', () => {
  const r = Rng.fromSeed(1);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const x = r.int(5);
    assert.ok(Number.isInteger(x) && x >= 0 && x < 5);
    seen.add(x);
  }
  assert.equal(seen.size, 5);
  const items = [1, 2, 3, 4, 5, 6];
  const s = r.shuffle(items);
  assert.deepEqual([...s].sort(), items);
  assert.deepEqual(items, [1, 2, 3, 4, 5, 6], 'shuffle must not mutate its input');
});

test('weighted draws follow the weights (chi-square-free check with a loose bound)', () => {
  const r = Rng.fromSeed(5);
  const counts = [0, 0, 0];
  const n = 30000;
  for (let i = 0; i < n; i++) counts[r.weighted([1, 2, 7])]!++;
  assert.ok(Math.abs(counts[0]! / n - 0.1) < 0.01, `p0 ${counts[0]! / n}`);
  assert.ok(Math.abs(counts[2]! / n - 0.7) < 0.015, `p2 ${counts[2]! / n}`);
  assert.throws(() => r.weighted([0, 0]), /positive sum/);
});

test('split gives independent children; fork is keyed and does not advance the parent', () => {
  const p1 = Rng.fromSeed(9);
  const p2 = Rng.fromSeed(9);
  const f1 = p1.fork('task-a').next();
  assert.equal(p2.fork('task-a').next(), f1);
  assert.notEqual(p2.fork('task-b').next(), f1);
  assert.equal(p1.next(), p2.next(), 'fork must not advance the parent');
  const c1 = p1.split();
  const c2 = p1.split();
  assert.notEqual(c1.next(), c2.next());
});

test('bad arguments fail with what was expected', () => {
  assert.throws(() => Rng.fromSeed(NaN), /finite number/);
  assert.throws(() => Rng.fromSeed(1).int(0), /positive integer/);
  assert.throws(() => Rng.fromSeed(1).choice([]), /non-empty/);
  assert.throws(() => Rng.fromState({ algorithm: 'mt' } as never), /xoroshiro128plus/);
});

test('nearby seeds give unrelated first draws', () => {
  const firsts = Array.from({ length: 50 }, (_, s) => Rng.fromSeed(s).int(1000));
  assert.ok(new Set(firsts).size > 40, `first draws of seeds 0..49 collide too often: ${firsts.join(',')}`);
});
