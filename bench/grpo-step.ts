/**
 * The tfjs learner's throughput and memory: which backend `auto` picks here (and why the faster
 * ones were skipped); generation and GRPO-step throughput of a tiny model on each backend that
 * starts; one train step of the Qwen2.5-0.5B shape (d 896, 14 heads / 2 KV heads, FFN 4864,
 * vocab 151,936, tied) with 1 of its 24 layers on wasm; and, with `--memory`, the peak tensor
 * memory of one train step on batch 2 × 512 tokens (256 prompt + 256 completion tokens each) with
 * 1 and with all 24 layers, each in a child process with a time limit.
 *
 *   node --import tsx bench/grpo-step.ts [--backends tensorflow,webgpu,wasm,cpu] [--skip-tiny] [--skip-large]
 *       [--memory] [--memory-backend cpu] [--memory-layers 1,24] [--memory-timeout 900] [--checkpoint] [--memory-dry]
 *
 * Peak tensor memory is tfjs's own byte count of live tensors, read after every kernel
 * (`peak-memory.ts`): the fullest moment of the step, weights, gradients and Adam slots included.
 * The count depends only on tensor shapes, so `--memory-dry` measures it with shape-only matmuls
 * (`shape-only-matmul.ts`), which the cpu backend gets through in minutes where the real products
 * take hours at 24 layers; running both on 1 layer checks that the two peaks agree.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { writeJsonAtomic } from '../core/atomic-write.js';
import { Rng } from '../core/rng.js';
import { writeTinyModel } from '../testing/tiny-model.js';
import { selectBackend, type BackendName } from '../trainer/backend.js';
import { loadPolicy, type Policy } from '../trainer/policy/policy.js';
import { saveSafetensorsDir, type TensorMap } from '../trainer/safetensors.js';
import { createOptimizer, trainStep, type GrpoSample } from '../trainer/train-step.js';
import { peakTensorBytes } from './peak-memory.js';
import { useShapeOnlyMatMul } from './shape-only-matmul.js';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'tensorflow,webgpu,wasm,cpu' },
    'skip-large': { type: 'boolean', default: false },
    'skip-tiny': { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    'memory-backend': { type: 'string', default: 'cpu' },
    'memory-layers': { type: 'string', default: '1,24' },
    'memory-timeout': { type: 'string', default: '900' },
    checkpoint: { type: 'boolean', default: false },
    /** Shape-only matmuls (bench/shape-only-matmul.ts): the same peak, minutes instead of hours on cpu. */
    'memory-dry': { type: 'boolean', default: false },
    /** Internal: run one memory measurement with this many layers and print its JSON. */
    'memory-child': { type: 'string' },
  },
});

interface Shape {
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  inter: number;
  vocab: number;
}
const QWEN05: Omit<Shape, 'layers'> = { hidden: 896, heads: 14, kvHeads: 2, inter: 4864, vocab: 151936 };

/**
 * A random checkpoint of `s` (the tiny fixture's tokenizer, bigger weights, bf16 on disk). The
 * values repeat a 1M-value random block: the timing and memory do not depend on them, and drawing
 * 494M values one by one would take minutes.
 */
