import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { baseStart } from '../core/start-state.js';
import { arithAnswer, arithEntry } from '../test/fixtures/arith-env.js';
import { startEnvServer, type EnvServer } from './app.js';

let server: EnvServer;
before(async () => {
  registerEnv(arithEntry('fixture-arith-http'));
  server = await startEnvServer({ port: 0 });
});
after(async () => {
  await server.close();
  unregisterEnv('fixture-arith-http');
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('a client runs a base episode and an improve episode over HTTP', async () => {
  const created = await call('POST', '/v1/sessions', { env: 'fixture-arith-http' });
  assert.equal(created.status, 201);
  const id = created.json.session as string;
  const reset = await call('POST', `/v1/sessions/${id}/reset`, { start: baseStart('arith/3'), seed: 1 });
  assert.equal(reset.status, 200);
  assert.match(JSON.stringify(reset.json.observation), /Compute/);
  const step = await call('POST', `/v1/sessions/${id}/step`, { action: 'I think 3' });
  assert.deepEqual([step.json.reward, step.json.terminated], [0, true]);
  const trace = (await call('GET', `/v1/sessions/${id}/trace`)).json.turns;
  const improve = await call('POST', `/v1/sessions/${id}/reset`, { start: { taskId: 'arith/3', turns: trace, mode: 'improve', depth: 1 } });
  assert.match(JSON.stringify(improve.json.observation), /Improve your current response/);
  const fixed = await call('POST', `/v1/sessions/${id}/step`, { action: String(arithAnswer('arith/3', 0)) });
  assert.equal(fixed.json.reward, 1);
  assert.equal((await call('DELETE', `/v1/sessions/${id}`)).status, 200);
  assert.equal(server.sessions.size, 0);
});

test('errors are JSON with a code, a status and a message that says what to do', async () => {
  const unknown = await call('POST', '/v1/sessions', { env: 'nope' });
  assert.equal(unknown.status, 404);
  assert.equal((unknown.json.error as { code: string }).code, 'unknown_id');
  const bad = await call('POST', '/v1/sessions', { envv: 'x' });
  assert.equal(bad.status, 400);
  assert.match((bad.json.error as { message: string }).message, /POST \/v1\/sessions body: \(root\): missing required field "env"/);
  const id = (await call('POST', '/v1/sessions', { env: 'fixture-arith-http' })).json.session as string;
  const early = await call('POST', `/v1/sessions/${id}/step`, { action: '1' });
  assert.equal(early.status, 409);
  assert.match((early.json.error as { message: string }).message, /call reset\(start\) first/);
  const badStart = await call('POST', `/v1/sessions/${id}/reset`, { start: { taskId: 'arith/0', turns: [], mode: 'improve', depth: 0 } });
  assert.equal(badStart.status, 400);
  const gone = await call('POST', '/v1/sessions/does-not-exist/step', { action: '1' });
  assert.equal(gone.status, 404);
  assert.match((gone.json.error as { message: string }).message, /no session "does-not-exist"/);
  const listed = await call('GET', '/v1/envs');
  assert.ok((listed.json.envs as { id: string }[]).some((e) => e.id === 'fixture-arith-http'));
});
