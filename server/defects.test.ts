/**
 * The five defects issue 14 found when the server was tried as a new user would, each pinned by
 * a test against the real server on loopback.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { ownerTag } from '../envs/mlebench/sandbox/owner.js';
import { NO_OPTIONS } from '../core/schema.js';
import { envEntries, registerEnv, unregisterEnv } from '../envs/registry.js';
import { baseStart } from '../core/start-state.js';
import type { EnvSpec, RecurrentEnv, StepResult } from '../envs/types.js';
import { call, errorOf, ROOT, startServeProcess } from '../test/fixtures/serve.js';
import { startEnvServer, type EnvServer } from './app.js';

/** An env whose step waits until `releaseAll()` or close(); close() cuts the step short with reward 0, as a killed sandbox run did. */
const slow = { built: 0, waiting: [] as (() => void)[] };
class SlowEnv implements RecurrentEnv {
  readonly spec: EnvSpec = { id: 'fixture-slow', domain: 'fixture', qualityRange: [0, 1], rewardRange: [0, 1], budgets: { maxSteps: 1 } };
  private cut: (() => void) | undefined;
  async reset(): Promise<{ observation: { role: 'user'; content: string }[]; info: Record<string, unknown> }> {
    return { observation: [{ role: 'user', content: 'wait' }], info: {} };
  }
  async step(): Promise<StepResult> {
    await new Promise<void>((resolve) => {
      this.cut = resolve;
      slow.waiting.push(resolve);
    });
    return { observation: [], reward: 0, terminated: true, truncated: false, info: { turn: 0, quality: 0 } };
  }
  trace(): [] {
    return [];
  }
  async close(): Promise<void> {
    this.cut?.();
  }
}
const releaseAll = (): void => slow.waiting.splice(0).forEach((r) => r());
const waitFor = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not reached within 5 s');
};

const MATH_FIXTURES = `${ROOT}test/fixtures/math/data`;
before(() => {
  process.env.EXITGYM_DATA_DIR = MATH_FIXTURES;
  registerEnv({
    id: 'fixture-slow',
    domain: 'fixture',
    description: 'steps wait until released',
    optionsSchema: NO_OPTIONS,
    qualityRange: [0, 1],
    budgets: { default: { maxSteps: 1 } },
    create: async () => {
      slow.built++;
      return new SlowEnv();
    },
  });
});
after(() => unregisterEnv('fixture-slow'));

describe('defect 1: a session closed or idle while a step runs', () => {
  let server: EnvServer;
  before(async () => {
    server = await startEnvServer({ port: 0, idleSeconds: 0.2 });
  });
  after(() => server.close());

  test('DELETE during a step answers the step 410, never a reward', async () => {
    const id = (await call(server.url, 'POST', '/v1/sessions', { env: 'fixture-slow' })).json.session as string;
    await call(server.url, 'POST', `/v1/sessions/${id}/reset`, { start: baseStart('t') });
    const n = slow.waiting.length;
    const step = call(server.url, 'POST', `/v1/sessions/${id}/step`, { action: 'x' });
    await waitFor(() => slow.waiting.length > n);
    assert.equal((await call(server.url, 'DELETE', `/v1/sessions/${id}`)).status, 200);
    const r = await step;
    assert.equal(r.status, 410);
    assert.equal(errorOf(r).code, 'session_closed');
    assert.equal(r.json.reward, undefined);
  });

  test('a session running a step is never expired, however long the step', async () => {
    const id = (await call(server.url, 'POST', '/v1/sessions', { env: 'fixture-slow' })).json.session as string;
    await call(server.url, 'POST', `/v1/sessions/${id}/reset`, { start: baseStart('t') });
    const expiredBefore = server.sessions.expired;
    const step = call(server.url, 'POST', `/v1/sessions/${id}/step`, { action: 'x' });
    // Five idle timeouts pass while the step runs.
    await new Promise((r) => setTimeout(r, 1000));
    releaseAll();
    const r = await step;
    assert.equal(r.status, 200);
    assert.equal(r.json.terminated, true);
    assert.equal(server.sessions.expired, expiredBefore);
    // Idle afterwards, it does expire.
    await waitFor(() => server.sessions.expired > expiredBefore);
    assert.equal((await call(server.url, 'GET', `/v1/sessions/${id}/trace`)).status, 404);
  });
});

describe('defect 2: auth beyond loopback and options over HTTP', () => {
  test('binding beyond loopback without a token is refused', async () => {
    await assert.rejects(startEnvServer({ port: 0, host: '0.0.0.0' }), (e: unknown) => e instanceof ConfigError && /--token/.test(e.message));
  });

  test('with --token every route but /healthz needs the bearer token', async () => {
    const server = await startEnvServer({ port: 0, token: 's3cret' });
    try {
      const no = await call(server.url, 'GET', '/v1/envs');
      assert.equal(no.status, 401);
      assert.match(errorOf(no).message, /Authorization: Bearer/);
      assert.equal((await call(server.url, 'GET', '/v1/envs', undefined, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await call(server.url, 'GET', '/v1/envs', undefined, { authorization: 'Bearer s3cret' })).status, 200);
      assert.equal((await call(server.url, 'GET', '/healthz')).status, 200);
    } finally {
      await server.close();
    }
  });

  test('host paths, executables and unbounded limits are refused at create, naming the option', async () => {
    const server = await startEnvServer({ port: 0 });
    try {
      const mle = envEntries().find((e) => e.domain === 'mlebench')?.id as string;
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['math', { split: 'math500', dataDir: '/etc' }, /unexpected field "dataDir"/],
        ['bfcl', { dataDir: '/' }, /unexpected field "dataDir"/],
        [mle, { python: '/bin/sh' }, /unexpected field "python"/],
        [mle, { dataRoot: '/home' }, /unexpected field "dataRoot"/],
        [mle, { syntheticRoot: '/tmp/x' }, /unexpected field "syntheticRoot"/],
        [mle, { limits: { wallSeconds: 86_400 } }, /limits\/wallSeconds/],
        [mle, { limits: { memoryMb: 1024 * 1024 * 1024 } }, /limits\/memoryMb/],
        ['fixture-slow', { anything: 1 }, /unexpected field "anything"/],
      ];
      for (const [env, options, why] of cases) {
        const r = await call(server.url, 'POST', '/v1/sessions', { env, options });
        assert.equal(r.status, 400, `${env} ${JSON.stringify(options)}`);
        assert.match(errorOf(r).message, why);
        assert.match(errorOf(r).message, /not accepted over HTTP/);
      }
      const batch = await call(server.url, 'POST', '/v1/curricula', { env: 'math', options: { dataDir: '/etc' } });
      assert.equal(batch.status, 400);
      assert.match(errorOf(batch).message, /dataDir/);
      // A documented option is accepted.
      const ok = await call(server.url, 'POST', '/v1/sessions', { env: 'math', options: { split: 'math500', verifyTimeoutMs: 500 } });
      assert.equal(ok.status, 201);
    } finally {
      await server.close();
    }
  });
});