async function writeShape(dir: string, s: Shape): Promise<void> {
  const info = await writeTinyModel(dir, { seed: 0 });
  const rng = Rng.fromSeed(1);
  const block = Float32Array.from({ length: 1 << 20 }, () => (rng.next() * 2 - 1) * 0.02 * 1.732);
  const tensors: TensorMap = new Map();
  const hd = s.hidden / s.heads;
  const add = (name: string, shape: number[], ones = false): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (ones) data.fill(1);
    else for (let o = 0; o < n; o += block.length) data.set(block.subarray(0, Math.min(block.length, n - o)), o);
    tensors.set(name, { shape, data, dtype: 'BF16' });
  };
  add('model.embed_tokens.weight', [s.vocab, s.hidden]);
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}`;
    add(`${p}.self_attn.q_proj.weight`, [s.heads * hd, s.hidden]);
    add(`${p}.self_attn.k_proj.weight`, [s.kvHeads * hd, s.hidden]);
    add(`${p}.self_attn.v_proj.weight`, [s.kvHeads * hd, s.hidden]);
    add(`${p}.self_attn.q_proj.bias`, [s.heads * hd]);
    add(`${p}.self_attn.k_proj.bias`, [s.kvHeads * hd]);
    add(`${p}.self_attn.v_proj.bias`, [s.kvHeads * hd]);
    add(`${p}.self_attn.o_proj.weight`, [s.hidden, s.heads * hd]);
    add(`${p}.mlp.gate_proj.weight`, [s.inter, s.hidden]);
    add(`${p}.mlp.up_proj.weight`, [s.inter, s.hidden]);
    add(`${p}.mlp.down_proj.weight`, [s.hidden, s.inter]);
    add(`${p}.input_layernorm.weight`, [s.hidden], true);
    add(`${p}.post_attention_layernorm.weight`, [s.hidden], true);
  }
  add('model.norm.weight', [s.hidden], true);
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

/** `batch` samples of `prompt` + `completion` random byte-range ids with made-up sampler logprobs. */
function samples(batch: number, prompt: number, completion: number, seed: number): GrpoSample[] {
  const rng = Rng.fromSeed(seed);
  const ids = (n: number): number[] => Array.from({ length: n }, () => 1 + rng.int(255));
  return Array.from({ length: batch }, (_, i) => ({
    promptIds: ids(prompt),
    completionIds: ids(completion),
    oldLogprobs: Array.from({ length: completion }, () => -12 + rng.next()),
    advantage: i % 2 ? -1 : 1,
  }));
}

const params = (p: Policy): number => [...p.weights.values()].reduce((a, v) => a + v.size, 0);
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** One train step of `layers` layers of the 0.5B shape on 2 × 512 tokens; prints one JSON line. */
async function memoryChild(layers: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-mem-'));
  try {
    const t0 = performance.now();
    await writeShape(dir, { ...QWEN05, layers });
    const policy = await loadPolicy(dir, { backend: args['memory-backend'] as BackendName, log: () => {} });
    if (args['memory-dry']) useShapeOnlyMatMul(policy.backend);
    const loadSec = (performance.now() - t0) / 1000;
    const optimizer = createOptimizer({ learningRate: 1e-5 });
    const batch = samples(2, 256, 256, 4);
    const t1 = performance.now();
    // β = 0: no reference copy (it would add one more set of weights); one micro-batch of 2.
    const { result: m, peakBytes } = await peakTensorBytes(() => trainStep(policy, null, batch, optimizer, { beta: 0, microBatchSize: 2, checkpoint: args.checkpoint }));
    const out = { layers, dry: args['memory-dry'], backend: policy.backend, params: params(policy), loadSec, stepSec: (performance.now() - t1) / 1000, peakBytes, rssBytes: process.memoryUsage().rss, loss: m['losses/loss'] };
    console.log(JSON.stringify(out));
    optimizer.dispose();
    policy.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (args['memory-child']) {
  await memoryChild(Number(args['memory-child']));
  process.exit(0);
}

// 1. What `auto` picks here, with its log line.
const lines: string[] = [];
const auto = await selectBackend('auto', { log: (l) => lines.push(l) });
console.log(lines.join('\n') || `[exitgym] tfjs backend: ${auto.backend}`);

// 2. The tiny model on every backend that starts.
const tinyBackends = args['skip-tiny'] ? [] : ((args.backends ?? '').split(',') as BackendName[]);
console.log('\n| tiny model (27k params) | gen tokens/s (8 × 32) | train tokens/s (8 × 48) | train step s |');
console.log('|---|---|---|---|');
const tinyDir = await mkdtemp(join(tmpdir(), 'exitgym-bench-'));
await writeTinyModel(tinyDir, { seed: 0 });
for (const b of tinyBackends) {
  try {
    await selectBackend(b, { strict: true, log: () => {} });
  } catch (e) {
    console.log(`| ${b} | skipped: ${(e as Error).message.split('\n')[0]} | | |`);
    continue;
  }
  const policy = await loadPolicy(tinyDir, { backend: b, log: () => {} });
  const prompts = samples(8, 16, 0, 2).map((s) => ({ promptIds: s.promptIds }));
  const genOpts = { maxTokens: 32, temperature: 1, seed: 3, stopAtEos: false };
  await policy.generate(prompts.slice(0, 1), { ...genOpts, maxTokens: 2 }); // warm-up
  let t0 = performance.now();
  const gens = await policy.generate(prompts, genOpts);
  const genSec = (performance.now() - t0) / 1000;
  const batch: GrpoSample[] = gens.map((g, i) => ({ promptIds: g.promptIds, completionIds: g.tokenIds, oldLogprobs: g.logprobs, advantage: i % 2 ? 1 : -1 }));
  const optimizer = createOptimizer({ learningRate: 1e-5 });
  await trainStep(policy, null, batch, optimizer, { beta: 0 }); // warm-up: Adam slots, kernel set-up
  t0 = performance.now();
  const m = await trainStep(policy, null, batch, optimizer, { beta: 0 });
  const stepSec = (performance.now() - t0) / 1000;
  console.log(`| ${policy.backend} | ${((8 * 32) / genSec).toFixed(0)} | ${(m['perf/tokens'] / stepSec).toFixed(0)} | ${stepSec.toFixed(3)} |`);
  optimizer.dispose();
  policy.dispose();
}
await rm(tinyDir, { recursive: true, force: true });

// 3. The 0.5B shape with 1 layer: one train step on wasm.
if (!args['skip-large']) {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-bench-'));
  await writeShape(dir, { ...QWEN05, layers: 1 });
  const policy = await loadPolicy(dir, { backend: 'wasm', log: () => {} });
  const optimizer = createOptimizer({ learningRate: 1e-5 });
  const batch = samples(2, 64, 64, 5);
  const note = (what: string): void => void process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${what}\n`);
  note('0.5B shape written and loaded; generating');
  const gen0 = performance.now();
  await policy.generate(batch.map((s) => ({ promptIds: s.promptIds })), { maxTokens: 8, seed: 1, stopAtEos: false });
  const genSec = (performance.now() - gen0) / 1000;
  note('train step');
  const t0 = performance.now();
  let m: Awaited<ReturnType<typeof trainStep>> | undefined;
  let error: string | undefined;
  const prof = await peakTensorBytes(async () => {
    try {
      m = await trainStep(policy, null, batch, optimizer, { beta: 0, microBatchSize: 2 });
    } catch (e) {
      error = (e as Error).message.split('\n')[0];
    }
  });
  const stepSec = (performance.now() - t0) / 1000;
  console.log(`\n0.5B shape, 1/24 layers (${(params(policy) / 1e6).toFixed(0)}M params) on ${policy.backend}: generation ${((2 * 8) / genSec).toFixed(1)} tokens/s (2 × 8 after a 64-token prompt)`);
  console.log(
    error
      ? `  train step (2 × 128 tokens, Adam) FAILED: ${error}`
      : `  train step (2 × 128 tokens, 2 × 64 loss tokens, Adam): ${stepSec.toFixed(1)} s, peak tensor memory ${mb(prof.peakBytes)}, loss ${m?.['losses/loss'].toFixed(4)}`,
  );
  optimizer.dispose();
  policy.dispose();
  await rm(dir, { recursive: true, force: true });
}

