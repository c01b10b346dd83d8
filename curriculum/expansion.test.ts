import assert from 'node:assert/strict';
import { test } from 'node:test';
import { taskKey } from '../core/hash.js';
import { baseStart, historyDepth, improveStart } from '../core/start-state.js';
import type { Iterate, Trace, Turn } from '../core/types.js';
import { getEntry } from './buffer.js';
import { curriculumPreset } from './config.js';
import { createCurriculum, type EpisodeStart } from './episode-start.js';
import { expansionInserts, partialHistories, traceQuality, updateCurriculum } from './expansion.js';

const it = (text: string, quality: number, kind: Iterate['kind'] = 'initial'): Iterate => ({ response: [{ role: 'assistant', content: text }], quality, kind });
const turn = (q: string, ...iterates: Iterate[]): Turn => ({ input: [{ role: 'user', content: q }], iterates });
/** 3 turns, 2 iterates on the last one. */
const trace3: Trace = [turn('q0', it('a0', 1)), turn('q1', it('a1', 1)), turn('q2', it('a2', 0.5), it('a2 better', 1, 'improve'))];
const exit = curriculumPreset('math', 'exit', { capacity: 64, minSize: 4 });

test('prefix insertion: a 3-turn trace with 2 iterates on the last turn gives 3 per-turn histories', () => {
  const hs = partialHistories('task/1', trace3);
  assert.equal(hs.length, 3);
  assert.deepEqual(hs.map((h) => h.turns.length), [1, 2, 3]);
  assert.deepEqual(hs.map(historyDepth), [0, 0, 1]);
  assert.deepEqual(hs.map((h) => Object.keys(h).sort()), [0, 1, 2].map(() => ['taskId', 'turns']), 'a history has no mode or depth to hash');
  assert.deepEqual(hs[1]!.turns, trace3.slice(0, 2));
  assert.deepEqual(hs[2]!.turns[2]!.iterates.map((i) => i.response[0]!.content), ['a2', 'a2 better']);
  assert.equal(new Set(hs.map(taskKey)).size, 3);
  // Inserted through a group outcome, the buffer holds exactly these three.
  const state = createCurriculum(exit, ['task/1']);
  const episode: EpisodeStart = { start: baseStart('task/1'), source: 'base', entryKey: null, turn: 0 };
  const { score, results } = updateCurriculum(state, exit, { episode, traces: [trace3], qualities: [1] });
  assert.equal(score, 0);
  assert.deepEqual(results.map((r) => r.outcome), ['added', 'added', 'added']);
  assert.deepEqual(state.buffer.entries.map((e) => e.key), hs.map(taskKey));
});

test('a turn with no iterate (cut off before an answer) ends the prefixes', () => {
  const cut: Trace = [turn('q0', it('a0', 0)), turn('q1')];
  assert.equal(partialHistories('t', cut).length, 1);
  assert.equal(traceQuality(cut), 0);
  assert.equal(traceQuality([turn('q0')]), null);
});

test('inheritance: m′ gets the group score S and every child inherits it, with lineage', () => {
  const parent = { taskId: 'task/1', turns: [turn('q0', it('x', 0))] };
  const parentKey = taskKey(parent);
  // The sampled entry was the full history; selection cut it to m′ = its first iterate (improve step).
  const sampledKey = 'sampled-entry';
  const mPrime = improveStart(parent);
  const episode: EpisodeStart = { start: mPrime, source: 'replay', entryKey: sampledKey, turn: 0 };
  const traces: Trace[] = [
    [turn('q0', it('x', 0), it('y', 1, 'improve'))],
    [turn('q0', it('x', 0), it('z', 0, 'improve'))],
    [turn('q0', it('x', 0), it('y', 1, 'improve'))], // same history as the first: one insert
    [turn('q0', it('x', 0), it('w', 0, 'improve'))],
  ];
  const { score, inserts } = expansionInserts({ episode, traces, gtSteps: 4 }, exit);
  assert.equal(score, 0.25); // traceQuality = the last iterate's quality: [1, 0, 1, 0] → p(1 − p) = 0.25
  assert.equal(inserts.length, 4);
  assert.deepEqual(inserts[0], { history: parent, score, parentKey: sampledKey, gtSteps: 4 });
  for (const child of inserts.slice(1)) {
    assert.equal(child.score, score, 'a child inherits its parent’s score');
    assert.equal(child.parentKey, parentKey);
    assert.equal(historyDepth(child.history), 1);
  }
});

