import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../../test/fixtures/tiny-model.js';
import { tf } from '../backend.js';
import { loadPolicy, type Policy } from './policy.js';

const quiet = { backend: 'wasm' as const, log: () => {} };

async function tiny(opts: Parameters<typeof writeTinyModel>[1] = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-tiny-'));
  await writeTinyModel(dir, { seed: 1, ...opts });
  return dir;
}

/** Full-sequence logits of a fixed token sequence, as plain numbers. */
async function logitsOf(p: Policy, ids: number[]): Promise<Float32Array> {
  const lp = await p.tokenLogprobs([{ ids, start: 1 }]);
  return Float32Array.from(lp[0] as number[]);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const SEQ = [269, 117, 115, 261, 10, 116, 257, 32, 99, 97, 116, 270, 10];

test('a tiny HF checkpoint loads; its chat template renders and tokenises', async () => {
  const p = await loadPolicy(await tiny(), quiet);
  assert.equal(p.backend, 'wasm');
  assert.equal(p.config.numLayers, 2);
  assert.deepEqual(p.config.eosTokenIds, [270, 268]);
  const text = p.tokenizer.applyChatTemplate([{ role: 'user', content: 'the cat' }]);
  assert.equal(text, '<|im_start|>user\nthe cat<|im_end|>\n<|im_start|>assistant\n');
  const ids = p.tokenizer.encode(text);
  assert.equal(ids[0], 269); // <|im_start|> is one token
  assert.equal(p.tokenizer.decode(ids, { skipSpecialTokens: false }), text);
  // Ids past the tokenizer (padding rows of a larger embedding) decode to nothing, not an error.
  assert.equal(p.tokenizer.decode([5000, 9999]), '');
  assert.equal(p.tokenizer.decode([]), '');
  p.dispose();
});

test('generation is deterministic for a seed, differs across seeds, and greedy ignores the seed', async () => {
  const p = await loadPolicy(await tiny({ embedStd: 0.3 }), quiet);
  const prompts = ['the cat', [{ role: 'user' as const, content: 'x1' }]];
  const a = await p.generate(prompts, { maxTokens: 8, seed: 5, stopAtEos: false });
  const b = await p.generate(prompts, { maxTokens: 8, seed: 5, stopAtEos: false });
  const c = await p.generate(prompts, { maxTokens: 8, seed: 6, stopAtEos: false });
  assert.deepEqual(a.map((g) => g.tokenIds), b.map((g) => g.tokenIds));
  assert.notDeepEqual(a.map((g) => g.tokenIds), c.map((g) => g.tokenIds));
  assert.equal(a[0]?.tokenIds.length, 8);
  assert.equal(a[0]?.finishReason, 'length');
  assert.equal(a[0]?.text, p.tokenizer.decode(a[0]?.tokenIds ?? []));
  const g1 = await p.generate(['the cat'], { maxTokens: 6, temperature: 0, seed: 1, stopAtEos: false });
  const g2 = await p.generate(['the cat'], { maxTokens: 6, temperature: 0, seed: 2, stopAtEos: false });
  assert.deepEqual(g1[0]?.tokenIds, g2[0]?.tokenIds);
  p.dispose();
});

test('cached generation logprobs equal uncached scoring; batched prompts of different lengths equal single ones', async () => {
  const p = await loadPolicy(await tiny({ embedStd: 0.3 }), quiet);
  const prompts = ['the cat sat on the mat', 'x1', 'she ran'];
  const batched = await p.generate(prompts, { maxTokens: 10, seed: 3, stopAtEos: false });
  const scored = await p.tokenLogprobs(batched.map((g) => ({ ids: [...g.promptIds, ...g.tokenIds], start: g.promptIds.length })));
  batched.forEach((g, i) => assert.ok(maxDiff(g.logprobs, scored[i] as number[]) < 1e-4, `prompt ${i}: cached vs uncached logprobs differ`));
  // Prompt i draws from fork(i), so a single-prompt call with the same index reproduces row 0.
  const single = await p.generate([prompts[0] as string], { maxTokens: 10, seed: 3, stopAtEos: false });
  assert.deepEqual(single[0]?.tokenIds, batched[0]?.tokenIds);
  assert.ok(maxDiff(single[0]?.logprobs ?? [], batched[0]?.logprobs ?? []) < 1e-4);
  // Greedy rows of a padded batch match greedy single runs.
  const greedy = await p.generate(prompts, { maxTokens: 6, temperature: 0, stopAtEos: false });
  for (let i = 0; i < prompts.length; i++) {
    const one = await p.generate([prompts[i] as string], { maxTokens: 6, temperature: 0, stopAtEos: false });
    assert.deepEqual(one[0]?.tokenIds, greedy[i]?.tokenIds, `greedy row ${i}`);
  }
  p.dispose();
});

test('stop strings cut the text and end the completion; eos ends it; token-id prompts pass through', async () => {
  const p = await loadPolicy(await tiny({ embedStd: 0.3 }), quiet);
  const free = await p.generate(['the'], { maxTokens: 12, seed: 4, stopAtEos: false });
  const full = free[0]?.text ?? '';
  assert.ok(full.length >= 3);
  const stop = full.slice(2, 3);
  const cut = await p.generate(['the'], { maxTokens: 12, seed: 4, stopAtEos: false, stop: [stop] });
  const g = cut[0];
  assert.equal(g?.finishReason, 'stop');
  assert.equal(g?.stopReason, stop);
  assert.equal(g?.text, full.slice(0, full.indexOf(stop)));
  assert.ok(!g?.text.includes(stop));
  // The triggering token is kept in tokenIds (the trainer trains on what was sampled).
  assert.ok(p.tokenizer.decode(g?.tokenIds ?? []).includes(stop));
  // Make the first sampled token an eos: a prompt of ids whose greedy next token we then declare eos.
  const greedy = await p.generate([{ promptIds: [97, 98] }], { maxTokens: 3, temperature: 0, stopAtEos: false });
  assert.deepEqual(greedy[0]?.promptIds, [97, 98]);
  const first = greedy[0]?.tokenIds[0] as number;
  p.config.eosTokenIds.push(first);
  const ended = await p.generate([{ promptIds: [97, 98] }], { maxTokens: 3, temperature: 0 });
  assert.deepEqual(ended[0]?.tokenIds, [first]);
  assert.equal(ended[0]?.finishReason, 'stop');
  assert.equal(ended[0]?.stopReason, first);
  p.dispose();
});

test('save → reload gives identical logits (f32, sharded bf16, untied llama) and a complete folder', async () => {
  for (const opts of [{}, { dtype: 'BF16' as const, maxShardBytes: 8000 }, { modelType: 'llama' as const, tieWordEmbeddings: false }]) {
    const p = await loadPolicy(await tiny(opts), quiet);
    const before = await logitsOf(p, SEQ);
    const out = await mkdtemp(join(tmpdir(), 'exitgym-saved-'));
    await p.save(out, 'maxShardBytes' in opts ? { maxShardBytes: opts.maxShardBytes } : {});
    const files = await readdir(out);
    for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) assert.ok(files.includes(f), `${f} saved`);
    if ('maxShardBytes' in opts) assert.ok(files.includes('model.safetensors.index.json'));
    const q = await loadPolicy(out, quiet);
    assert.deepEqual(await logitsOf(q, SEQ), before, JSON.stringify(opts));
    p.dispose();
    q.dispose();
  }
});

