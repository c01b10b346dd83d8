import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../test/fixtures/tiny-model.js';
import { generateCommand, scoreCommand } from './model.js';
import type { CommandIo } from './command.js';

function capture(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

const dir = await mkdtemp(join(tmpdir(), 'exitgym-cli-model-'));
await writeTinyModel(join(dir, 'm'), { seed: 4, embedStd: 0.3 });
const model = join(dir, 'm');

test('model generate prints text, is seeded, and writes JSON with token ids and logprobs', async () => {
  const io = capture();
  const out = join(dir, 'gen.json');
  const args = ['--model', model, '--prompt', 'the cat', '--max-tokens', '5', '--seed', '3', '--backend', 'wasm'];
  assert.equal(await generateCommand.run([...args, '--output', out], io), 0);
  const r = JSON.parse(await readFile(out, 'utf8')) as { text: string; token_ids: number[]; token_logprobs: number[]; finish_reason: string };
  assert.equal(io.out[0], r.text);
  assert.equal(r.token_ids.length, r.token_logprobs.length);
  assert.ok(r.token_logprobs.every((x) => x <= 0));
  assert.match(io.err.join('\n'), /tfjs backend: wasm[\s\S]*tokens\/s/);
  const again = capture();
  await generateCommand.run([...args, '--json'], again);
  assert.deepEqual((JSON.parse(again.out[0] as string) as { token_ids: number[] }).token_ids, r.token_ids);
  await assert.rejects(generateCommand.run([...args, '--temperature=-1'], capture()), /--temperature must be a number in \[0, ∞\]/);
});

test('model score returns per-token logprobs that match what generate sampled', async () => {
  const gen = capture();
  await generateCommand.run(['--model', model, '--prompt', 'she ran', '--max-tokens', '6', '--seed', '1', '--backend', 'wasm', '--json'], gen);
  const g = JSON.parse(gen.out[0] as string) as { text: string; token_ids: number[]; token_logprobs: number[] };
  const input = join(dir, 'pairs.jsonl');
  // The completion is re-tokenised from text here, which is only id-for-id when decoding round-trips;
  // the tiny byte-level tokenizer round-trips ASCII, so compare only then.
  await writeFile(input, `${JSON.stringify({ prompt: 'she ran', completion: 'the cat', id: 7 })}\n${JSON.stringify({ prompt: 'x', completion: '' })}\n`);
  const io = capture();
  const out = join(dir, 'scored.jsonl');
  assert.equal(await scoreCommand.run(['--model', model, '--input', input, '--output', out, '--backend', 'wasm'], io), 0);
  const rows = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id?: number; completion_token_ids: number[]; token_logprobs: number[]; sum_logprob: number });
  assert.equal(rows.length, 2);
  assert.equal(rows[0]?.id, 7);
  assert.equal(rows[0]?.token_logprobs.length, rows[0]?.completion_token_ids.length);
  assert.ok(Math.abs((rows[0]?.sum_logprob as number) - (rows[0]?.token_logprobs ?? []).reduce((a, b) => a + b, 0)) < 1e-9);
  assert.deepEqual(rows[1]?.token_logprobs, []);
  assert.equal(rows[1]?.sum_logprob, 0);
  if (/^[\x20-\x7e]*$/.test(g.text) && g.text.length > 0) {
    await writeFile(input, `${JSON.stringify({ prompt: 'she ran', completion: g.text })}\n`);
    const again = capture();
    await scoreCommand.run(['--model', model, '--input', input, '--backend', 'wasm'], again);
    const row = JSON.parse(again.out[0] as string) as { completion_token_ids: number[]; token_logprobs: number[] };
    if (row.completion_token_ids.join() === g.token_ids.join()) row.token_logprobs.forEach((x, i) => assert.ok(Math.abs(x - (g.token_logprobs[i] as number)) < 1e-4));
  }
  await writeFile(input, '{"prompt": 3}\n');
  await assert.rejects(scoreCommand.run(['--model', model, '--input', input], capture()), /line 1 needs string fields "prompt" and "completion"/);
});
