import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { arithEntry, arithTask, arithTaskIds } from '../test/fixtures/arith-env.js';
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
  registerEnv(arithEntry('fixture-arith-eval', tasks));
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

test('a mistyped --env-option fails in one line naming it; values take the type the schema gives', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-'));
  const typo = await run([...base(dir), '--env-option', 'Turns=1']);
  assert.equal(typo.code, 1);
  assert.match(typo.err, /fixture-arith-eval: unknown option "Turns" \(did you mean "turns"\?\); the options are turns\./);
  const bad = await run([...base(dir), '--env-option', 'turns=one']);
  assert.match(bad.err, /option turns must be integer; got "one"/);
  assert.equal(existsSync(join(dir, 'results.jsonl')), false, 'nothing ran');
});

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
  assert.match(await readFile(join(dir, 'plot.svg'), 'utf8'), /^<svg[^>]*>[\s\S]*aria-roledescription="line mark"/);
  assert.match(r.out, /step 2: accuracy 100\.0%/);

  // Rerunning into the same folder without --resume is refused in one line.
  const again = await run(base(dir));
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds an eval run; pass --resume/);

  // A run written in another record format (another exitgym version) is never resumed into.
  const saved = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(saved.format, 3);
  await writeFile(join(dir, 'run.json'), JSON.stringify({ ...saved, format: undefined }));
  const old = await run([...base(dir), '--resume']);
  assert.equal(old.code, 1);
  assert.equal(old.err, `exitgym eval: --resume: the run in ${dir} was written in record format 1 by another exitgym version; this one writes format 3, and the two cannot be mixed. Rerun into another --output.`);
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
  assert.ok(failed.every((r) => r.failedCall && Number.isInteger(r.failedCall.turn) && Number.isInteger(r.failedCall.iterate)), 'each failure names the call');
  assert.equal(partial.err.split('\n').length, 1);
  assert.match(partial.err, /^exitgym eval: \d+ model calls? failed \(the last: the model endpoint \S+ failed POST \/chat\/completions \(HTTP 500\) after retries: .*\); they are recorded in \S+results\.jsonl with quality null and left out of the accuracies\. Rerun with --resume to retry them\.$/);
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
  server.mode = 'html';
  const h = await run(['eval', '--env', 'fixture-arith-eval', '--model', server.baseURL, '--output', dir, '--quiet']);
  server.mode = 'ok';
  assert.equal(k.code, 1);
  assert.equal(k.err, `exitgym eval: the model endpoint ${server.baseURL} rejected the API key (HTTP 401); pass --api-key or set OPENAI_API_KEY.`);
  assert.equal(h.code, 1);
  assert.equal(h.err, `exitgym eval: the model endpoint ${server.baseURL} returned something that is not an OpenAI model list for GET /models. Is it an OpenAI-compatible /v1 base URL?`);
  assert.equal(existsSync(join(dir, 'results.jsonl')), false);
});

test('a server that starts returning garbage stops the run in one line; the failed call is recorded, not scored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-garbage-'));
  server.mode = 'garbage';
  try {
    const r = await run([...base(dir), '--model-name', 'scripted-model']);
    assert.equal(r.code, 1);
    assert.equal(r.err.split('\n').length, 1);
    assert.match(r.err, /^exitgym eval: stopped: the model endpoint \S+ returned something that is not an OpenAI chat completion \(no choices\[0\]\.message\.content\): \{"hello":"world"\}\. Is it an OpenAI-compatible \/v1 base URL\? \(\d+ failed calls? recorded in \S+results\.jsonl; rerun with --resume once fixed\)$/);
    const records = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(records.length >= 1 && records.every((x) => x.quality === null && x.fatal === true && x.step === 0));
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.steps[0].n, 0, 'nothing scored');
    assert.equal(summary.steps[0].accuracy, null, 'failed calls are not wrong answers');
    assert.equal(summary.failedRecords, records.length);
  } finally {
    server.mode = 'ok';
  }
});

test('a server that never answers times out: the calls are recorded as failed and the run ends in one line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-hang-'));
  server.mode = 'hang';
  try {
    const r = await run([...base(dir), '--limit', '1', '--samples', '1', '--timeout', '0.2', '--retries', '0']);
    assert.equal(r.code, 1);
    assert.equal(r.err, `exitgym eval: 1 model call failed (the last: the model endpoint ${server.baseURL} did not answer POST /chat/completions within 0.2 s; raise --timeout or lower --concurrency.); they are recorded in ${join(dir, 'results.jsonl')} with quality null and left out of the accuracies. Rerun with --resume to retry them.`);
    const [rec] = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual([rec.taskId, rec.step, rec.quality, rec.fatal, rec.failedCall], [tasks[0], 0, null, false, { turn: 0, iterate: 0 }]);
  } finally {
    server.mode = 'ok';
  }
});

test('without --quiet a progress line shows count, ETA and the running accuracy', async () => {
  server.mode = 'ok';
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-progress-'));
  const r = await run(['eval', '--env', 'fixture-arith-eval', '--steps', '1', '--model', server.baseURL, '--output', dir]);
  assert.equal(r.code, 0, r.err);
  const odd = tasks.filter((id) => { const [a, b] = arithTask(id).pairs[0]!; return (a + b) % 2 === 1; }).length;
  const acc0 = ((100 * odd) / tasks.length).toFixed(1);
  assert.match(r.err, new RegExp(`^eval fixture-arith-eval/default \\[#{24}\\] 12/12 100% [\\d.]+/s ETA 0s acc@0 ${acc0.replace('.', '\\.')}% acc@1 100\\.0%$`, 'm'));
});

test('bad flags exit 2 with what to type', async () => {
  const r = await run(['eval', '--env', 'fixture-arith-eval', '--steps', 'many']);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'exitgym eval: --steps must be an integer in [0, 64]; got "many".');
  const u = await run(['eval', '--env', 'fixture-arith-evl', '--model', server.baseURL]);
  assert.equal(u.code, 1);
  assert.match(u.err, /unknown env "fixture-arith-evl"\. Did you mean "fixture-arith-eval"\?/);
});