test('generation and scoring release every tensor', async () => {
  const p = await loadPolicy(await tiny(), quiet);
  await p.generate(['the cat', 'x'], { maxTokens: 4, seed: 1 }); // warm-up
  const before = tf.memory().numTensors;
  await p.generate(['the cat', 'x', 'she ran'], { maxTokens: 6, seed: 2, stop: ['zz'] });
  await p.tokenLogprobs([{ ids: SEQ, start: 3 }]);
  assert.equal(tf.memory().numTensors, before);
  const clone = p.clone();
  assert.equal(tf.memory().numTensors, before + p.weights.size + 1);
  clone.dispose();
  assert.equal(tf.memory().numTensors, before);
  p.dispose();
});

test('a checkpoint that does not match its config fails with a message naming the tensor', async () => {
  const dir = await tiny();
  const { writeJsonAtomic } = await import('../../core/atomic-write.js');
  const { readFile } = await import('node:fs/promises');
  const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  await writeJsonAtomic(join(dir, 'config.json'), { ...cfg, num_hidden_layers: 3 });
  await assert.rejects(loadPolicy(dir, quiet), /lacks \d+ tensor\(s\) its config\.json needs, e\.g\. model\.layers\.2\./);
  await writeJsonAtomic(join(dir, 'config.json'), { ...cfg, intermediate_size: 65 });
  await assert.rejects(loadPolicy(dir, quiet), /tensor "model\.layers\.0\.mlp\.down_proj\.weight" has shape \[32, 64\] but config\.json implies \[32, 65\]/);
  await assert.rejects(loadPolicy(join(dir, 'nope'), quiet), /no config\.json/);
});
