import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Schema } from 'ajv';
import { checkSchema } from '../core/schema.js';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { baseStart } from '../core/start-state.js';
import { arithAnswer, arithEntry } from '../test/fixtures/arith-env.js';
import { call as callAt, errorOf, type Reply } from '../test/fixtures/serve.js';
import { startEnvServer, type EnvServer } from './app.js';
import { ROUTES } from './routes.js';
import * as S from './schemas.js';

let server: EnvServer;
before(async () => {
  registerEnv(arithEntry('fixture-arith-http'));
  server = await startEnvServer({ port: 0 });
});
after(async () => {
  await server.close();
  unregisterEnv('fixture-arith-http');
});

const call = (method: string, path: string, body?: unknown): Promise<Reply> => callAt(server.url, method, path, body);

/** Asserts a reply has the status and matches its schema (the error schema for errors). */
function conforms(r: Reply, status: number, schema: Schema): void {
  assert.equal(r.status, status, JSON.stringify(r.json));
  const c = checkSchema(r.status >= 400 ? S.errorSchema : schema, r.json);
  assert.ok(c.ok, c.ok ? '' : c.reason);
}

test('a client runs a base episode and an improve episode over HTTP; every response matches its schema', async () => {
  const created = await call('POST', '/v1/sessions', { env: 'fixture-arith-http' });
  conforms(created, 201, S.createSessionResponseSchema);
  const id = created.json.session as string;
  const reset = await call('POST', `/v1/sessions/${id}/reset`, { start: baseStart('arith/3'), seed: 1 });
  conforms(reset, 200, S.resetResponseSchema);
  assert.match(JSON.stringify(reset.json.observation), /Compute/);
  const step = await call('POST', `/v1/sessions/${id}/step`, { action: 'I think 3' });
  conforms(step, 200, S.stepResponseSchema);
  assert.deepEqual([step.json.reward, step.json.terminated], [0, true]);
  const traced = await call('GET', `/v1/sessions/${id}/trace`);
  conforms(traced, 200, S.traceResponseSchema);
  const improve = await call('POST', `/v1/sessions/${id}/reset`, { start: { taskId: 'arith/3', turns: traced.json.turns, mode: 'improve', depth: 1 } });
  assert.match(JSON.stringify(improve.json.observation), /Improve your current response/);
  const fixed = await call('POST', `/v1/sessions/${id}/step`, { action: String(arithAnswer('arith/3', 0)) });
  assert.equal(fixed.json.reward, 1);
  conforms(await call('DELETE', `/v1/sessions/${id}`), 200, S.deleteResponseSchema);
  assert.equal(server.sessions.size, 0);
});

test('errors are JSON with a code, a status and a message that says what to do', async () => {
  const unknown = await call('POST', '/v1/sessions', { env: 'nope' });
  conforms(unknown, 404, S.errorSchema);
  assert.equal(errorOf(unknown).code, 'unknown_id');
  const bad = await call('POST', '/v1/sessions', { envv: 'x' });
  conforms(bad, 400, S.errorSchema);
  assert.match(errorOf(bad).message, /POST \/v1\/sessions body: \(root\): missing required field "env"/);
  const id = (await call('POST', '/v1/sessions', { env: 'fixture-arith-http' })).json.session as string;
  const early = await call('POST', `/v1/sessions/${id}/step`, { action: '1' });
  conforms(early, 409, S.errorSchema);
  assert.match(errorOf(early).message, /call reset\(start\) first/);
  const badStart = await call('POST', `/v1/sessions/${id}/reset`, { start: { taskId: 'arith/0', turns: [], mode: 'improve', depth: 0 } });
  assert.equal(badStart.status, 400);
  const gone = await call('POST', '/v1/sessions/does-not-exist/step', { action: '1' });
  assert.equal(gone.status, 404);
  assert.match(errorOf(gone).message, /no session "does-not-exist"/);
  const both = await call('POST', `/v1/sessions/${id}/step`, { action: '1', tool_calls: [] });
  assert.equal(both.status, 400);
  const toolsOnArith = await call('POST', `/v1/sessions/${id}/step`, { tool_calls: [{ function: { name: 'f', arguments: '{}' } }] });
  assert.equal(toolsOnArith.status, 400);
  assert.match(errorOf(toolsOnArith).message, /BFCL sessions only/);
  const route = await call('GET', '/v2/nothing');
  assert.equal(route.status, 404);
  assert.match(errorOf(route).message, /GET \/v1\/schema lists the routes/);
  const notJson = await call('POST', '/v1/sessions', '{"env": ');
  assert.equal(notJson.status, 400);
  assert.match(errorOf(notJson).message, /not valid JSON/);
  const listed = await call('GET', '/v1/envs');
  assert.ok((listed.json.envs as { id: string }[]).some((e) => e.id === 'fixture-arith-http'));
  await call('DELETE', `/v1/sessions/${id}`);
});

