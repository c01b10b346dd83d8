import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../testing/tiny-model.js';
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
  // Find a seeded sample whose text re-tokenises to the sampled ids (decode → encode round trip),
  // so scoring the text must give back generate's own logprobs. Deterministic: seeds are fixed.
  let g: { text: string; token_ids: number[]; token_logprobs: number[] } | undefined;
  let scored: { completion_token_ids: number[]; token_logprobs: number[] } | undefined;
  const input = join(dir, 'pairs.jsonl');
  for (let seed = 0; seed < 40 && !scored; seed++) {
    const gen = capture();
    await generateCommand.run(['--model', model, '--prompt', 'she ran', '--max-tokens', '3', '--seed', String(seed), '--backend', 'wasm', '--json'], gen);
    const cand = JSON.parse(gen.out[0] as string) as { text: string; token_ids: number[]; token_logprobs: number[] };
    if (cand.text.length === 0) continue;
    await writeFile(input, `${JSON.stringify({ prompt: 'she ran', completion: cand.text })}\n`);
    const io = capture();
    assert.equal(await scoreCommand.run(['--model', model, '--input', input, '--backend', 'wasm'], io), 0);
    const row = JSON.parse(io.out[0] as string) as { completion_token_ids: number[]; token_logprobs: number[] };
    if (row.completion_token_ids.join() === cand.token_ids.join()) {
      g = cand;
      scored = row;
    }
  }
  assert.ok(g && scored, 'no seed in 0..39 gave a completion that re-tokenises to its sampled ids');
  scored.token_logprobs.forEach((x, i) => assert.ok(Math.abs(x - (g.token_logprobs[i] as number)) < 1e-4, `token ${i}: score ${x} vs generate ${g.token_logprobs[i]}`));
});

test('model score tokenises prompt and completion separately, keeps extra fields, and writes --output', async () => {
  const input = join(dir, 'pairs2.jsonl');
  // "the " + "a": joined, byte-level BPE merges " a" into one token; tokenised separately it is "Ġ" then "a".
  await writeFile(input, `${JSON.stringify({ prompt: 'the ', completion: 'a', id: 7 })}\n${JSON.stringify({ prompt: 'x', completion: '' })}\n`);
  const io = capture();
  const out = join(dir, 'scored.jsonl');
  assert.equal(await scoreCommand.run(['--model', model, '--input', input, '--output', out, '--backend', 'wasm'], io), 0);
  const rows = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id?: number; prompt_token_ids: number[]; completion_token_ids: number[]; token_logprobs: number[]; sum_logprob: number });
  assert.equal(rows.length, 2);
  assert.equal(rows[0]?.id, 7);
  const { loadPolicy } = await import('../trainer/policy/policy.js');
  const policy = await loadPolicy(model, { backend: 'wasm', trainable: false, log: () => {} });
  const joined = policy.tokenizer.encode('the a', { addSpecialTokens: true });
  const p = policy.tokenizer.encode('the ', { addSpecialTokens: true });
  assert.deepEqual(rows[0]?.prompt_token_ids, p);
  assert.deepEqual(rows[0]?.completion_token_ids, [97]);
  assert.notDeepEqual([...p, 97], joined, 'the fixture must tokenise differently when joined');
  const [lp] = await policy.tokenLogprobs([{ ids: [...p, 97], start: p.length }]);
  policy.dispose();
  assert.equal(rows[0]?.token_logprobs.length, 1);
  assert.ok(Math.abs((rows[0]?.token_logprobs[0] as number) - (lp?.[0] as number)) < 1e-6);
  assert.ok(Math.abs((rows[0]?.sum_logprob as number) - (rows[0]?.token_logprobs[0] as number)) < 1e-9);
  assert.deepEqual(rows[1]?.token_logprobs, []);
  assert.equal(rows[1]?.sum_logprob, 0);
  assert.match(io.err.join('\n'), /scored 2\/2/);
  await writeFile(input, '{"prompt": 3}\n');
  await assert.rejects(scoreCommand.run(['--model', model, '--input', input], capture()), /line 1 needs string fields "prompt" and "completion"/);
});