// 4. Peak tensor memory of one step on 2 × 512 tokens, 1 and 24 layers, each in a child process.
if (args.memory) {
  const timeoutSec = Number(args['memory-timeout']);
  console.log(`\npeak tensor memory, one train step, batch 2 × 512 tokens (2 × 256 loss tokens), Adam, ${args['memory-backend']}${args.checkpoint ? ', checkpointed layers' : ''}${args['memory-dry'] ? ', shape-only matmuls (step time not meaningful)' : ''}:`);
  for (const layers of (args['memory-layers'] ?? '').split(',').map(Number)) {
    const t0 = performance.now();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, process.argv[1] as string, '--memory-child', String(layers), '--memory-backend', args['memory-backend'] as string, ...(args.checkpoint ? ['--checkpoint'] : []), ...(args['memory-dry'] ? ['--memory-dry'] : [])], {
        timeout: timeoutSec * 1000,
        maxBuffer: 1 << 20,
      });
      const r = JSON.parse(stdout.trim().split('\n').pop() as string) as { params: number; loadSec: number; stepSec: number; peakBytes: number; rssBytes: number };
      console.log(`  ${layers} layer(s), ${(r.params / 1e6).toFixed(0)}M params: peak ${mb(r.peakBytes)} (RSS ${mb(r.rssBytes)}), step ${r.stepSec.toFixed(0)} s (+ ${r.loadSec.toFixed(0)} s to write and load)`);
    } catch (e) {
      const err = e as { killed?: boolean; signal?: string; stderr?: string; message: string };
      const why = err.killed ? `did not finish within --memory-timeout ${timeoutSec} s (killed by ${err.signal})` : `failed: ${(err.stderr ?? err.message).trim().split('\n').slice(-3).join(' | ')}`;
      console.log(`  ${layers} layer(s): ${why}, after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
}
