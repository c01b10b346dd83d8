import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { History } from '../core/start-state.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Rng } from '../core/rng.js';
import { createBuffer, insert } from './buffer.js';
import { curriculumPreset } from './config.js';
import { createCurriculum, nextStart } from './episode-start.js';
import { updateCurriculum } from './expansion.js';
import { bufferFromJsonLines, bufferToJsonLines, loadBuffer, loadCurriculum, saveBuffer, saveCurriculum } from './persistence.js';
import { sampleSlot } from './sampling.js';

const h = (name: string): History => ({
  taskId: `t/${name}`,
  turns: [{ input: [{ role: 'user', content: name }], iterates: [{ response: [{ role: 'assistant', content: `answer ${name}` }], quality: 0.5, kind: 'initial' }] }],
});
const params = { prioritisation: 'softmax' as const, kappa: 30, rankTemperature: 1, staleness: 0 };

test('save → load round-trips exactly, and a resumed run samples and evicts like the original', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-buffer-'));
  try {
    const b = createBuffer(6);
    for (let i = 0; i < 9; i++) insert(b, { history: h(`e${i}`), score: (i % 5) * 0.05, gtSteps: i, parentKey: i ? 'p' : null });
    const rng = Rng.fromSeed(4);
    for (let i = 0; i < 10; i++) sampleSlot(b, params, rng);
    const path = join(dir, 'run', 'buffer.jsonl');
    await saveBuffer(path, b);
    const text = await readFile(path, 'utf8');
    assert.equal(text.trim().split('\n').length, 7, 'a header and one line per entry');
    const loaded = await loadBuffer(path);
    assert.deepEqual(loaded, b);
    const rngA = Rng.fromState(rng.state());
    const rngB = Rng.fromState(rng.state());
    for (let i = 0; i < 50; i++) {
      assert.equal(sampleSlot(loaded, params, rngB), sampleSlot(b, params, rngA));
      if (i % 10 === 0) assert.deepEqual(insert(loaded, { history: h(`n${i}`), score: 0.12 }), insert(b, { history: h(`n${i}`), score: 0.12 }));
    }
    assert.deepEqual(loaded, b);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('damaged files fail with the line and the fix', async () => {
  const b = createBuffer(3);
  insert(b, { history: h('a'), score: 0.1 });
  insert(b, { history: h('b'), score: 0.2 });
  const lines = bufferToJsonLines(b).trim().split('\n');
  assert.throws(() => bufferFromJsonLines(lines.slice(0, 2).join('\n'), 'buf.jsonl'), /buf.jsonl: header says 2 entries but the file has 1; the file is truncated/);
  assert.throws(() => bufferFromJsonLines([lines[0], lines[1], '{oops'].join('\n'), 'buf.jsonl'), /buf.jsonl:3: not valid JSON/);
  const edited = JSON.parse(lines[2]!);
  edited.history.taskId = 't/other';
  assert.throws(() => bufferFromJsonLines([lines[0], lines[1], JSON.stringify(edited)].join('\n'), 'buf.jsonl'), /buf.jsonl:3: key .* does not match its history/);
  const badScore = { ...JSON.parse(lines[1]!), score: 0.9 };
  assert.throws(() => bufferFromJsonLines([lines[0], JSON.stringify(badScore), lines[2]].join('\n'), 'buf.jsonl'), /buf.jsonl:2: \/score: must be <= 0.25/);
  assert.throws(() => bufferFromJsonLines('', 'buf.jsonl'), /empty file/);
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-buffer-'));
  try {
    await writeFile(join(dir, 'x.jsonl'), '{"kind":"something-else"}\n');
    await assert.rejects(loadBuffer(join(dir, 'x.jsonl')), /x.jsonl:1 header: .*missing required field "version"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a whole curriculum state round-trips through a folder, and the resumed run continues identically', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-curriculum-'));
  try {
    const config = curriculumPreset('math', 'exit', { capacity: 8, minSize: 2 });
    const ids = ['a', 'b', 'c', 'd'];
    const state = createCurriculum(config, ids);
    const rng = Rng.fromSeed(2);
    const step = (s: typeof state, r: Rng, i: number): string => {
      const episode = nextStart(s, config, r);
      const trace = [...episode.start.turns.slice(0, -1), { input: [{ role: 'user' as const, content: 'q' }], iterates: [{ response: [{ role: 'assistant' as const, content: `r${i}` }], quality: i % 2, kind: 'initial' as const }] }];
      updateCurriculum(s, config, { episode, traces: [trace], qualities: [i % 3 === 0 ? 1 : 0, 0] });
      return JSON.stringify(episode.start);
    };
    for (let i = 0; i < 12; i++) step(state, rng, i);
    await saveCurriculum(dir, state);
    const resumed = await loadCurriculum(dir);
    assert.deepEqual(resumed, state);
    const rngA = Rng.fromState(rng.state());
    const rngB = Rng.fromState(rng.state());
    for (let i = 12; i < 30; i++) assert.equal(step(resumed, rngB, i), step(state, rngA, i));
    assert.deepEqual(resumed, state);
    // A pair from different saves (the buffer moved on, curriculum.json did not) is refused.
    const stale = await readFile(join(dir, 'curriculum.json'), 'utf8');
    await saveCurriculum(dir, state);
    await writeFile(join(dir, 'curriculum.json'), stale);
    await assert.rejects(loadCurriculum(dir), /buffer\.jsonl \(clock \d+, sampleClock \d+, \d+ entries\) is not the buffer .*curriculum\.json was saved with .*different saves/);
    await writeFile(join(dir, 'curriculum.json'), '{"kind":"exitgym-curriculum","version":1}');
    await assert.rejects(loadCurriculum(dir), /curriculum.json: .*missing required field "base"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
