import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../../testing/tiny-model.js';
import { loadSafetensorsDir } from '../safetensors.js';
import { tf } from '../backend.js';
import { causalInputs, type KvCache } from './model.js';
import { loadPolicy, type Policy } from './policy.js';

const quiet = { backend: 'wasm' as const, log: () => {} };

async function tiny(opts: Parameters<typeof writeTinyModel>[1] = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-tiny-'));
  await writeTinyModel(dir, { seed: 1, ...opts });
  return dir;
}

/** Every logit `[T, V]` of one token sequence (no cache), as plain numbers. */
function logitsOf(p: Policy, ids: number[]): Float32Array {
  const t = ids.length;
  const { positions, mask } = causalInputs([0], 0, t);
  const logits = tf.tidy(() => p.forward({ ids: tf.tensor2d(ids, [1, t], 'int32'), positions: tf.tensor2d(positions, [1, t], 'int32'), mask: tf.tensor4d(mask, [1, 1, t, t]) }).logits);
  const out = logits.dataSync() as Float32Array;
  logits.dispose();
  return out;
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

test('save → reload gives identical logits (f32, sharded bf16, f16, untied llama, qwen3) and a complete folder', async () => {
  const variants: Parameters<typeof writeTinyModel>[1][] = [
    {},
    { dtype: 'BF16', maxShardBytes: 8000 },
    { dtype: 'F16' },
    { modelType: 'llama', tieWordEmbeddings: false },
    { modelType: 'qwen3', headDim: 16 },
  ];
  for (const opts of variants) {
    const p = await loadPolicy(await tiny(opts), quiet);
    const before = logitsOf(p, SEQ);
    assert.equal(before.length, SEQ.length * p.config.vocabSize);
    const out = await mkdtemp(join(tmpdir(), 'exitgym-saved-'));
    await p.save(out, opts?.maxShardBytes ? { maxShardBytes: opts.maxShardBytes } : {});
    const files = await readdir(out);
    for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) assert.ok(files.includes(f), `${f} saved`);
    if (opts?.maxShardBytes) assert.ok(files.includes('model.safetensors.index.json'));
    // Each tensor is written back in the dtype it was read in.
    const saved = await loadSafetensorsDir(out);
    for (const t of saved.values()) assert.equal(t.dtype, opts?.dtype ?? 'F32');
    const q = await loadPolicy(out, quiet);
    assert.deepEqual(logitsOf(q, SEQ), before, JSON.stringify(opts));
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

test('KV-cached decoding gives the same logits as the uncached forward pass, every position, left-padded batch', async () => {
  const p = await loadPolicy(await tiny({ embedStd: 0.5 }), quiet);
  const rows = [SEQ, SEQ.slice(4, 10), SEQ.slice(0, 8)];
  const b = rows.length;
  const t = Math.max(...rows.map((r) => r.length));
  const pad = rows.map((r) => t - r.length);
  const flat = new Int32Array(b * t);
  rows.forEach((r, i) => flat.set(r, i * t + (pad[i] as number)));
  const V = p.config.vocabSize;
  const full = causalInputs(pad, 0, t);
  const uncached = tf.tidy(() =>
    p.forward({ ids: tf.tensor2d(flat, [b, t], 'int32'), positions: tf.tensor2d(full.positions, [b, t], 'int32'), mask: tf.tensor4d(full.mask, [b, 1, t, t]) }).logits,
  );
  const want = uncached.dataSync();
  uncached.dispose();
  // Prefill 7 positions (row 1 is still padding for some), then one token per step through the cache.
  const pre = 7;
  const column = (s0: number, n: number): Int32Array => {
    const out = new Int32Array(b * n);
    for (let i = 0; i < b; i++) out.set(flat.subarray(i * t + s0, i * t + s0 + n), i * n);
    return out;
  };
  const before = tf.memory().numTensors;
  let cache: KvCache = { keys: [], values: [] };
  let worst = 0;
  for (let s0 = 0; s0 < t; ) {
    const n = s0 === 0 ? pre : 1;
    const inp = causalInputs(pad, s0, n);
    const prev = cache;
    const out = tf.tidy(() => {
      const o = p.forward({ ids: tf.tensor2d(column(s0, n), [b, n], 'int32'), positions: tf.tensor2d(inp.positions, [b, n], 'int32'), mask: tf.tensor4d(inp.mask, [b, 1, n, s0 + n]), cache: prev });
      return { logits: o.logits, keys: o.cache?.keys ?? [], values: o.cache?.values ?? [] };
    });
    tf.dispose([...prev.keys, ...prev.values]);
    cache = { keys: out.keys, values: out.values };
    const got = out.logits.dataSync();
    out.logits.dispose();
    for (let i = 0; i < b; i++) {
      for (let q = 0; q < n; q++) {
        // Padding positions' outputs are ignored by the model; compare real tokens only.
        if (s0 + q < (pad[i] as number)) continue;
        for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs((got[(i * n + q) * V + v] as number) - (want[(i * t + s0 + q) * V + v] as number)));
      }
    }
    s0 += n;
  }
  tf.dispose([...cache.keys, ...cache.values]);
  assert.equal(tf.memory().numTensors, before, 'the cached loop frees what it made');
  assert.ok(worst < 1e-4, `cached vs uncached logits differ by ${worst}`);
  p.dispose();
});

test('tensors the config does not describe are refused, not silently ignored; tied lm_head copies are allowed', async () => {
  const dir = await tiny();
  const { saveSafetensorsDir } = await import('../safetensors.js');
  const tensors = await loadSafetensorsDir(dir);
  tensors.set('model.layers.0.self_attn.q_norm.weight', { shape: [8], data: new Float32Array(8).fill(1), dtype: 'F32' });
  await saveSafetensorsDir(dir, tensors);
  await assert.rejects(loadPolicy(dir, quiet), /1 tensor\(s\) the qwen2 decoder does not use, e\.g\. model\.layers\.0\.self_attn\.q_norm\.weight/);
  tensors.delete('model.layers.0.self_attn.q_norm.weight');
  const embed = tensors.get('model.embed_tokens.weight');
  assert.ok(embed);
  tensors.set('lm_head.weight', embed);
  tensors.set('model.layers.0.self_attn.rotary_emb.inv_freq', { shape: [4], data: new Float32Array(4), dtype: 'F32' });
  await saveSafetensorsDir(dir, tensors);
  const p = await loadPolicy(dir, quiet);
  p.dispose();
});

test('past a length limit (dynamic NTK threshold) scoring refuses and generation ends with length', async () => {
  const p = await loadPolicy(await tiny({ ropeScaling: { type: 'dynamic', factor: 2 }, extraConfig: { max_position_embeddings: 12 } }), quiet);
  assert.equal(p.config.lengthLimit?.tokens, 12);
  await assert.rejects(p.tokenLogprobs([{ ids: SEQ, start: 1 }]), /scoring: a sequence of 13 tokens is longer than 12: dynamic NTK RoPE scaling/);
  assert.equal((await p.tokenLogprobs([{ ids: SEQ.slice(0, 12), start: 1 }]))[0]?.length, 11);
  const [g] = await p.generate([{ promptIds: SEQ.slice(0, 9) }], { maxTokens: 10, seed: 1, stopAtEos: false });
  // 9 prompt tokens + 3 fed samples = 12 tokens through the model; the 4th sample needs no forward pass.
  assert.equal(g?.tokenIds.length, 4);
  assert.equal(g?.finishReason, 'length');
  await assert.rejects(p.generate([{ promptIds: SEQ }], { maxTokens: 2 }), /generate: a sequence of 13 tokens is longer than 12/);
  p.dispose();
});
