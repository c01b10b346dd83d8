/**
 * Env worker threads (`exitgym serve --env-workers N`): a session served from a worker thread
 * answers exactly what an in-process one does, errors keep their status, envs registered at run
 * time still run (in process), and a worker that dies fails its sessions with 503, never a reward.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { ExitgymError } from '../core/errors.js';
import { baseStart } from '../core/start-state.js';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { arithEntry } from '../test/fixtures/arith-env.js';
import { call, errorOf } from '../test/fixtures/serve.js';
import { startEnvServer, type EnvServer } from './app.js';
import { EnvWorkerPool } from './env-workers.js';
import { errorReply } from './errors.js';

// Workers copy the environment when they start: the math fixture split must be named before.
process.env.EXITGYM_DATA_DIR = new URL('../test/fixtures/math/data', import.meta.url).pathname;

let inProcess: EnvServer;
let threaded: EnvServer;
before(async () => {
  registerEnv(arithEntry('fixture-arith-workers'));
  inProcess = await startEnvServer({ port: 0 });
  threaded = await startEnvServer({ port: 0, envWorkers: 2 });
});
after(async () => {
  await Promise.all([inProcess.close(), threaded.close()]);
  unregisterEnv('fixture-arith-workers');
});

/** Plays one episode: create, reset, the actions (auto-resetting after the last), trace, delete; every answer. */
async function play(url: string, env: string, options: Record<string, unknown>, taskId: string, seed: number, actions: string[]): Promise<unknown[]> {
  const created = await call(url, 'POST', '/v1/sessions', { env, options });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.session as string;
  const answers: unknown[] = [created.json.spec];
  const reset = await call(url, 'POST', `/v1/sessions/${id}/reset`, { start: baseStart(taskId), seed });
  answers.push(reset.status, reset.json);
  for (const [i, action] of actions.entries()) {
    const r = await call(url, 'POST', `/v1/sessions/${id}/step`, { action, ...(i === actions.length - 1 ? { autoReset: true } : {}) });
    answers.push(r.status, r.json);
  }
  const trace = await call(url, 'GET', `/v1/sessions/${id}/trace`);
  answers.push(trace.status, trace.json);
  answers.push((await call(url, 'DELETE', `/v1/sessions/${id}`)).status);
  return answers;
}

test('sessions on worker threads answer exactly what in-process sessions answer (math, and a run-time env in process)', async () => {
  assert.equal(threaded.envWorkers, 2);
  assert.equal(inProcess.envWorkers, 0);
  const episodes: [string, Record<string, unknown>, string, number, string[]][] = [
    ['math', { split: 'math500' }, 'math500/1', 0, ['So the point is $\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}$.']],
    ['math', { split: 'math500' }, 'math500/1', 3, ['I think it is \\boxed{(3, \\pi)}']],
    ['math', { split: 'math500' }, 'math500/0', 1, ['no idea']],
    ['fixture-arith-workers', {}, 'arith/2', 1, ['1', '2', '3']],
  ];
  for (const [env, options, taskId, seed, actions] of episodes) {
    const [a, b] = await Promise.all([play(inProcess.url, env, options, taskId, seed, actions), play(threaded.url, env, options, taskId, seed, actions)]);
    assert.deepEqual(b, a, `${env} ${taskId}`);
  }
});

test('errors from a worker keep their status and message: step before reset 409, an unknown task 4xx, a bad option 400', async () => {
  const id = (await call(threaded.url, 'POST', '/v1/sessions', { env: 'math', options: { split: 'math500' } })).json.session as string;
  const early = await call(threaded.url, 'POST', `/v1/sessions/${id}/step`, { action: '1' });
  assert.equal(early.status, 409);
  assert.equal(errorOf(early).code, 'reset_needed');
  const ref = (await call(inProcess.url, 'POST', '/v1/sessions', { env: 'math', options: { split: 'math500' } })).json.session as string;
  const unknownThreaded = await call(threaded.url, 'POST', `/v1/sessions/${id}/reset`, { start: baseStart('math500/999999') });
  const unknownInProcess = await call(inProcess.url, 'POST', `/v1/sessions/${ref}/reset`, { start: baseStart('math500/999999') });
  assert.deepEqual([unknownThreaded.status, unknownThreaded.json], [unknownInProcess.status, unknownInProcess.json]);
  assert.ok(unknownThreaded.status >= 400 && unknownThreaded.status < 500);
  const badSplit = await call(threaded.url, 'POST', '/v1/sessions', { env: 'math', options: { split: 'nope' } });
  assert.equal(badSplit.status, 400);
  await call(threaded.url, 'DELETE', `/v1/sessions/${id}`);
  await call(inProcess.url, 'DELETE', `/v1/sessions/${ref}`);
});

