import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { baseStart } from '../envs/start-state.js';
import { ArithEnv, arithTask, arithTaskIds } from '../test/fixtures/arith-env.js';
import { startChatServer, type ChatServer } from '../test/fixtures/chat-server.js';
import { main } from './main.js';

const tasks = arithTaskIds.filter((id) => arithTask(id).pairs.length === 1).slice(0, 6);

/** Right on the first try for odd-valued sums; otherwise fixed by the first improve step. */
function answer(messages: { role: string; content: string }[]): string {
  const last = messages[messages.length - 1]!.content;
  const m = /Compute (\d+) \+ (\d+)/.exec(last)!;
  const sum = Number(m[1]) + Number(m[2]);
  const improving = last.startsWith('Improve your current response');
  return `The answer is ${improving || sum % 2 === 1 ? sum : sum + 1}`;
}

let server: ChatServer;
before(async () => {
  server = await startChatServer(answer);
  registerEnv({
    id: 'fixture-arith-eval',
    domain: 'fixture',
    description: 'fixture',
    qualityRange: [0, 1],
    budgets: { default: { maxSteps: 3 } },
    tasks: async () => tasks,
    create: async () => new ArithEnv(),
    conformance: { options: {}, start: baseStart('arith/0'), actions: ['0'] },
  });
});
after(async () => {
  unregisterEnv('fixture-arith-eval');
  await server.close();
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const base = (output: string): string[] => ['eval', '--env', 'fixture-arith-eval', '--steps', '2', '--samples', '2', '--model', server.baseURL, '--output', output, '--quiet', '--concurrency', '2'];

test('eval writes results, summary, table and plot with the expected accuracies', async () => {
  server.mode = 'ok';
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-'));
  const r = await run(base(dir));
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
  const odd = tasks.filter((id) => { const [a, b] = arithTask(id).pairs[0]!; return (a + b) % 2 === 1; }).length;
  assert.deepEqual(summary.steps.map((s: { accuracy: number }) => s.accuracy), [odd / tasks.length, 1, 1]);
  assert.equal(summary.steps[1].wrongToRight, 2 * (tasks.length - odd));
  const lines = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trim().split('\n');
  assert.equal(lines.length, tasks.length * 2 * 3);
  const table = await readFile(join(dir, 'table.md'), 'utf8');
  assert.match(table, /\| step \| accuracy \|/);
  assert.match(await readFile(join(dir, 'plot.svg'), 'utf8'), /^<svg[^>]*>[\s\S]*<polyline/);
  assert.match(r.out, /step 2: accuracy 100\.0%/);

  // Rerunning into the same folder without --resume is refused in one line.
  const again = await run(base(dir));
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds an eval run; pass --resume/);
});

test('a run that breaks midway records the failed calls and resumes to the same summary', async () => {
  server.mode = 'ok';
  const full = await mkdtemp(join(tmpdir(), 'exitgym-eval-full-'));
  assert.equal((await run(base(full))).code, 0);
  const broken = await mkdtemp(join(tmpdir(), 'exitgym-eval-broken-'));
  // The server starts failing after a few calls: every later call is a 500 (retried, then recorded).
  const calls = server.requests.length;
  const timer = setInterval(() => {
    if (server.requests.length - calls >= 8) server.mode = 'error500';
  }, 1);
  const partial = await run([...base(broken), '--timeout', '5']);
  clearInterval(timer);
  assert.equal(partial.code, 1);
  const failed = (await readFile(join(broken, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.quality === null);
  assert.ok(failed.length > 0, 'failed calls are recorded');
  assert.match(failed[0].error, /HTTP 500/);
  const mid = JSON.parse(await readFile(join(broken, 'summary.json'), 'utf8'));
  assert.ok(mid.failedRecords > 0);
  server.mode = 'ok';
  const before = server.requests.length;
  const resumed = await run([...base(broken), '--resume']);
  assert.equal(resumed.code, 0, resumed.err);
  assert.ok(server.requests.length - before < tasks.length * 2 * 3, 'finished chains are not redone');
  const a = JSON.parse(await readFile(join(full, 'summary.json'), 'utf8'));
  const b = JSON.parse(await readFile(join(broken, 'summary.json'), 'utf8'));
  assert.deepEqual(b.steps, a.steps);
  assert.equal(b.deltaK, a.deltaK);
});

test('a bad endpoint or key ends in one clear line before any work', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-bad-'));
  const r = await run(['eval', '--env', 'fixture-arith-eval', '--model', 'http://127.0.0.1:9/v1', '--output', dir, '--quiet']);
  assert.equal(r.code, 1);
  assert.equal(r.err.split('\n').length, 1);
  assert.match(r.err, /^exitgym eval: cannot reach the model endpoint http:\/\/127\.0\.0\.1:9\/v1/);
  assert.equal(existsSync(join(dir, 'results.jsonl')), false);
  server.mode = 'unauthorized';
  const k = await run(['eval', '--env', 'fixture-arith-eval', '--model', server.baseURL, '--output', dir, '--quiet']);
  server.mode = 'ok';
  assert.equal(k.code, 1);
  assert.match(k.err, /rejected the API key/);
});

test('bad flags exit 2 with what to type', async () => {
  const r = await run(['eval', '--env', 'fixture-arith-eval', '--steps', 'many']);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'exitgym eval: --steps must be an integer in [0, 64]; got "many".');
  const u = await run(['eval', '--env', 'fixture-arith-evl', '--model', server.baseURL]);
  assert.equal(u.code, 1);
  assert.match(u.err, /unknown env "fixture-arith-evl"\. Did you mean "fixture-arith-eval"\?/);
});
