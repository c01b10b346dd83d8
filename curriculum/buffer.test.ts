import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { History } from '../core/start-state.js';
import { taskKey } from '../core/hash.js';
import { Rng } from '../core/rng.js';
import { bufferSize, createBuffer, getEntry, insert, minEntry } from './buffer.js';
import type { BufferState } from './buffer-types.js';

/** A distinct one-turn history per name. */
const h = (name: string): History => ({
  taskId: `t/${name}`,
  turns: [{ input: [{ role: 'user', content: `task ${name}` }], iterates: [{ response: [{ role: 'assistant', content: name }], quality: 0, kind: 'initial' }] }],
});
const names = (b: BufferState): string[] => b.entries.map((e) => e.history.taskId.slice(2));

test('below capacity every new key is added, in slot order', () => {
  const b = createBuffer(3);
  assert.deepEqual(insert(b, { history: h('A'), score: 0.1 }), { outcome: 'added', slot: 0 });
  assert.deepEqual(insert(b, { history: h('B'), score: 0.2 }), { outcome: 'added', slot: 1 });
  assert.equal(bufferSize(b), 2);
  assert.deepEqual(names(b), ['A', 'B']);
  assert.equal(b.clock, 2);
});

test('eviction order: at capacity, S ≥ min replaces the min; S < min is rejected', () => {
  const b = createBuffer(3);
  insert(b, { history: h('A'), score: 0.1 });
  insert(b, { history: h('B'), score: 0.2 });
  insert(b, { history: h('C'), score: 0.05 });
  // D ties the minimum (0.05 ≥ 0.05): it goes in, C goes out, into C's slot.
  const d = insert(b, { history: h('D'), score: 0.05 });
  assert.equal(d.outcome, 'replaced');
  assert.equal(d.slot, 2);
  assert.equal(d.evicted?.history.taskId, 't/C');
  assert.deepEqual(names(b), ['A', 'B', 'D']);
  // E is below the minimum 0.05: rejected, nothing changes (not even the clock).
  const clock = b.clock;
  assert.deepEqual(insert(b, { history: h('E'), score: 0.01 }), { outcome: 'rejected', slot: -1 });
  assert.equal(b.clock, clock);
  assert.deepEqual(names(b), ['A', 'B', 'D']);
  // F beats the minimum D (0.05): replaces it; then the minimum is A (0.1).
  assert.equal(insert(b, { history: h('F'), score: 0.2 }).evicted?.history.taskId, 't/D');
  assert.deepEqual(names(b), ['A', 'B', 'F']);
  assert.equal(minEntry(b)?.history.taskId, 't/A');
  assert.equal(insert(b, { history: h('G'), score: 0.15 }).evicted?.history.taskId, 't/A');
  assert.deepEqual(names(b), ['G', 'B', 'F']);
  assert.equal(getEntry(b, taskKey(h('A'))), undefined);
});

test('tie-breaking: among equal minimum scores the one scored longest ago is evicted', () => {
  const b = createBuffer(2);
  insert(b, { history: h('A'), score: 0.1 }); // scoredAt 1
  insert(b, { history: h('B'), score: 0.1 }); // scoredAt 2
  assert.equal(insert(b, { history: h('C'), score: 0.1 }).evicted?.history.taskId, 't/A'); // C scoredAt 3
  // Re-scoring B (same score) makes it the most recent: C is now the oldest.
  assert.equal(insert(b, { history: h('B'), score: 0.1 }).outcome, 'updated'); // B scoredAt 4
  assert.equal(insert(b, { history: h('D'), score: 0.1 }).evicted?.history.taskId, 't/C');
  assert.deepEqual(names(b), ['D', 'B'], 'D takes the slot C had taken from A');
});

test('a duplicate key updates the score instead of adding', () => {
  const b = createBuffer(4);
  insert(b, { history: h('A'), score: 0.1, parentKey: 'p0', gtSteps: 3 });
  const r = insert(b, { history: structuredClone(h('A')), score: 0.02, parentKey: 'other' });
  assert.deepEqual(r, { outcome: 'updated', slot: 0 });
  assert.equal(bufferSize(b), 1);
  const e = getEntry(b, taskKey(h('A')))!;
  assert.equal(e.score, 0.02);
  assert.equal(e.parentKey, 'p0', 'the lineage of an instance is where it first came from');
  assert.equal(e.gtSteps, 3);
  assert.equal(e.insertedAt, 1);
  assert.equal(e.scoredAt, 2);
  // Lowering a score re-keys the heap: A is now the minimum.
  insert(b, { history: h('B'), score: 0.05 });
  assert.equal(minEntry(b)?.history.taskId, 't/A');
});

test('scores outside [0, 0.25] are refused with the fix', () => {
  const b = createBuffer(2);
  assert.throws(() => insert(b, { history: h('A'), score: 0.3 }), /score must be a learnability in \[0, 0.25\].*got 0.3/);
  assert.throws(() => insert(b, { history: h('A'), score: Number.NaN }), /got NaN/);
  assert.throws(() => createBuffer(0), /capacity must be an integer >= 1/);
});

test('the state is plain JSON, and a clone (indexes rebuilt) behaves exactly like the original', () => {
  const b = createBuffer(5);
  for (const [i, n] of ['A', 'B', 'C', 'D', 'E', 'F'].entries()) insert(b, { history: h(n), score: (i % 3) * 0.05 });
  const copy = JSON.parse(JSON.stringify(b)) as BufferState;
  assert.deepEqual(copy, b);
  for (const [i, n] of ['G', 'A', 'H', 'I'].entries()) {
    const r1 = insert(b, { history: h(n), score: 0.04 + i * 0.01 });
    const r2 = insert(copy, { history: h(n), score: 0.04 + i * 0.01 });
    assert.deepEqual(r2, r1);
  }
  assert.deepEqual(copy, b);
});

/** The rules written the slow, obvious way: a reference for the randomized comparison. */
function naiveInsert(b: BufferState, start: History, score: number): string {
  const key = taskKey(start);
  const existing = b.entries.find((e) => e.key === key);
  if (existing) {
    existing.score = score;
    existing.scoredAt = ++b.clock;
    return 'updated';
  }
  const make = () => {
    const c = ++b.clock;
    return { key, history: start, score, parentKey: null, insertedAt: c, scoredAt: c, lastSampledAt: b.sampleClock, timesSampled: 0 };
  };
  if (b.entries.length < b.capacity) {
    b.entries.push(make());
    return 'added';
  }
  let m = 0;
  b.entries.forEach((e, i) => {
    const em = b.entries[m]!;
    if (e.score < em.score || (e.score === em.score && e.scoredAt < em.scoredAt)) m = i;
  });
  if (score < b.entries[m]!.score) return 'rejected';
  b.entries[m] = make();
  return 'replaced';
}

test('randomized: 3,000 operations with many ties match the naive reference exactly', () => {
  const rng = Rng.fromSeed(11);
  const fast = createBuffer(17);
  const slow = createBuffer(17);
  for (let i = 0; i < 3000; i++) {
    const start = h(`k${rng.int(60)}`);
    const score = rng.int(6) * 0.05; // 0 … 0.25 in 6 levels: plenty of ties
    const got = insert(fast, { history: start, score }).outcome;
    assert.equal(got, naiveInsert(slow, start, score), `operation ${i}`);
  }
  assert.deepEqual(fast, slow);
});
