/**
 * 512 concurrent sessions on loopback with valid and invalid requests mixed: no 5xx, every
 * invalid request a 4xx with a message, every valid one right. Bounded: one episode per session.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Rng } from '../../core/rng.js';
import { registerEnv, unregisterEnv } from '../../envs/registry.js';
import { baseStart } from '../../core/start-state.js';
import { startEnvServer, type EnvServer } from '../../server/app.js';
import { arithAnswer, arithEntry, arithTask } from '../fixtures/arith-env.js';
import { call, errorOf, type Reply } from '../fixtures/serve.js';

const ENV = 'fixture-arith-load';
const SESSIONS = 512;
let server: EnvServer;

before(async () => {
  registerEnv(arithEntry(ENV));
  server = await startEnvServer({ port: 0, maxSessions: SESSIONS + 16, maxBodyBytes: 64 * 1024 });
});
after(async () => {
  await server.close();
  unregisterEnv(ENV);
});

type Check = (r: Reply) => void;
const invalid =
  (status: number, why: RegExp): Check =>
  (r) => {
    assert.equal(r.status, status, JSON.stringify(r.json));
    assert.match(errorOf(r).message, why);
  };

/** One client: a session, invalid requests in a seeded order around one valid episode. */
async function client(i: number): Promise<number> {
  const rng = Rng.fromSeed(i);
  const created = await call(server.url, 'POST', '/v1/sessions', { env: ENV });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.session as string;
  const taskId = `arith/${i % 24}`;
  const bad: [string, string, unknown, Check][] = [
    ['POST', `/v1/sessions/${id}/step`, { action: '1' }, invalid(409, /call reset\(start\) first/)],
    ['POST', `/v1/sessions/${id}/reset`, { start: { taskId, turns: 'x', mode: 'base', depth: 0 } }, invalid(400, /turns/)],
    ['POST', `/v1/sessions/${id}/step`, '{"action": ', invalid(400, /not valid JSON/)],
    ['POST', `/v1/sessions/${id}/step`, { action: 'x'.repeat(70 * 1024) }, invalid(413, /over the server's limit/)],
    ['POST', '/v1/sessions/not-a-session/step', { action: '1' }, invalid(404, /no session/)],
    ['POST', '/v1/sessions', { env: ENV, options: { python: '/bin/sh' } }, invalid(400, /not accepted over HTTP/)],
    ['POST', `/v1/sessions/${id}/step`, `{"action": ${'['.repeat(5000)}${']'.repeat(5000)}}`, invalid(400, /nests deeper/)],
    ['GET', `/v1/sessions/${id}/nothing`, undefined, invalid(404, /no route/)],
  ];
  const order = rng.shuffle(bad.map((_, k) => k));
  let requests = 1;
  // Invalid requests before the episode (step-before-reset must come first).
  for (const k of order.slice(0, 4)) {
    const [method, path, body, check] = bad[k] as (typeof bad)[number];
    check(await call(server.url, method, path, body));
    requests++;
  }
  const reset = await call(server.url, 'POST', `/v1/sessions/${id}/reset`, { start: baseStart(taskId), seed: i });
  assert.equal(reset.status, 200);
  requests++;
  const turns = arithTask(taskId).pairs.length;
  let last: Reply | undefined;
  for (let t = 0; t < turns; t++) {
    // Client i answers turn t right unless (i + t) % 3 == 0.
    const right = (i + t) % 3 !== 0;
    last = await call(server.url, 'POST', `/v1/sessions/${id}/step`, { action: `= ${arithAnswer(taskId, t) + (right ? 0 : 1)}`, requestId: `${i}-${t}` });
    assert.equal(last.status, 200, JSON.stringify(last.json));
    requests++;
  }
  let rightTurns = 0;
  for (let t = 0; t < turns; t++) if ((i + t) % 3 !== 0) rightTurns++;
  assert.equal(last?.json.terminated, true);
  assert.equal(last?.json.reward, rightTurns / turns);
  for (const k of order.slice(4)) {
    const [method, path, body, check] = bad[k] as (typeof bad)[number];
    // After the episode, step-before-reset reads as step-after-end.
    const r = await call(server.url, method, path, body);
    if (k === 0) invalid(409, /after the episode ended/)(r);
    else check(r);
    requests++;
  }
  assert.equal((await call(server.url, 'DELETE', `/v1/sessions/${id}`)).status, 200);
  return requests + 1;
}

test(`${SESSIONS} concurrent sessions, valid and invalid requests mixed: no 5xx, every answer right`, async (t) => {
  const t0 = Date.now();
  const counts = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => client(i)));
  const total = counts.reduce((a, b) => a + b, 0);
  t.diagnostic(`${total} requests from ${SESSIONS} sessions in ${Date.now() - t0} ms (under load)`);
  assert.equal(server.sessions.size, 0);
});
