/**
 * `exitgym eval` on an MLE-bench env: the greedy-search scaffold through a real OpenAI-compatible
 * server whose "model" writes a real script (copy the sample submission, then a small model).
 * Needs the data dir (competition descriptions) and the local sandbox.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../cli/main.js';
import { findBwrap } from '../../envs/mlebench/sandbox/index.js';
import { startChatServer, type ChatServer } from '../fixtures/chat-server.js';

const COPY = "```python\nimport os, shutil\nshutil.copy(os.path.join(os.environ['PUBLIC_RESOURCE_PATH'], 'sampleSubmission.csv'), 'submission.csv')\n```";
// A script that crashes: the next step must be a debug step.
const CRASH = '```python\nraise SystemExit("boom")\n```';

let server: ChatServer;
before(async () => {
  let calls = 0;
  server = await startChatServer(() => (calls++ === 1 ? CRASH : COPY));
});
after(async () => server.close());

test('eval runs greedy search on an MLE-bench env and reports best score and medal rate per step', { timeout: 300_000 }, async (t) => {
  if (!process.env.EXITGYM_DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  if (!findBwrap() || !existsSync('/usr/bin/python3')) return t.skip('local sandbox unavailable (run scripts/setup-system.sh)');
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-mle-'));
  const root = await mkdtemp(join(tmpdir(), 'exitgym-mle-synth-'));
  // The sandbox runs as an unprivileged uid, which must be able to reach the data folder.
  await chmod(root, 0o755);
  const err: string[] = [];
  const code = await main(
    ['eval', '--env', 'mlebench-random-acts-of-pizza', '--steps', '2', '--model', server.baseURL, '--output', dir, '--quiet', '--env-option', `syntheticRoot=${root}`],
    { stdout: () => {}, stderr: (l) => err.push(l) },
  );
  assert.equal(code, 0, err.join('\n'));
  const lines = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((r) => r.step), [0, 1, 2]);
  assert.deepEqual(lines.map((r) => r.info.goal), ['draft', 'improve', 'debug'], 'step 1 improves the valid draft; its crash is debugged at step 2');
  // The sample submission is a valid, constant prediction: AUC 0.5 → normalised 0.5, no medal.
  for (const r of lines) {
    assert.equal(r.quality, 0.5);
    assert.equal(r.medal, false);
  }
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
  assert.deepEqual(summary.steps.map((s: { meanQuality: number }) => s.meanQuality), [0.5, 0.5, 0.5]);
  assert.deepEqual(summary.steps.map((s: { medalRate: number }) => s.medalRate), [0, 0, 0]);
});

// A "model" that gets better: the sample submission first (AUC 0.5), then a real model.
const REFERENCE = `\`\`\`python\n${readFileSync(new URL('../fixtures/mlebench/random-acts-of-pizza.py', import.meta.url), 'utf8')}\n\`\`\``;

test('MLE-bench eval headlines the mean normalised score: a policy that improves shows a rising curve and a positive Δ_K', { timeout: 300_000 }, async (t) => {
  if (!process.env.EXITGYM_DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  if (!findBwrap() || !existsSync('/usr/bin/python3')) return t.skip('local sandbox unavailable (run scripts/setup-system.sh)');
  // The draft step sees the default script; once the current solution is the copy, improve it.
  const improving = await startChatServer((messages) => (messages[messages.length - 1]!.content.includes("shutil.copy(") ? REFERENCE : COPY));
  try {
    const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-mle-rise-'));
    const root = await mkdtemp(join(tmpdir(), 'exitgym-mle-synth-'));
    await chmod(root, 0o755);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ['eval', '--env', 'mlebench-random-acts-of-pizza', '--steps', '2', '--model', improving.baseURL, '--output', dir, '--quiet', '--env-option', `syntheticRoot=${root}`],
      { stdout: (l) => out.push(l), stderr: (l) => err.push(l) },
    );
    assert.equal(code, 0, err.join('\n'));
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.headline.metric, 'score');
    const v = summary.headline.values as number[];
    assert.equal(v[0], 0.5, 'the draft copies the sample submission');
    assert.ok(v[1]! > 0.55 && v[2]! >= v[1]!, `the curve rises: ${v.join(', ')}`);
    assert.ok(summary.headline.deltaK > 0.05, `Δ_K of the score is positive: ${summary.headline.deltaK}`);
    assert.equal(summary.deltaK, 0, 'accuracy (score = best) does not move, which is why it is not the headline');
    assert.match(out.join('\n'), /^step 1: mean normalised score 0\.\d{3}/m);
    assert.match(out.join('\n'), /Δ_2 \(mean normalised score\) = \+0\.\d{3}/);
    assert.match(await readFile(join(dir, 'table.md'), 'utf8'), /\| step \| mean normalised score \| Δ vs step 0 \|/);
  } finally {
    await improving.close();
  }
});