test('GET /v1/schema is an OpenAPI document naming every route with its schemas', async () => {
  const r = await call('GET', '/v1/schema');
  assert.equal(r.status, 200);
  assert.equal(r.json.openapi, '3.1.0');
  const paths = r.json.paths as Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
  for (const route of ROUTES) {
    const op = paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
    assert.ok(op, `${route.method} ${route.path} missing`);
    assert.ok(op.responses['200'] ?? op.responses['201']);
    assert.equal(op.requestBody !== undefined, route.body !== undefined);
  }
});

test('a retried step with the same requestId is answered, not replayed', async () => {
  const id = (await call('POST', '/v1/sessions', { env: 'fixture-arith-http' })).json.session as string;
  await call('POST', `/v1/sessions/${id}/reset`, { start: baseStart('arith/4') });
  const action = `${arithAnswer('arith/4', 0)}`;
  const first = await call('POST', `/v1/sessions/${id}/step`, { action, requestId: 'r1' });
  const retry = await call('POST', `/v1/sessions/${id}/step`, { action, requestId: 'r1' });
  assert.deepEqual(retry.json, first.json);
  // Without the id the same action is a second step (turn 1, not turn 0 again).
  const second = await call('POST', `/v1/sessions/${id}/step`, { action: '0', requestId: 'r2' });
  assert.equal((second.json.info as { turn: number }).turn, 1);
  const turns = (await call('GET', `/v1/sessions/${id}/trace`)).json.turns as { iterates: unknown[] }[];
  assert.equal(turns[0]?.iterates.length, 1, 'the retried step ran once');
  await call('DELETE', `/v1/sessions/${id}`);
});

test('a batch carries many operations; each gets its own status and result or error', async () => {
  const created = await call('POST', '/v1/batch', { ops: [{ op: 'create', env: 'fixture-arith-http' }, { op: 'create', env: 'fixture-arith-http' }, { op: 'create', env: 'nope' }] });
  conforms(created, 200, S.batchResponseSchema);
  const results = created.json.results as { status: number; result?: { session: string }; error?: { code: string } }[];
  assert.deepEqual(results.map((r) => r.status), [201, 201, 404]);
  const [a, b] = [results[0]!.result!.session, results[1]!.result!.session];
  const ran = await call('POST', '/v1/batch', {
    ops: [
      { op: 'reset', session: a, start: baseStart('arith/0') },
      { op: 'step', session: a, action: `${arithAnswer('arith/0', 0)}` },
      { op: 'reset', session: b, start: baseStart('arith/0') },
      { op: 'step', session: b, action: 'no idea' },
      { op: 'step', session: b, action: 'again' },
      { op: 'trace', session: a },
      { op: 'step', action: 'x' },
      { op: 'jump', session: a },
      { op: 'delete', session: a },
      { op: 'delete', session: b },
    ],
  });
  conforms(ran, 200, S.batchResponseSchema);
  const out = ran.json.results as { status: number; result?: Record<string, unknown>; error?: { code: string; message: string } }[];
  assert.deepEqual(out.map((r) => r.status), [200, 200, 200, 200, 409, 200, 400, 400, 200, 200]);
  assert.equal(out[1]!.result!.reward, 1);
  assert.equal(out[3]!.result!.reward, 0);
  assert.match(out[4]!.error!.message, /after the episode ended/);
  assert.match(out[6]!.error!.message, /ops\[6\]: "step" needs "session"/);
  assert.match(out[7]!.error!.message, /ops\[7\]: \/op: must be one of/);
  const empty = await call('POST', '/v1/batch', { ops: [] });
  assert.equal(empty.status, 400);
});
