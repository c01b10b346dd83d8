/** The rollouts route against a real OpenAI-compatible server on loopback. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkSchema } from '../core/schema.js';
import { learnability } from '../curriculum/learnability.js';
import { makeEnv, registerEnv, unregisterEnv } from '../envs/registry.js';
import { baseStart } from '../core/start-state.js';
import { EnvPool, runGroup } from '../rollout/group.js';
import { OpenAIPolicyClient } from '../rollout/openai-client.js';
import { arithEntry } from '../test/fixtures/arith-env.js';
import { startChatServer, type ChatServer } from '../test/fixtures/chat-server.js';
import { call, errorOf } from '../test/fixtures/serve.js';
import { startEnvServer, type EnvServer } from './app.js';
import { rolloutsResponseSchema } from './schemas.js';

const ENV = 'fixture-arith-rollouts';
let server: EnvServer;
let chat: ChatServer;

/** Right when the call's seed is even, off by one when odd (member seeds are forks, so members differ). */
function answer(messages: { content: string }[], seed?: number): string {
  const asks = [...messages.map((m) => m.content).join('\n').matchAll(/Compute (\d+) \+ (\d+)/g)];
  const last = asks[asks.length - 1];
  const sum = last ? Number(last[1]) + Number(last[2]) : 0;
  return `The answer is ${sum + ((seed ?? 0) % 2)}`;
}

before(async () => {
  registerEnv(arithEntry(ENV));
  server = await startEnvServer({ port: 0 });
  chat = await startChatServer(answer);
});
after(async () => {
  await server.close();
  await chat.close();
  unregisterEnv(ENV);
});

test('G episodes from a start: the rewards and traces runGroup gives in-process, with logprobs', async () => {
  const start = baseStart('arith/2');
  const r = await call(server.url, 'POST', '/v1/rollouts', { env: ENV, start, groupSize: 4, seed: 0, logprobs: true, endpoint: { baseURL: chat.baseURL, model: 'scripted-model' } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const check = checkSchema(rolloutsResponseSchema, r.json);
  assert.ok(check.ok, check.ok ? '' : check.reason);
  const episodes = r.json.episodes as { return: number; quality: number; trace: unknown; steps: { logprobs?: number[] }[] }[];
  const pool = new EnvPool(() => makeEnv(ENV));
  const local = await runGroup(pool, new OpenAIPolicyClient({ baseURL: chat.baseURL, model: 'scripted-model' }), start, 4, { seed: 0 });
  await pool.close();
  assert.deepEqual(episodes.map((e) => e.return), local.map((e) => e.return));
  assert.deepEqual(episodes.map((e) => e.trace), local.map((e) => e.trace));
  assert.ok(new Set(episodes.map((e) => e.quality)).size > 1, 'the group is mixed');
  assert.deepEqual(episodes[0]!.steps[0]!.logprobs, [-0.5]);
});

test('from a curriculum: the group is drawn, played and reported', async () => {
  assert.equal((await call(server.url, 'POST', '/v1/curricula', { id: 'roll', env: ENV, domain: 'math', overrides: { capacity: 8, minSize: 1 }, seed: 1 })).status, 201);
  const r = await call(server.url, 'POST', '/v1/rollouts', { curriculum: 'roll', groupSize: 4, seed: 0, endpoint: { baseURL: chat.baseURL, model: 'scripted-model' } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const qualities = (r.json.episodes as { quality: number | null }[]).map((e) => e.quality);
  assert.equal(r.json.score, learnability(qualities));
  const metrics = (await call(server.url, 'GET', '/v1/curricula/roll/metrics')).json.metrics as Record<string, number>;
  assert.equal(metrics['curriculum/groups_completed'], 1);
  assert.ok(metrics['curriculum/buffer_size']! >= 1);
});

test('an unreachable endpoint is an infrastructure failure per episode (null quality), not a crash', async () => {
  const r = await call(server.url, 'POST', '/v1/rollouts', { env: ENV, start: baseStart('arith/0'), groupSize: 2, endpoint: { baseURL: 'http://127.0.0.1:1/v1', model: 'm', timeoutSeconds: 2 } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const episodes = r.json.episodes as { quality: number | null; failure?: { error: string } }[];
  assert.deepEqual(episodes.map((e) => e.quality), [null, null]);
  assert.match(episodes[0]!.failure!.error, /cannot reach the model endpoint/);
  const bad = await call(server.url, 'POST', '/v1/rollouts', { env: ENV, curriculum: 'roll', groupSize: 2, endpoint: { baseURL: chat.baseURL, model: 'm' } });
  assert.equal(bad.status, 400);
  assert.match(errorOf(bad).message, /POST \/v1\/rollouts body/);
});
