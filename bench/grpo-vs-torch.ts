/**
 * The tfjs learner side by side with PyTorch on the same small decoder (`bench/shapes.ts`: 2
 * layers, d 128, 4 heads, vocab 271), the same batch (8 sequences of 16 prompt + 112 completion
 * tokens = 128) and the same loss (clipped ratio against the sampler's logprobs, k3 KL against
 * given reference logprobs, per-sequence normaliser, grad-norm clip 1, Adam), in one run:
 * (a) one GRPO train step, (b) generating 8 × 112 tokens with a KV cache (sampling at
 * temperature 1, logprob of each sampled token kept). The PyTorch side is
 * `bench/reference/grpo_step.py` on Debian's `/usr/bin/python3` with `python3-torch`, 2 threads.
 *
 *   node --import tsx bench/grpo-vs-torch.ts [--backend wasm] [--repeats 3] [--skip-train] [--skip-generate] [--skip-torch] [--torch-threads 2] [--profile] [--no-native]
 *
 * On wasm, products go to the native BLAS when it is built (trainer/native-blas.ts; set
 * EXITGYM_BLAS_THREADS to match `--torch-threads`); `--no-native` measures tfjs's XNNPACK instead.
 *
 * On a machine shared with other work, PyTorch's 2 OpenMP threads spin-wait on each other and its
 * times balloon (measured 20× here); `--torch-threads 1` then gives the comparable figure.
 *
 * `--profile` prints the tfjs kernels that take the most time in one train step and in one decode step.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { Rng } from '../core/rng.js';
import { tf, type BackendName } from '../trainer/backend.js';
import { loadPolicy } from '../trainer/policy/policy.js';
import { createOptimizer, trainStep, type GrpoSample } from '../trainer/train-step.js';
import { describeNativeBlas } from '../trainer/native-blas.js';
import { nativeMatMulActive, setNativeMatMul } from '../trainer/wasm-matmul.js';
import { median, SMALL, writeSmallModel } from './shapes.js';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    repeats: { type: 'string', default: '3' },
    'skip-train': { type: 'boolean', default: false },
    'skip-generate': { type: 'boolean', default: false },
    'skip-torch': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
    'torch-threads': { type: 'string', default: '2' },
    'no-native': { type: 'boolean', default: false },
  },
});
const BATCH = 8;
const PROMPT = 16;
const NEW = 112;
const EPSILON = 0.2;
const BETA = 0.001;
const repeats = Number(args.repeats);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: kernel setup, optimiser slots
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** The kernels with the most total time while `fn` runs. */
async function topKernels(fn: () => Promise<unknown>, n = 12): Promise<string> {
  const prof = await tf.profile(async () => {
    await fn();
  });
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of prof.kernels) {
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls += 1;
    byName.set(k.name, e);
  }
  const total = [...byName.values()].reduce((a, e) => a + e.ms, 0);
  return [...byName.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, n)
    .map(([name, e]) => `    ${name.padEnd(22)} ${e.ms.toFixed(1).padStart(8)} ms ${((100 * e.ms) / total).toFixed(0).padStart(3)}%  ${e.calls} calls`)
    .join('\n');
}

const dir = await mkdtemp(join(tmpdir(), 'exitgym-vs-torch-'));
await writeSmallModel(dir);
const policy = await loadPolicy(dir, { backend: args.backend as BackendName, log: () => {} });
if (args['no-native']) setNativeMatMul(false);
const matmul = policy.backend !== 'wasm' ? '' : nativeMatMulActive() ? ` (${describeNativeBlas()})` : ' (matmul: XNNPACK)';
const params = [...policy.weights.values()].reduce((a, v) => a + v.size, 0);
const rng = Rng.fromSeed(1);
const seqs = Array.from({ length: BATCH }, () => Array.from({ length: PROMPT + NEW }, () => rng.int(SMALL.vocab)));
const [scored] = [await policy.tokenLogprobs(seqs.map((ids) => ({ ids, start: PROMPT })))];
const batch: GrpoSample[] = seqs.map((ids, i) => ({
  promptIds: ids.slice(0, PROMPT),
  completionIds: ids.slice(PROMPT),
  oldLogprobs: (scored[i] as number[]).map((l) => l + (rng.next() - 0.5) * 0.2),
  refLogprobs: (scored[i] as number[]).map((l) => l + (rng.next() - 0.5) * 0.2),
  advantage: i % 2 ? -1 : 1,
}));
const optimizer = createOptimizer({ learningRate: 1e-5 });
const stepConfig = { epsilon: EPSILON, beta: BETA, normaliser: 'grpo' as const, microBatchSize: BATCH, maxGradNorm: 1 };
const prompts = seqs.map((ids) => ({ promptIds: ids.slice(0, PROMPT) }));
const genOpts = { maxTokens: NEW, temperature: 1, seed: 3, stopAtEos: false };

