/**
 * Generation and GRPO-step throughput of the tfjs policy, and peak tensor memory, for a tiny config
 * and for the shape of a ~0.5B model (Qwen2.5-0.5B: d 896, 14 heads / 2 KV heads, FFN 4864,
 * vocab 151,936, tied), on each backend that starts here.
 *
 *   node --import tsx bench/grpo-step.ts [--backends wasm,cpu] [--layers N] [--skip-large] [--optimizer adam|sgd]
 *
 * The 0.5B shape runs with `--layers` of its 24 layers (default 1) so it fits wasm's 4 GB heap
 * and a shared 2-core machine; per-token costs of the full model scale with the layer count plus
 * the fixed embedding/head cost, which dominates at 1 layer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeJsonAtomic } from '../core/atomic-write.js';
import { Rng } from '../core/rng.js';
import { writeTinyModel } from '../testing/tiny-model.js';
import { selectBackend, tf, type BackendName } from '../trainer/backend.js';
import { loadPolicy } from '../trainer/policy/policy.js';
import { saveSafetensorsDir, type TensorMap } from '../trainer/safetensors.js';
import { createOptimizer, trainStep, type GrpoSample } from '../trainer/train-step.js';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'tensorflow,webgpu,wasm,cpu' },
    layers: { type: 'string', default: '1' },
    'skip-large': { type: 'boolean', default: false },
    optimizer: { type: 'string', default: 'adam' },
  },
});

interface Shape {
  name: string;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  inter: number;
  vocab: number;
  batch: number;
  promptLen: number;
  newTokens: number;
}

const TINY: Shape = { name: 'tiny (d32, 2 layers, vocab 271)', hidden: 32, layers: 2, heads: 4, kvHeads: 2, inter: 64, vocab: 271, batch: 8, promptLen: 16, newTokens: 32 };
const LARGE_LAYERS = Number(args.layers);
const LARGE: Shape = { name: `0.5B shape (d896, ${LARGE_LAYERS}/24 layers, vocab 151936)`, hidden: 896, layers: LARGE_LAYERS, heads: 14, kvHeads: 2, inter: 4864, vocab: 151936, batch: 2, promptLen: 16, newTokens: 16 };

/** Writes a random checkpoint of `shape` (the tiny fixture's tokenizer, bigger weights), in bf16 to save disk. */
async function writeShape(dir: string, s: Shape): Promise<void> {
  const info = await writeTinyModel(dir, { seed: 0 });
  if (s.vocab === info.vocabSize && s.hidden === 32) return;
  const rng = Rng.fromSeed(1);
  const tensors: TensorMap = new Map();
  const hd = s.hidden / s.heads;
  const add = (name: string, shape: number[], scale: number, ones = false): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    // Uniform with the std of N(0, scale²): cheaper than normals for 10⁸ values, same for timing.
    for (let i = 0; i < n; i++) data[i] = ones ? 1 : (rng.next() * 2 - 1) * scale * 1.732;
    tensors.set(name, { shape, data, dtype: 'BF16' });
  };
  add('model.embed_tokens.weight', [s.vocab, s.hidden], 0.02);
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}`;
    add(`${p}.self_attn.q_proj.weight`, [s.heads * hd, s.hidden], 0.02);
    add(`${p}.self_attn.k_proj.weight`, [s.kvHeads * hd, s.hidden], 0.02);
    add(`${p}.self_attn.v_proj.weight`, [s.kvHeads * hd, s.hidden], 0.02);
    add(`${p}.self_attn.q_proj.bias`, [s.heads * hd], 0.02);
    add(`${p}.self_attn.k_proj.bias`, [s.kvHeads * hd], 0.02);
    add(`${p}.self_attn.v_proj.bias`, [s.kvHeads * hd], 0.02);
    add(`${p}.self_attn.o_proj.weight`, [s.hidden, s.heads * hd], 0.02);
    add(`${p}.mlp.gate_proj.weight`, [s.inter, s.hidden], 0.02);
    add(`${p}.mlp.up_proj.weight`, [s.inter, s.hidden], 0.02);
    add(`${p}.mlp.down_proj.weight`, [s.hidden, s.inter], 0.02);
    add(`${p}.input_layernorm.weight`, [s.hidden], 0, true);
    add(`${p}.post_attention_layernorm.weight`, [s.hidden], 0, true);
  }
  add('model.norm.weight', [s.hidden], 0, true);
  await saveSafetensorsDir(dir, tensors);
  await writeJsonAtomic(join(dir, 'config.json'), {
    ...info.config,
    vocab_size: s.vocab,
    hidden_size: s.hidden,
    intermediate_size: s.inter,
    num_hidden_layers: s.layers,
    num_attention_heads: s.heads,
    num_key_value_heads: s.kvHeads,
    rope_theta: 1000000,
    torch_dtype: 'bfloat16',
  });
}

interface Row {
  shape: string;
  backend: BackendName;
  params: number;
  genTokensPerSec: number;
  trainTokensPerSec: number | null;
  trainStepSec: number | null;
  peakTensorMB: number | null;
  trainError?: string;
  rssMB: number;
}

async function benchOne(dir: string, s: Shape, backend: BackendName): Promise<Row> {
  const policy = await loadPolicy(dir, { backend, log: () => {} });
  const params = [...policy.weights.values()].reduce((a, v) => a + v.size, 0);
  const rng = Rng.fromSeed(2);
  const prompts = Array.from({ length: s.batch }, () => ({ promptIds: Array.from({ length: s.promptLen }, () => rng.int(256)) }));
  const genOpts = { maxTokens: s.newTokens, temperature: 1, seed: 3, stopAtEos: false };
  await policy.generate(prompts.slice(0, 1), { ...genOpts, maxTokens: 2 }); // warm-up (kernel setup)
  let t0 = performance.now();
  const gens = await policy.generate(prompts, genOpts);
  const genSec = (performance.now() - t0) / 1000;
  const generated = gens.reduce((a, g) => a + g.tokenIds.length, 0);
  const row: Row = { shape: s.name, backend, params, genTokensPerSec: generated / genSec, trainTokensPerSec: null, trainStepSec: null, peakTensorMB: null, rssMB: 0 };
  process.stderr.write(`    generation: ${row.genTokensPerSec.toFixed(1)} tokens/s\n`);
  const optimizer = args.optimizer === 'sgd' ? tf.train.sgd(1e-5) : createOptimizer({ learningRate: 1e-5 });
  const batch: GrpoSample[] = gens.map((g, i) => ({ promptIds: g.promptIds, completionIds: g.tokenIds, oldLogprobs: g.logprobs, advantage: i % 2 ? 1 : -1 }));
  // β = 0 so the step holds one model (a reference copy would double weight memory).
  const cfg = { beta: 0, microBatchSize: s.batch };
  try {
    await trainStep(policy, null, batch, optimizer, cfg); // first step: optimiser slots, kernel setup
    t0 = performance.now();
    let metrics: Awaited<ReturnType<typeof trainStep>> | undefined;
    const prof = await tf.profile(async () => {
      metrics = await trainStep(policy, null, batch, optimizer, cfg);
    });
    const stepSec = (performance.now() - t0) / 1000;
    row.trainTokensPerSec = (metrics?.['perf/tokens'] ?? 0) / stepSec;
    row.trainStepSec = stepSec;
    // peakBytes is tfjs's absolute tensor total after the fullest kernel (weights and optimiser
    // slots included), so it is the step's peak as is.
    row.peakTensorMB = prof.peakBytes / 2 ** 20;
  } catch (e) {
    row.trainError = (e as Error).message.split('\n')[0];
  }
  row.rssMB = process.memoryUsage().rss / 2 ** 20;
  optimizer.dispose();
  policy.dispose();
  return row;
}

const rows: Row[] = [];
const skipped: string[] = [];
const shapes = args['skip-large'] ? [TINY] : [TINY, LARGE];
for (const s of shapes) {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-bench-'));
  process.stderr.write(`writing ${s.name} …\n`);
  await writeShape(dir, s);
  for (const b of (args.backends ?? '').split(',') as BackendName[]) {
    try {
      await selectBackend(b, { strict: true, log: () => {} });
    } catch (e) {
      if (s === TINY) skipped.push(`${b}: ${(e as Error).message}`);
      continue;
    }
    process.stderr.write(`  ${b} …\n`);
    try {
      const r = await benchOne(dir, s, b);
      rows.push(r);
      process.stderr.write(`  ${JSON.stringify(r)}\n`);
    } catch (e) {
      skipped.push(`${s.name} on ${b}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  await rm(dir, { recursive: true, force: true });
}

const fmt = (n: number | null, d = 1): string => (n === null ? '—' : n.toFixed(d));
console.log(`optimizer: ${args.optimizer}`);
console.log('| shape | backend | params | gen tokens/s | train tokens/s | train step s | peak tensor MB | RSS MB |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.shape} | ${r.backend} | ${(r.params / 1e6).toFixed(2)}M | ${fmt(r.genTokensPerSec)} | ${fmt(r.trainTokensPerSec)} | ${fmt(r.trainStepSec, 2)} | ${fmt(r.peakTensorMB)} | ${fmt(r.rssMB, 0)} |`);
for (const r of rows) if (r.trainError) console.log(`train step failed: ${r.shape} on ${r.backend}: ${r.trainError}`);
for (const s of skipped) console.log(`skipped: ${s}`);
