/**
 * The curriculum service over HTTP against the in-process curriculum: the same seed, the same
 * groups in the same order give the same starts and the same buffer, whether the server gets
 * whole groups or one sample at a time; a save restores every curriculum exactly.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Rng } from '../core/rng.js';
import type { StartState, Trace } from '../core/types.js';
import { curriculumPreset } from '../curriculum/config.js';
import { createCurriculum, nextStart, type CurriculumState } from '../curriculum/episode-start.js';
import { updateCurriculum } from '../curriculum/expansion.js';
import { makeEnv, registerEnv, unregisterEnv } from '../envs/registry.js';
import { arithAnswer, arithEntry, arithTaskIds } from '../test/fixtures/arith-env.js';
import { call, errorOf } from '../test/fixtures/serve.js';
import { startEnvServer, type EnvServer } from './app.js';
import { checkSchema } from '../core/schema.js';
import { nextResponseSchema, reportResponseSchema } from './schemas.js';

const ENV = 'fixture-arith-curriculum';
const OVERRIDES = { capacity: 12, minSize: 2, replayProb: 0.6, divergeProb: 0.3 };
const G = 4;
let dir: string;

before(async () => {
  registerEnv(arithEntry(ENV));
  dir = await mkdtemp(join(tmpdir(), 'exitgym-curricula-'));
});
after(async () => {
  unregisterEnv(ENV);
  await rm(dir, { recursive: true, force: true });
});

/** A scripted rollout: sample `j` answers each turn right with probability 1/2 (seeded), so groups differ. */
async function play(start: StartState, seed: number): Promise<{ trace: Trace; quality: number }> {
  const env = await makeEnv(ENV);
  const rng = Rng.fromSeed(seed);
  let turn = (await env.reset(structuredClone(start))).info.turn as number;
  for (;;) {
    const right = rng.next() < 0.5;
    const r = await env.step(`so ${arithAnswer(start.taskId, turn) + (right ? 0 : 1)}`);
    if (r.terminated || r.truncated) return { trace: env.trace(), quality: r.info.quality as number };
    turn = r.info.turn + 1;
  }
}

interface Mirror {
  state: CurriculumState;
  rng: Rng;
}
const config = curriculumPreset('math', 'exit', OVERRIDES);
const mirror = (seed: number): Mirror => ({ state: createCurriculum(config, arithTaskIds), rng: Rng.fromSeed(seed) });

async function create(server: EnvServer, id: string, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await call(server.url, 'POST', '/v1/curricula', { id, env: ENV, domain: 'math', strategy: 'exit', overrides: OVERRIDES, seed: 7, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.json));
}

/** Runs `groups` groups through the server (per-sample reports, each of the G samples asking next with the group's uid) and the mirror. */
async function drive(server: EnvServer, id: string, m: Mirror, groups: number, from: number): Promise<void> {
  for (let k = from; k < from + groups; k++) {
    const uid = `uid-${k}`;
    // verl calls once per sample with a shared uid: all G get the same start.
    const items = await Promise.all(Array.from({ length: G }, () => call(server.url, 'POST', `/v1/curricula/${id}/next`, { groupKeys: [uid] })));
    for (const r of items) assert.ok(checkSchema(nextResponseSchema, r.json).ok);
    const starts = items.map((r) => (r.json.starts as { group: string; start: StartState; observation: unknown[] }[])[0]!);
    assert.equal(new Set(starts.map((s) => s.group)).size, 1, 'one group per uid');
    const episode = nextStart(m.state, config, m.rng);
    assert.deepEqual(starts[0]!.start, episode.start, `group ${k}: the server drew another start`);
    assert.ok(starts[0]!.observation.length > 0);
    const samples = await Promise.all(Array.from({ length: G }, (_, j) => play(episode.start, k * 100 + j)));
    for (const [j, s] of samples.entries()) {
      const r = await call(server.url, 'POST', `/v1/curricula/${id}/report`, { group: starts[0]!.group, sample: { id: `${uid}/${j}`, quality: s.quality, trace: s.trace }, groupSize: G });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.ok(checkSchema(reportResponseSchema, r.json).ok);
      assert.equal(r.json.complete, j === G - 1);
    }
    updateCurriculum(m.state, config, { episode, traces: samples.map((s) => s.trace), qualities: samples.map((s) => s.quality) });
  }
}

test('next/report one sample at a time ends with the in-process buffer; a save restores it exactly', async () => {
  let server = await startEnvServer({ port: 0, stateDir: dir, autosaveSeconds: 0 });
  const m = mirror(7);
  await create(server, 'c1');
  await drive(server, 'c1', m, 14, 0);
  assert.ok(m.state.buffer.entries.length > 2, 'the run filled the buffer');
  assert.deepEqual(server.curricula.get('c1').state, m.state);
  const metrics = (await call(server.url, 'GET', '/v1/curricula/c1/metrics')).json.metrics as Record<string, number>;
  assert.equal(metrics['curriculum/buffer_size'], m.state.buffer.entries.length);
  assert.equal(metrics['curriculum/groups_completed'], 14);
  assert.ok(metrics['curriculum/replays']! > 0, 'some starts were replays');

  // A group left open across the restart comes back too.
  const open = (await call(server.url, 'POST', '/v1/curricula/c1/next', { groupKeys: ['open-uid'] })).json.starts as { group: string; start: StartState }[];
  const openEpisode = nextStart(m.state, config, m.rng);
  assert.deepEqual(open[0]!.start, openEpisode.start);
  assert.equal((await call(server.url, 'POST', '/v1/curricula/c1/save')).status, 200);
  await server.close();

  server = await startEnvServer({ port: 0, stateDir: dir, autosaveSeconds: 0 });
  try {
    assert.deepEqual(server.curricula.get('c1').state, m.state);
    const again = (await call(server.url, 'POST', '/v1/curricula/c1/next', { groupKeys: ['open-uid'] })).json.starts as { group: string }[];
    assert.equal(again[0]!.group, open[0]!.group, 'the open group survived the restart');
    // The restored RNG draws what the uninterrupted one draws.
    await drive(server, 'c1', m, 4, 100);
    assert.deepEqual(server.curricula.get('c1').state, m.state);
  } finally {
    await server.close();
  }
});

