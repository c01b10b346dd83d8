/**
 * Auto-reset over HTTP on a real server on loopback: a step that ends the episode answers the next
 * episode too (single route and batch), with the documented seed rule, and never loses the step's
 * reward when the reset fails.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkSchema } from '../core/schema.js';
import { NO_OPTIONS } from '../core/schema.js';
import type { Rng } from '../core/rng.js';
import { ValidationError } from '../core/errors.js';
import type { StartState, Turn } from '../core/types.js';
import { baseStart } from '../core/start-state.js';
import { BaseEnv } from '../envs/base.js';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import type { EnvSpec, ResetResult, StepResult } from '../envs/types.js';
import { arithAnswer, arithEntry } from '../test/fixtures/arith-env.js';
import { call as callAt, errorOf, type Reply } from '../test/fixtures/serve.js';
import { startEnvServer, type EnvServer } from './app.js';
import { nextSeed } from './auto-reset.js';
import * as S from './schemas.js';

/** One-step episodes whose observation is a draw from the episode's seeded Rng (so it shows the seed used); task "bad" fails to reset. */
class DrawEnv extends BaseEnv {
  readonly spec: EnvSpec = { id: 'fixture-draw', domain: 'fixture', qualityRange: [0, 1], rewardRange: [0, 1], budgets: { maxSteps: 1 } };
  private draw = 0;
  protected async resetToStart(start: StartState, rng: Rng): Promise<ResetResult> {
    if (start.taskId === 'bad') throw new ValidationError('fixture-draw: task "bad" never resets; use any other id.');
    this.draw = rng.int(1_000_000_000);
    return { observation: [{ role: 'user', content: `${start.taskId} draw ${this.draw}` }], info: {} };
  }
  protected async stepEnv(action: string): Promise<StepResult> {
    const q = action === String(this.draw) ? 1 : 0;
    return { observation: [], reward: q, terminated: true, truncated: false, info: { turn: 0, quality: q } };
  }
  trace(): Turn[] {
    return [];
  }
}

let server: EnvServer;
before(async () => {
  registerEnv(arithEntry('fixture-arith-auto'));
  registerEnv({ id: 'fixture-draw', domain: 'fixture', description: 'one step; the observation is a seeded draw', optionsSchema: NO_OPTIONS, qualityRange: [0, 1], budgets: { default: { maxSteps: 1 } }, create: async () => new DrawEnv() });
  server = await startEnvServer({ port: 0 });
});
after(async () => {
  await server.close();
  unregisterEnv('fixture-arith-auto');
  unregisterEnv('fixture-draw');
});

const call = (method: string, path: string, body?: unknown): Promise<Reply> => callAt(server.url, method, path, body);
const open = async (env: string): Promise<string> => (await call('POST', '/v1/sessions', { env })).json.session as string;
const content = (r: { observation: { content: string }[] }): string => r.observation.map((m) => m.content).join('\n');

function stepConforms(r: Reply): void {
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const c = checkSchema(S.stepResponseSchema, r.json);
  assert.ok(c.ok, c.ok ? '' : c.reason);
}

type Reset = { observation: { content: string }[]; seed: number };

test('a step that ends the episode answers the next one; a step that does not, answers no reset', async () => {
  const id = await open('fixture-arith-auto');
  // arith/4 has two turns: the first step goes on, the second ends the episode and resets.
  await call('POST', `/v1/sessions/${id}/reset`, { start: baseStart('arith/4'), seed: 3 });
  const mid = await call('POST', `/v1/sessions/${id}/step`, { action: String(arithAnswer('arith/4', 0)), autoReset: true });
  stepConforms(mid);
  assert.equal(mid.json.terminated, false);
  assert.equal(mid.json.reset, undefined);
  const end = await call('POST', `/v1/sessions/${id}/step`, { action: String(arithAnswer('arith/4', 1)), autoReset: true });
  stepConforms(end);
  assert.deepEqual([end.json.reward, end.json.terminated], [1, true]);
  const reset = end.json.reset as Reset;
  assert.equal(reset.seed, 4, 'the previous episode’s seed + 1');
  assert.match(content(reset), /Compute/);
  // The session is already in the new episode: its first step is turn 0 again, no reset call needed.
  const again = await call('POST', `/v1/sessions/${id}/step`, { action: String(arithAnswer('arith/4', 0)) });
  stepConforms(again);
  assert.deepEqual([again.json.terminated, (again.json.info as { turn: number }).turn], [false, 0]);
  // {start} switches task; the trace is the new episode's.
  assert.equal((await call('POST', `/v1/sessions/${id}/step`, { action: String(arithAnswer('arith/4', 1)) })).json.reward, 1);
  await call('POST', `/v1/sessions/${id}/reset`, { start: baseStart('arith/3') });
  const switched = await call('POST', `/v1/sessions/${id}/step`, { action: String(arithAnswer('arith/3', 0)), autoReset: { start: baseStart('arith/0') } });
  stepConforms(switched);
  assert.equal((switched.json.reset as Reset).seed, 1, 'a reset without seed counts as seed 0');
  const next = await call('POST', `/v1/sessions/${id}/step`, { action: String(arithAnswer('arith/0', 0)) });
  assert.equal(next.json.reward, 1, 'the auto-reset started arith/0');
  await call('DELETE', `/v1/sessions/${id}`);
});