const ours: { train?: number; generate?: number } = {};
if (!args['skip-train']) ours.train = await timed(() => trainStep(policy, null, batch, optimizer, stepConfig));
if (!args['skip-generate']) ours.generate = await timed(() => policy.generate(prompts, genOpts));
if (args.profile) {
  console.log(`tfjs ${policy.backend}: top kernels of one train step`);
  console.log(await topKernels(() => trainStep(policy, null, batch, optimizer, stepConfig)));
  console.log(`tfjs ${policy.backend}: top kernels of generating 8 × 16 tokens`);
  console.log(await topKernels(() => policy.generate(prompts, { ...genOpts, maxTokens: 16 })));
}
optimizer.dispose();
policy.dispose();
await rm(dir, { recursive: true, force: true });

let torch: { train_step_s?: number; generate_s?: number; torch?: string; params?: number } = {};
if (!args['skip-torch']) {
  const script = join(import.meta.dirname, 'reference', 'grpo_step.py');
  const flags = [
    ...['--threads', args['torch-threads'] as string, '--layers', SMALL.layers, '--hidden', SMALL.hidden, '--heads', SMALL.heads, '--kv-heads', SMALL.kvHeads, '--inter', SMALL.inter, '--vocab', SMALL.vocab],
    ...['--batch', BATCH, '--prompt', PROMPT, '--new', NEW, '--repeats', repeats, '--epsilon', EPSILON, '--beta', BETA],
    ...(args['skip-train'] ? ['--skip-train'] : []),
    ...(args['skip-generate'] ? ['--skip-generate'] : []),
  ].map(String);
  try {
    const { stdout } = await promisify(execFile)(args.python as string, [script, ...flags], { timeout: 600_000 });
    torch = JSON.parse(stdout.trim().split('\n').pop() as string) as typeof torch;
  } catch (e) {
    console.log(`PyTorch reference did not run (${(e as Error).message.split('\n')[0]}); install Debian's python3-torch, or pass --skip-torch.`);
  }
}

const row = (what: string, a: number | undefined, b: number | undefined, target: number): string =>
  a === undefined
    ? ''
    : `| ${what} | ${a.toFixed(3)} | ${b === undefined ? '—' : b.toFixed(3)} | ${b === undefined ? '—' : `${(a / b).toFixed(2)}×`} | ≤ ${target}× |`;
console.log(`small decoder: ${SMALL.layers} layers, d ${SMALL.hidden}, ${SMALL.heads} heads, vocab ${SMALL.vocab}; tfjs params ${params}, torch params ${torch.params ?? '—'} (torch ${torch.torch ?? '—'}); median of ${repeats}`);
console.log(`tfjs backend ${policy.backend}${matmul}`);
console.log(`| measurement | tfjs ${args.backend} s | PyTorch ${args['torch-threads']} thread(s) s | ratio | target |`);
console.log('|---|---|---|---|---|');
for (const line of [
  row(`GRPO train step (batch ${BATCH} × ${PROMPT + NEW} tokens)`, ours.train, torch.train_step_s, 3),
  row(`generate ${BATCH} × ${NEW} tokens (KV cache)`, ours.generate, torch.generate_s, 2),
]) {
  if (line) console.log(line);
}