test('whole-group reports match the in-process curriculum; retries and wrong reports get clear answers', async () => {
  const server = await startEnvServer({ port: 0 });
  try {
    await create(server, 'whole');
    const m = mirror(7);
    for (let k = 0; k < 6; k++) {
      const r = await call(server.url, 'POST', '/v1/curricula/whole/next', { n: 1 });
      const item = (r.json.starts as { group: string; start: StartState }[])[0]!;
      const episode = nextStart(m.state, config, m.rng);
      assert.deepEqual(item.start, episode.start);
      const samples = await Promise.all(Array.from({ length: G }, (_, j) => play(episode.start, k * 100 + j)));
      const rep = await call(server.url, 'POST', '/v1/curricula/whole/report', { group: item.group, qualities: samples.map((s) => s.quality), traces: samples.map((s) => s.trace) });
      assert.equal(rep.status, 200, JSON.stringify(rep.json));
      updateCurriculum(m.state, config, { episode, traces: samples.map((s) => s.trace), qualities: samples.map((s) => s.quality) });
      if (k === 0) {
        const twice = await call(server.url, 'POST', '/v1/curricula/whole/report', { group: item.group, qualities: [1, 0] });
        assert.equal(twice.status, 409);
        assert.match(errorOf(twice).message, /already reported/);
      }
    }
    assert.deepEqual(server.curricula.get('whole').state, m.state);

    const item = ((await call(server.url, 'POST', '/v1/curricula/whole/next', { groupKeys: ['k'] })).json.starts as { group: string }[])[0]!;
    const sample = { group: item.group, sample: { id: 's0', quality: 1, trace: null }, groupSize: 2 };
    assert.equal((await call(server.url, 'POST', '/v1/curricula/whole/report', sample)).json.received, 1);
    assert.equal((await call(server.url, 'POST', '/v1/curricula/whole/report', sample)).json.received, 1, 'a retried sample is not counted twice');
    const size = await call(server.url, 'POST', '/v1/curricula/whole/report', { ...sample, sample: { id: 's1', quality: 0 }, groupSize: 3 });
    assert.equal(size.status, 409);
    assert.match(errorOf(size).message, /groupSize 3, earlier reports said 2/);
    const unknown = await call(server.url, 'POST', '/v1/curricula/whole/report', { group: 'nope', qualities: [1] });
    assert.equal(unknown.status, 404);
    assert.equal((await call(server.url, 'POST', '/v1/curricula/nope/next', {})).status, 404);
    const dup = await call(server.url, 'POST', '/v1/curricula', { id: 'whole', env: ENV, domain: 'math' });
    assert.equal(dup.status, 409);
    const noDomain = await call(server.url, 'POST', '/v1/curricula', { env: ENV });
    assert.equal(noDomain.status, 400);
    assert.match(errorOf(noDomain).message, /pass "domain"/);
    const save = await call(server.url, 'POST', '/v1/curricula/whole/save');
    assert.equal(save.status, 409);
    assert.match(errorOf(save).message, /--state-dir/);
  } finally {
    await server.close();
  }
});

test('a lost sample cannot block a group: at lease expiry it is scored with what arrived', async () => {
  const server = await startEnvServer({ port: 0 });
  try {
    await create(server, 'lease', { leaseSeconds: 0.3 });
    const item = ((await call(server.url, 'POST', '/v1/curricula/lease/next', { groupKeys: ['u'] })).json.starts as { group: string; start: StartState }[])[0]!;
    const a = await play(item.start, 1);
    const b = await play(item.start, 2);
    for (const [j, s] of [a, b].entries()) {
      await call(server.url, 'POST', '/v1/curricula/lease/report', { group: item.group, sample: { id: `s${j}`, quality: j, trace: s.trace }, groupSize: 3 });
    }
    await new Promise((r) => setTimeout(r, 1600));
    const metrics = (await call(server.url, 'GET', '/v1/curricula/lease/metrics')).json.metrics as Record<string, number>;
    assert.equal(metrics['curriculum/groups_expired'], 1);
    assert.equal(metrics['curriculum/open_groups'], 0);
    // Qualities 0 and 1 (the third lost): learnability 0.25, so the start's histories are in the buffer.
    assert.ok(metrics['curriculum/buffer_size']! > 0);
    assert.equal(metrics['curriculum/score_max'], 0.25);
    const late = await call(server.url, 'POST', '/v1/curricula/lease/report', { group: item.group, sample: { id: 's2', quality: 1 }, groupSize: 3 });
    assert.equal(late.status, 410);
    assert.match(errorOf(late).message, /lease expired/);
  } finally {
    await server.close();
  }
});