test('auto-reset seeds are deterministic: the same reset seed and actions replay the same episodes, and equal explicit resets with those seeds', async () => {
  const play = async (): Promise<string[]> => {
    const id = await open('fixture-draw');
    const first = await call('POST', `/v1/sessions/${id}/reset`, { start: baseStart('t'), seed: 41 });
    const seen = [content(first.json as Reset)];
    for (let i = 0; i < 3; i++) {
      const r = await call('POST', `/v1/sessions/${id}/step`, { action: 'x', autoReset: true });
      stepConforms(r);
      assert.equal((r.json.reset as Reset).seed, 42 + i);
      seen.push(content(r.json.reset as Reset));
    }
    await call('DELETE', `/v1/sessions/${id}`);
    return seen;
  };
  const a = await play();
  assert.deepEqual(await play(), a);
  assert.equal(new Set(a).size, 4, 'each episode has its own seed');
  const id = await open('fixture-draw');
  const explicit = await call('POST', `/v1/sessions/${id}/reset`, { start: baseStart('t'), seed: 43 });
  assert.equal(content(explicit.json as Reset), a[2]);
  // An explicit seed wins; the reward of the ended step is the old episode's.
  const draw = (explicit.json as Reset).observation[0]!.content.split(' ').pop() as string;
  const seeded = await call('POST', `/v1/sessions/${id}/step`, { action: draw, autoReset: { seed: 41 } });
  assert.equal(seeded.json.reward, 1);
  assert.equal(content(seeded.json.reset as Reset), a[0]);
  await call('DELETE', `/v1/sessions/${id}`);
  assert.equal(nextSeed(Number.MAX_SAFE_INTEGER), 0);
});

test('a failed auto-reset keeps the step’s reward and says why; a bad start is a 400 before the step runs', async () => {
  const id = await open('fixture-draw');
  const r0 = await call('POST', `/v1/sessions/${id}/reset`, { start: baseStart('t'), seed: 5 });
  const draw = (r0.json as Reset).observation[0]!.content.split(' ').pop() as string;
  const malformed = await call('POST', `/v1/sessions/${id}/step`, { action: draw, autoReset: { start: { taskId: 't' } } });
  assert.equal(malformed.status, 400);
  assert.match(errorOf(malformed).message, /^step body: \/autoReset\/start: missing required field "turns"/);
  const wrongType = await call('POST', `/v1/sessions/${id}/step`, { action: draw, autoReset: 'yes' });
  assert.equal(wrongType.status, 400);
  assert.match(errorOf(wrongType).message, /\/autoReset: must be boolean,object/);
  const unknownField = await call('POST', `/v1/sessions/${id}/step`, { action: draw, autoReset: { seeed: 1 } });
  assert.match(errorOf(unknownField).message, /\/autoReset: unexpected field "seeed"/);
  // An improve start with no iterate is refused by the start-state rules, not only the schema.
  const noIterate = await call('POST', `/v1/sessions/${id}/step`, { action: draw, autoReset: { start: { taskId: 't', turns: [], mode: 'improve', depth: 0 } } });
  assert.equal(noIterate.status, 400);
  assert.match(errorOf(noIterate).message, /step body autoReset: start state/);
  // Nothing ran: the episode is still open and the step scores.
  const failed = await call('POST', `/v1/sessions/${id}/step`, { action: draw, autoReset: { start: baseStart('bad') } });
  stepConforms(failed);
  assert.equal(failed.json.reward, 1);
  assert.equal(failed.json.reset, undefined);
  assert.deepEqual((failed.json.resetError as { code: string }).code, 'validation');
  assert.match((failed.json.resetError as { message: string }).message, /^autoReset: .*task "bad" never resets/);
  const after = await call('POST', `/v1/sessions/${id}/step`, { action: 'x' });
  assert.equal(after.status, 409);
  await call('DELETE', `/v1/sessions/${id}`);
});

test('auto-reset works in POST /v1/batch, and a retried step (requestId) answers the same reset without resetting again', async () => {
  const [a, b] = [await open('fixture-draw'), await open('fixture-draw')];
  const ran = await call('POST', '/v1/batch', {
    ops: [
      { op: 'reset', session: a, start: baseStart('t'), seed: 10 },
      { op: 'step', session: a, action: 'x', autoReset: true, requestId: 'q1' },
      { op: 'step', session: a, action: 'x', autoReset: true, requestId: 'q1' },
      { op: 'step', session: a, action: 'x', autoReset: { seed: 100 } },
      { op: 'reset', session: b, start: baseStart('t') },
      { op: 'step', session: b, action: 'x', autoReset: 7 },
      { op: 'step', session: b, action: 'x', autoReset: false },
    ],
  });
  assert.equal(ran.status, 200);
  const c = checkSchema(S.batchResponseSchema, ran.json);
  assert.ok(c.ok, c.ok ? '' : c.reason);
  const out = ran.json.results as { status: number; result?: Record<string, unknown>; error?: { message: string } }[];
  assert.deepEqual(out.map((r) => r.status), [200, 200, 200, 200, 200, 400, 200]);
  assert.equal((out[1]!.result!.reset as Reset).seed, 11);
  assert.deepEqual(out[2]!.result, out[1]!.result, 'the retry is answered, not run');
  assert.equal((out[3]!.result!.reset as Reset).seed, 100, 'the third step ran on the auto-reset episode');
  assert.match(out[5]!.error!.message, /autoReset/);
  assert.equal(out[6]!.result!.terminated, true);
  assert.equal(out[6]!.result!.reset, undefined, 'autoReset: false is off');
  await call('POST', '/v1/batch', { ops: [{ op: 'delete', session: a }, { op: 'delete', session: b }] });
});

test('the OpenAPI document describes autoReset and the reset it answers', async () => {
  const doc = (await call('GET', '/v1/schema')).json as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> }; responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> }>> };
  const step = doc.paths['/v1/sessions/{id}/step']!.post!;
  assert.ok(step.requestBody.content['application/json']!.schema.properties.autoReset);
  assert.ok(step.responses['200']!.content['application/json']!.schema.properties.reset);
});
