/**
 * `exitgym serve-model` as a real process over a tiny random checkpoint, used through the
 * `openai` package and by `exitgym eval` (through the OpenAI client) on real env splits.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { main } from '../../cli/main.js';
import { spawnServeModel } from '../fixtures/serve-model.js';
import { writeTinyModel } from '../../testing/tiny-model.js';

let proc: ChildProcess;
let baseURL: string;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-tiny-'));
  // A declared context that fits BFCL's 10k-token prompts (the server refuses longer ones).
  await writeTinyModel(dir, { seed: 3, extraConfig: { max_position_embeddings: 32768 } });
  ({ proc, baseURL } = await spawnServeModel(dir, 'tiny'));
});
after(() => {
  proc.kill('SIGTERM');
});

test('chat completions: logprobs and token ids, seeded determinism, streaming equals non-streaming', async () => {
  const client = new OpenAI({ baseURL, apiKey: 'none' });
  const models = await client.models.list();
  assert.deepEqual(models.data.map((m) => m.id), ['tiny']);
  const req = { model: 'tiny', messages: [{ role: 'user' as const, content: 'hello there' }], max_tokens: 12, temperature: 1, seed: 7, logprobs: true };
  const a = await client.chat.completions.create(req);
  const b = await client.chat.completions.create(req);
  const choice = a.choices[0]!;
  assert.equal(choice.message.content, b.choices[0]!.message.content, 'same seed, same text');
  const ids = (choice as unknown as { token_ids: number[] }).token_ids;
  assert.ok(Array.isArray(ids) && ids.length > 0 && ids.length <= 12);
  assert.equal(choice.logprobs?.content?.length, ids.length);
  for (const t of choice.logprobs!.content!) assert.ok(t.logprob <= 0 && Number.isFinite(t.logprob));
  assert.equal(a.usage?.completion_tokens, ids.length);

  const stream = await client.chat.completions.create({ ...req, stream: true });
  let text = '';
  let finish: string | null = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(text, choice.message.content);
  assert.equal(finish, choice.finish_reason);

  // Stop strings: the same seeded sample, cut before the first occurrence of the stop string. The
  // random model mostly emits bytes that are not UTF-8 on their own, so look for a seed whose sample
  // has a readable character after the first.
  let checked = false;
  for (let seed = 1; seed <= 8 && !checked; seed++) {
    const full = (await client.chat.completions.create({ ...req, seed, logprobs: false })).choices[0]!.message.content ?? '';
    const stop = [...full].find((ch, i) => i >= 1 && ch !== '\uFFFD');
    if (stop === undefined) continue;
    const expected = full.slice(0, full.indexOf(stop));
    const cut = await client.chat.completions.create({ ...req, seed, logprobs: false, stop: [stop] });
    assert.equal(cut.choices[0]!.message.content, expected);
    assert.equal(cut.choices[0]!.finish_reason, 'stop');
    let streamed = '';
    for await (const chunk of await client.chat.completions.create({ ...req, seed, logprobs: false, stop: [stop], stream: true })) streamed += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(streamed, expected, 'streaming never sends text past a stop string');
    checked = true;
  }
  assert.ok(checked, 'no seed in 1..8 gave a sample with a readable character to stop at');

  await assert.rejects(client.chat.completions.create({ ...req, model: 'other' }), /model "other" not found/);
  await assert.rejects(client.chat.completions.create({ ...req, max_tokens: 0 }), /\/max_tokens: must be >= 1/);
});

async function evalRun(args: string[]): Promise<{ code: number; err: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-e2e-eval-'));
  const err: string[] = [];
  const code = await main(['eval', ...args, '--model', baseURL, '--output', dir, '--quiet', '--max-tokens', '6', '--concurrency', '1'], { stdout: () => {}, stderr: (t) => err.push(t) });
  return { code, err: err.join('\n'), dir };
}

async function assertOutputs(dir: string, chains: number, steps: number): Promise<void> {
  const lines = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trim().split('\n');
  assert.equal(lines.length, chains * (steps + 1));
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
  assert.equal(summary.steps.length, steps + 1);
  assert.equal(summary.failedRecords, 0);
  assert.match(await readFile(join(dir, 'table.md'), 'utf8'), /\| step \| accuracy \|/);
  assert.match(await readFile(join(dir, 'plot.svg'), 'utf8'), /<svg/);
}

test('eval through the OpenAI client on the math split', async (t) => {
  if (!process.env.EXITGYM_DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  const r = await evalRun(['--env', 'math', '--split', 'math500', '--limit', '2', '--steps', '1']);
  assert.equal(r.code, 0, r.err);
  await assertOutputs(r.dir, 2, 1);
});

test('eval through the OpenAI client on the BFCL test split', { timeout: 900_000 }, async (t) => {
  if (!process.env.EXITGYM_DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  // The test split's shortest prompt (11k characters): the tiny model's byte-level tokenizer makes
  // every call a ~10k-token prefill, and a random model never says <TASK_FINISHED>, so one task,
  // a 2-call budget and one improve step keep this affordable: step 0 plays both calls; step 1
  // improves call 0 once, then answers and improves call 1 (2 + 1 + 2 calls).
  const r = await evalRun(['--env', 'bfcl', '--split', 'test', '--env-option', 'config=train', '--env-option', 'maxSteps=2', '--tasks', 'multi_turn_base_10', '--steps', '1', '--timeout', '600']);
  assert.equal(r.code, 0, r.err);
  await assertOutputs(r.dir, 1, 1);
  const summary = JSON.parse(await readFile(join(r.dir, 'summary.json'), 'utf8'));
  assert.deepEqual(summary.steps.map((s: { firstTurnAccuracy?: number }) => typeof s.firstTurnAccuracy), ['number', 'number'], 'BFCL reports first-turn accuracy per step');
  const [, step1] = (await readFile(join(r.dir, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(step1.trace.map((t: { iterates: { kind: string }[] }) => t.iterates.map((i) => i.kind)), [['initial', 'improve'], ['initial', 'improve']]);
});
