/**
 * `exitgym eval` as a real process: SIGKILL it midway, rerun with --resume, and the summary equals
 * an uninterrupted run's with the same seed. The model is a real OpenAI-compatible HTTP server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startChatServer, type ChatServer } from '../fixtures/chat-server.js';

const root = new URL('../..', import.meta.url).pathname;
let server: ChatServer;

before(async () => {
  // Seeded answers: an initial answer is right iff (sum + seed) is even; improve steps always fix it.
  server = await startChatServer((messages, seed) => {
    const last = messages[messages.length - 1]!.content;
    const m = /Compute (\d+) \+ (\d+)/.exec(last)!;
    const sum = Number(m[1]) + Number(m[2]);
    const improving = last.startsWith('Improve');
    return `= ${improving || (sum + (seed ?? 0)) % 2 === 0 ? sum : sum - 1}`;
  });
});
after(async () => server.close());

function evalProcess(output: string, extra: string[] = []): ReturnType<typeof spawn> {
  return spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'cli/main.ts'), 'eval', '--env', 'fixture-arith', '--env-option', 'turns=2', '--steps', '2', '--samples', '2', '--seed', '5', '--concurrency', '1', '--model', server.baseURL, '--output', output, ...extra],
    { cwd: root, env: { ...process.env, EXITGYM_PLUGINS: join(root, 'test/fixtures/arith-plugin.ts') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

async function finish(p: ReturnType<typeof spawn>): Promise<{ code: number | null; err: string }> {
  let err = '';
  p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => p.on('close', (c) => resolve(c)));
  return { code, err };
}

// Two-turn tasks (8 of them), 2 samples, K = 2: 48 records; each chain makes 2 + 3 + 4 calls
// (budget k: one more improve of turn 0, then 1 + k calls on turn 1), and the two samples of a
// task ask their first question as one request (n = 2).
const RECORDS = 8 * 2 * 3;
const CALLS = 8 * (2 * (2 + 3 + 4) - 1);

test('kill -9 midway, then --resume, gives the uninterrupted summary without redoing finished work', { timeout: 120_000 }, async () => {
  const full = await mkdtemp(join(tmpdir(), 'exitgym-e2e-full-'));
  const c0 = server.requests.length;
  const a = await finish(evalProcess(full));
  assert.equal(a.code, 0, a.err);
  assert.equal(server.requests.length - c0, CALLS);

  const killed = await mkdtemp(join(tmpdir(), 'exitgym-e2e-kill-'));
  const c1 = server.requests.length;
  const p = evalProcess(killed);
  const results = join(killed, 'results.jsonl');
  // Kill once some, but not all, results are on disk.
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      const n = existsSync(results) ? readFileSync(results, 'utf8').split('\n').filter(Boolean).length : 0;
      if (n >= 5) {
        clearInterval(t);
        p.kill('SIGKILL');
        resolve();
      }
      if (p.exitCode !== null) {
        clearInterval(t);
        reject(new Error('the eval finished before it could be killed'));
      }
    }, 5);
  });
  await finish(p);
  const callsBeforeKill = server.requests.length - c1;
  const partial = readFileSync(results, 'utf8').split('\n').filter(Boolean).length;
  assert.ok(partial >= 5 && partial < RECORDS, `killed with ${partial} records`);
  assert.equal(existsSync(join(killed, 'summary.json')), false, 'no summary yet: the run never finished');

  const c2 = server.requests.length;
  const b = await finish(evalProcess(killed, ['--resume']));
  assert.equal(b.code, 0, b.err);
  const redone = server.requests.length - c2;
  // With --concurrency 1 at most one budget episode (≤ 4 calls) was cut off by the kill, and the
  // task's shared first question may be asked again for its second sample.
  assert.ok(callsBeforeKill + redone <= CALLS + 5, `killed run ${callsBeforeKill} + resume ${redone} calls; an uninterrupted run makes ${CALLS}`);
  assert.equal(readFileSync(results, 'utf8').split('\n').filter(Boolean).length, RECORDS, 'one line per (task, sample, step)');
  const sa = JSON.parse(await readFile(join(full, 'summary.json'), 'utf8'));
  const sb = JSON.parse(await readFile(join(killed, 'summary.json'), 'utf8'));
  assert.deepEqual(sb.steps, sa.steps);
  assert.equal(sb.deltaK, sa.deltaK);
  assert.ok(sa.steps[0].accuracy < sa.steps[2].accuracy, 'the curve is not flat (improve steps fix answers)');
});
