import assert from 'node:assert/strict';
import { test } from 'node:test';
import { taskKey } from '../core/hash.js';
import { historyOf, validateStartState } from '../core/start-state.js';
import { Rng } from '../core/rng.js';
import type { Iterate, Turn } from '../core/types.js';
import { insert } from './buffer.js';
import type { BufferEntry } from './buffer-types.js';
import { curriculumPreset } from './config.js';
import { createCurriculum, nextBaseTask, nextStart, selectPrefix } from './episode-start.js';

const it = (text: string): Iterate => ({ response: [{ role: 'assistant', content: text }], quality: 0, kind: 'initial' });
const turn = (q: string, ...iterates: Iterate[]): Turn => ({ input: [{ role: 'user', content: q }], iterates });
const ids = Array.from({ length: 10 }, (_, i) => `task/${i}`);

test('grpo: every start is a uniform base task and the buffer is never touched', () => {
  const config = curriculumPreset('bfcl', 'grpo');
  const state = createCurriculum(config, ids);
  const rng = Rng.fromSeed(1);
  const counts = new Map<string, number>();
  for (let i = 0; i < 5000; i++) {
    const e = nextStart(state, config, rng);
    assert.equal(e.source, 'base');
    assert.deepEqual(e.start.turns, []);
    counts.set(e.start.taskId, (counts.get(e.start.taskId) ?? 0) + 1);
  }
  assert.equal(counts.size, 10);
  for (const c of counts.values()) assert.ok(Math.abs(c / 5000 - 0.1) < 0.02, `count ${c}`);
  assert.equal(state.replays, 0);
  assert.equal(state.seenKeys.length, 10, 'distinct instances seen: the 10 base tasks');
});

test('epoch base sampling: each epoch is a permutation, reshuffled between epochs', () => {
  const state = createCurriculum(curriculumPreset('math', 'exit'), ids);
  const rng = Rng.fromSeed(2);
  const epoch1 = Array.from({ length: 10 }, () => nextBaseTask(state.base, 'epoch', rng));
  const epoch2 = Array.from({ length: 10 }, () => nextBaseTask(state.base, 'epoch', rng));
  assert.deepEqual([...epoch1].sort(), [...ids].sort());
  assert.deepEqual([...epoch2].sort(), [...ids].sort());
  assert.notDeepEqual(epoch1, epoch2);
  assert.equal(state.base.epoch, 2);
});

test('replay only once |B| ≥ B_min, then with probability p; p_div of replays diverge', () => {
  const config = curriculumPreset('bfcl', 'exit', { capacity: 20, minSize: 5 }); // p 0.5, p_div 0.5
  const state = createCurriculum(config, ids);
  const rng = Rng.fromSeed(3);
  for (let i = 0; i < 4; i++) insert(state.buffer, { history: { taskId: `task/${i}`, turns: [turn('q', it(`a${i}`))] }, score: 0.1 });
  for (let i = 0; i < 200; i++) assert.equal(nextStart(state, config, rng).source, 'base', 'below B_min');
  insert(state.buffer, { history: { taskId: 'task/4', turns: [turn('q', it('a4'))] }, score: 0.1 });
  const n = 20_000;
  let replays = 0;
  let diverge = 0;
  for (let i = 0; i < n; i++) {
    const e = nextStart(state, config, rng);
    if (e.source === 'replay') {
      replays++;
      if (e.start.mode === 'diverge') diverge++;
      assert.notEqual(e.entryKey, null);
    }
  }
  // Binomial: 5σ of 20,000 draws at 0.5 is 0.018.
  assert.ok(Math.abs(replays / n - 0.5) < 0.018, `replay fraction ${replays / n}`);
  assert.ok(Math.abs(diverge / replays - 0.5) < 0.025, `diverge fraction ${diverge / replays}`);
  assert.equal(state.episodes, 200 + n);
});

test('selectPrefix: a random turn, a random iterate of it, the history cut there; depth = k′', () => {
  const entry = {
    key: 'k',
    history: { taskId: 'task/7', turns: [turn('q0', it('a'), it('b')), turn('q1', it('c')), turn('q2', it('d'), it('e'), it('f'))] },
  } as BufferEntry;
  const rng = Rng.fromSeed(4);
  const seen = new Map<string, number>();
  for (let i = 0; i < 6000; i++) {
    const { start, turn: t } = selectPrefix(entry, 'improve', rng);
    validateStartState(start, 'selectPrefix');
    assert.equal(start.turns.length, t + 1);
    assert.equal(start.mode, 'improve');
    const last = start.turns[t]!;
    assert.equal(start.depth, last.iterates.length - 1);
    // Earlier turns are kept whole.
    for (let j = 0; j < t; j++) assert.deepEqual(start.turns[j], entry.history.turns[j]);
    const label = `${t}:${last.iterates.map((x) => x.response[0]!.content).join('')}`;
    seen.set(label, (seen.get(label) ?? 0) + 1);
  }
  // Turn uniform (1/3), then iterate uniform within it.
  const expected: Record<string, number> = { '0:a': 1 / 6, '0:ab': 1 / 6, '1:c': 1 / 3, '2:d': 1 / 9, '2:de': 1 / 9, '2:def': 1 / 9 };
  assert.deepEqual([...seen.keys()].sort(), Object.keys(expected).sort());
  for (const [k, p] of Object.entries(expected)) assert.ok(Math.abs(seen.get(k)! / 6000 - p) < 0.03, `${k}: ${seen.get(k)! / 6000} vs ${p}`);
  assert.deepEqual(entry.history.turns[2]!.iterates.length, 3, 'the entry itself is not modified');
});

test('curriculum strategy replays the stored base task as it is', () => {
  const config = curriculumPreset('mlebench', 'curriculum'); // N 3, B_min 3
  const state = createCurriculum(config, ids);
  for (let i = 0; i < 3; i++) insert(state.buffer, { history: { taskId: `task/${i}`, turns: [] }, score: 0.2, gtSteps: 7 });
  const rng = Rng.fromSeed(5);
  const replays = Array.from({ length: 100 }, () => nextStart(state, config, rng)).filter((e) => e.source === 'replay');
  assert.ok(replays.length > 30);
  for (const e of replays) {
    assert.equal(e.start.mode, 'base');
    assert.equal(e.entryKey, taskKey(historyOf(e.start)));
    assert.equal(e.gtSteps, 7);
  }
});

test('the same seed replays the same sequence of starts', () => {
  const run = (seed: number): string[] => {
    const config = curriculumPreset('math', 'exit', { capacity: 8, minSize: 2 });
    const state = createCurriculum(config, ids);
    for (let i = 0; i < 6; i++) insert(state.buffer, { history: { taskId: `task/${i}`, turns: [turn('q', it(`a${i}`), it(`b${i}`))] }, score: i * 0.04 });
    const rng = Rng.fromSeed(seed);
    return Array.from({ length: 300 }, () => taskKey(nextStart(state, config, rng).start));
  };
  assert.deepEqual(run(8), run(8));
  assert.notDeepEqual(run(8), run(9));
});

test('createCurriculum refuses an empty or duplicated task list', () => {
  const config = curriculumPreset('math', 'exit');
  assert.throws(() => createCurriculum(config, []), /task set is empty/);
  assert.throws(() => createCurriculum(config, ['a', 'a']), /duplicates/);
  const state = createCurriculum(config, ['a']);
  assert.throws(() => nextStart(state, { ...config, capacity: 64 }, Rng.fromSeed(0)), /created with capacity 512 but the config says 64/);
});