test('curriculum strategy inserts the base task; grpo inserts nothing; all-null groups insert nothing', () => {
  const cur = curriculumPreset('math', 'curriculum');
  const episode: EpisodeStart = { start: baseStart('task/9'), source: 'base', entryKey: null, turn: 0 };
  const traces = [[turn('q', it('a', 1))], [turn('q', it('b', 0))]];
  const r = expansionInserts({ episode, traces }, cur);
  assert.deepEqual(r, { score: 0.25, inserts: [{ history: { taskId: 'task/9', turns: [] }, score: 0.25, parentKey: null }] });
  assert.deepEqual(expansionInserts({ episode, traces }, curriculumPreset('math', 'grpo')).inserts, []);
  assert.deepEqual(expansionInserts({ episode, traces: [null, null] }, exit), { score: null, inserts: [] });
});

test('re-inserting a history updates its score (no duplicate), so m′ is re-scored each time it is replayed', () => {
  const state = createCurriculum(exit, ['task/1']);
  const h = { taskId: 'task/1', turns: [turn('q0', it('x', 0))] };
  const episode: EpisodeStart = { start: improveStart(h), source: 'replay', entryKey: null, turn: 0 };
  updateCurriculum(state, exit, { episode, traces: [], qualities: [1, 0] });
  assert.equal(getEntry(state.buffer, taskKey(h))?.score, 0.25);
  updateCurriculum(state, exit, { episode, traces: [], qualities: [1, 1] });
  assert.equal(state.buffer.entries.length, 1);
  assert.equal(getEntry(state.buffer, taskKey(h))?.score, 0);
});

test('a group run from a later turn re-scores m′ and its children but leaves m′\'s ancestors alone', () => {
  const state = createCurriculum(exit, ['task/1']);
  const t0 = turn('q0', it('a0', 1));
  const ancestor = { taskId: 'task/1', turns: [t0] };
  updateCurriculum(state, exit, {
    episode: { start: baseStart('task/1'), source: 'base', entryKey: null, turn: 0 },
    traces: [[t0, turn('q1', it('a1', 1))]],
    qualities: [1, 0],
  });
  assert.equal(getEntry(state.buffer, taskKey(ancestor))?.score, 0.25);
  // Replay from turn 1 (m′ = [t0, t1 with a1]); the group always succeeds: S = 0.
  const mPrime = improveStart({ taskId: 'task/1', turns: [t0, turn('q1', it('a1', 1))] });
  const child: Trace = [t0, turn('q1', it('a1', 1), it('a1 again', 1, 'improve'))];
  const { results } = updateCurriculum(state, exit, { episode: { start: mPrime, source: 'replay', entryKey: taskKey({ taskId: 'task/1', turns: mPrime.turns }), turn: 1 }, traces: [child], qualities: [1, 1] });
  assert.deepEqual(results.map((r) => r.outcome), ['updated', 'added']);
  assert.equal(getEntry(state.buffer, taskKey(ancestor))?.score, 0.25, 'the ancestor keeps its own score');
  assert.equal(getEntry(state.buffer, taskKey({ taskId: 'task/1', turns: mPrime.turns }))?.score, 0);
  assert.equal(getEntry(state.buffer, taskKey({ taskId: 'task/1', turns: child }))?.score, 0);
});