test('defect 3: the session cap answers 429 with Retry-After before building the env', async () => {
  const server = await startEnvServer({ port: 0, maxSessions: 2 });
  try {
    for (let i = 0; i < 2; i++) assert.equal((await call(server.url, 'POST', '/v1/sessions', { env: 'fixture-slow' })).status, 201);
    const built = slow.built;
    const r = await call(server.url, 'POST', '/v1/sessions', { env: 'fixture-slow' });
    assert.equal(r.status, 429);
    assert.equal(errorOf(r).code, 'capacity');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.equal(slow.built, built, 'the refused create built an env');
  } finally {
    await server.close();
  }
});

describe('defect 4: deep and over-size bodies', () => {
  let server: EnvServer;
  before(async () => {
    server = await startEnvServer({ port: 0, maxBodyBytes: 1024 * 1024 });
  });
  after(() => server.close());

  test('a 100k-deep JSON body is a readable 400', async () => {
    const deep = `{"env": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const r = await call(server.url, 'POST', '/v1/sessions', deep);
    assert.equal(r.status, 400);
    assert.match(errorOf(r).message, /nests deeper than 64 levels/);
    // The shortest body one level too deep (130 characters) is still walked and refused.
    const justOver = await call(server.url, 'POST', '/v1/sessions', `${'['.repeat(65)}${']'.repeat(65)}`);
    assert.match(errorOf(justOver).message, /nests deeper than 64 levels/);
    const atLimit = await call(server.url, 'POST', '/v1/sessions', `${'['.repeat(64)}${']'.repeat(64)}`);
    assert.match(errorOf(atLimit).message, /POST \/v1\/sessions body: \(root\): must be object/);
  });

  test('an over-size body is a readable 413 (fetch and Python http.client)', async () => {
    const big = JSON.stringify({ env: 'x'.repeat(2 * 1024 * 1024) });
    const r = await call(server.url, 'POST', '/v1/sessions', big);
    assert.equal(r.status, 413);
    assert.match(errorOf(r).message, /over the server's limit of 1048576 bytes/);
    const { port } = new URL(server.url);
    const script = [
      'import http.client, json, sys',
      `c = http.client.HTTPConnection("127.0.0.1", ${port}, timeout=30)`,
      'body = json.dumps({"env": "x" * (2 * 1024 * 1024)})',
      'c.request("POST", "/v1/sessions", body=body, headers={"content-type": "application/json"})',
      'r = c.getresponse()',
      'print(r.status, json.loads(r.read())["error"]["code"])',
    ].join('\n');
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('/usr/bin/python3', ['-c', script]);
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.stderr.on('data', (d: Buffer) => (text += d.toString()));
      p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`python exited ${code}: ${text}`))));
    });
    assert.equal(out.trim(), '413 too_large');
  });
});

test('defect 5: SIGTERM finishes the request in flight, logs, and exits 0; stale sandbox folders are swept at start', async () => {
  // A run folder of a dead process (pid 1 never started at tick 1), and one of this live process.
  const tmp = await mkdtemp(join(tmpdir(), 'exitgym-serve-tmp-'));
  const dead = join(tmp, 'exitgym-sbx-1-1-abcdef');
  const live = join(tmp, `exitgym-sbx-${ownerTag()}-abcdef`);
  await mkdir(join(dead, 'work'), { recursive: true });
  await mkdir(live);
  const serve = await startServeProcess([], { EXITGYM_DATA_DIR: MATH_FIXTURES, TMPDIR: tmp });
  assert.match(serve.stderr(), /swept 1 stale sandbox folder/);
  assert.equal(existsSync(dead), false);
  assert.equal(existsSync(live), true);
  const { port } = new URL(serve.url);
  const body = JSON.stringify({ env: 'math', options: { split: 'math500' } });
  const socket = connect(Number(port), '127.0.0.1');
  let reply = '';
  socket.on('data', (d: Buffer) => (reply += d.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  // Half the body now: the request is in flight when SIGTERM arrives.
  socket.write(`POST /v1/sessions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((r) => setTimeout(r, 300));
  serve.proc.kill('SIGTERM');
  await waitFor(() => /SIGTERM: finishing 1 request/.test(serve.stderr()));
  socket.write(body.slice(10));
  await closed;
  assert.match(reply, /^HTTP\/1.1 201/);
  assert.match(reply, /"session":/);
  assert.equal(await serve.exited, 0);
  assert.match(serve.stderr(), /stopped/);
  await rm(tmp, { recursive: true, force: true });
});