test('a worker that dies fails its sessions with a sandbox error (503 over HTTP), and new sessions get a new worker', async () => {
  const pool = await EnvWorkerPool.start(1);
  try {
    const env = await pool.makeEnv('math', { split: 'math500' });
    await env.reset(baseStart('math500/1'), { seed: 0 });
    const worker = (pool as unknown as { slots: { worker: Worker }[] }).slots[0]?.worker as Worker;
    await worker.terminate();
    const failure = await env.step('\\boxed{1}').then(
      () => assert.fail('a step on a dead worker answered'),
      (e: unknown) => e,
    );
    assert.ok(failure instanceof ExitgymError && failure.code === 'sandbox' && /create a new session/.test(failure.message), String(failure));
    assert.equal(errorReply(failure).status, 503);
    const fresh = await pool.makeEnv('math', { split: 'math500' });
    const r = await fresh.reset(baseStart('math500/1'), { seed: 0 });
    assert.ok(r.observation.length > 0);
    await env.close();
    await fresh.close();
  } finally {
    await pool.close();
  }
});

test('128 concurrent math sessions over 2 workers, valid and invalid requests mixed: no 5xx, every answer right', async () => {
  const results = await Promise.all(
    Array.from({ length: 128 }, async (_, i) => {
      const created = await call(threaded.url, 'POST', '/v1/sessions', { env: 'math', options: { split: 'math500' } });
      assert.equal(created.status, 201);
      const id = created.json.session as string;
      const early = await call(threaded.url, 'POST', `/v1/sessions/${id}/step`, { action: '1' });
      assert.equal(early.status, 409);
      assert.equal((await call(threaded.url, 'POST', `/v1/sessions/${id}/reset`, { start: baseStart('math500/1'), seed: i })).status, 200);
      const malformed = await call(threaded.url, 'POST', `/v1/sessions/${id}/step`, { action: 1 });
      assert.equal(malformed.status, 400);
      const right = i % 2 === 0;
      const step = await call(threaded.url, 'POST', `/v1/sessions/${id}/step`, { action: right ? 'So $\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}$' : '\\boxed{(3, \\pi)}', autoReset: { seed: i + 1000 } });
      assert.equal(step.status, 200, JSON.stringify(step.json));
      assert.equal((step.json.reset as { seed: number }).seed, i + 1000);
      const trace = await call(threaded.url, 'GET', `/v1/sessions/${id}/trace`);
      assert.equal(trace.status, 200);
      assert.equal((await call(threaded.url, 'DELETE', `/v1/sessions/${id}`)).status, 200);
      return [right ? 1 : 0, step.json.reward as number];
    }),
  );
  for (const [want, got] of results) assert.equal(got, want);
});

test('closing the pool ends each worker by itself (exit code 0, so its process exit hooks run), not by terminate', async () => {
  const pool = await EnvWorkerPool.start(1);
  const env = await pool.makeEnv('math', { split: 'math500' });
  await env.reset(baseStart('math500/1'), { seed: 0 });
  const worker = (pool as unknown as { slots: { worker: Worker }[] }).slots[0]?.worker as Worker;
  const code = new Promise<number>((resolve) => worker.once('exit', resolve));
  await pool.close();
  assert.equal(await code, 0, 'Worker#terminate would give exit code 1');
});

test('a hostile 1 MB answer through a worker is graded 0 and the worker goes on serving', async () => {
  const id = (await call(threaded.url, 'POST', '/v1/sessions', { env: 'math', options: { split: 'math500' } })).json.session as string;
  await call(threaded.url, 'POST', `/v1/sessions/${id}/reset`, { start: baseStart('math500/1'), seed: 0 });
  const hostile = `${'\\boxed{\\frac{'.repeat(40_000)}<|im_end|>${'}'.repeat(200_000)}`.slice(0, 1_000_000);
  const r = await call(threaded.url, 'POST', `/v1/sessions/${id}/step`, { action: hostile, autoReset: true });
  assert.equal(r.status, 200, JSON.stringify(r.json).slice(0, 300));
  assert.equal(r.json.reward, 0);
  const right = await call(threaded.url, 'POST', `/v1/sessions/${id}/step`, { action: 'So $\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}$' });
  assert.equal(right.json.reward, 1);
  await call(threaded.url, 'DELETE', `/v1/sessions/${id}`);
});
