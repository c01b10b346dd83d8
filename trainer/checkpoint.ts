/**
 * Training checkpoints: one folder per checkpoint, `RUN_DIR/checkpoints/<iteration>/`, written
 * under a temporary name and renamed into place (a crash leaves the previous checkpoints intact
 * and at worst a `.tmp-*` folder, removed on the next start); the last two are kept.
 *
 *   policy/            the policy as a Hugging Face checkpoint, float32 (never rounded to bf16)
 *   reference/         θ_ref, float32 (when the run has a KL reference)
 *   optimizer.safetensors, optimizer.json   Adam's m and v per weight (by weight name), step count, β powers
 *   curriculum/        buffer + its index state (curriculum/persistence.ts)
 *   state.json         iteration, config hash, RNG states, data cursor, metrics lines written
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic-write.js';
import { ConfigError, ValidationError } from '../core/errors.js';
import type { RngState } from '../core/rng.js';
import { loadCurriculum, saveCurriculum } from '../curriculum/persistence.js';
import type { CurriculumState } from '../curriculum/episode-start.js';
import { tf } from './backend.js';
import { loadPolicy, type LoadPolicyOptions, type Policy } from './policy/policy.js';
import { readSafetensorsFile } from './safetensors.js';
import { writeSafetensorsFile, type TensorSource } from './safetensors-write.js';

/** What a checkpoint's state.json holds. */
export interface CheckpointState {
  kind: 'exitgym-train-checkpoint';
  /** Iterations completed. */
  iteration: number;
  configHash: string;
  /** The loop's random streams, to continue exactly. */
  rng: Record<string, RngState>;
  /** Lines of metrics.jsonl belonging to iterations ≤ `iteration`. */
  metricsLines: number;
  /** Policy version counter for the rollout server (weights pushes so far). */
  weightsVersion: number;
}

export interface TrainingState {
  policy: Policy;
  reference: Policy | null;
  optimizer: tf.Optimizer;
  curriculum: CurriculumState;
  state: CheckpointState;
}

/** Files a checkpoint folder needs besides the weights, copied from the run's starting model. */
const TOKENIZER_FILES = ['generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'vocab.json', 'merges.txt'];

export const CHECKPOINTS_DIR = 'checkpoints';
const KEEP = 2;

/** Adam's internals that `getWeights` does not round-trip exactly (it recomputes β^t with pow). */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/** Weight name of each tfjs variable of the policy. */
function namesByVariable(policy: Policy): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, v] of policy.weights) out.set(v.name, name);
  return out;
}

/** Writes Adam's slots and counters (`optimizer.safetensors`, `optimizer.json`) into `dir`. */
export async function saveOptimizer(dir: string, optimizer: tf.Optimizer, policy: Policy): Promise<void> {
  const weights = await optimizer.getWeights();
  const [iter, ...slots] = weights;
  const byVar = namesByVariable(policy);
  // Each slot is read from the backend only when its bytes are written (one at a time in memory:
  // Adam's m and v of Qwen2.5-0.5B are 4 GB together).
  const tensors = new Map<string, TensorSource>();
  for (const s of slots) {
    const m = /^(.*)\/(m|v)$/.exec(s.name);
    const weight = m ? byVar.get(m[1] as string) : undefined;
    if (!m || !weight) throw new ConfigError(`checkpoint: optimizer slot "${s.name}" belongs to no policy weight; the optimizer must be the policy's.`);
    tensors.set(`${weight}/${m[2]}`, { shape: [...s.tensor.shape], dtype: 'F32', values: async () => (await s.tensor.data()) as Float32Array });
  }
  const adam = optimizer as unknown as AdamInternals;
  const meta = {
    iterations: iter ? ((await iter.tensor.data())[0] as number) : 0,
    accBeta1: (await adam.accBeta1.data())[0],
    accBeta2: (await adam.accBeta2.data())[0],
  };
  await writeSafetensorsFile(join(dir, 'optimizer.safetensors'), tensors);
  await writeJsonAtomic(join(dir, 'optimizer.json'), meta);
}

/** Restores what `saveOptimizer` wrote into a fresh optimizer of `policy`; leaves no tensor behind but the slots. */
export async function loadOptimizer(dir: string, optimizer: tf.Optimizer, policy: Policy): Promise<void> {
  const meta = JSON.parse(await readFile(join(dir, 'optimizer.json'), 'utf8')) as { iterations: number; accBeta1: number; accBeta2: number };
  const tensors = await readSafetensorsFile(join(dir, 'optimizer.safetensors'));
  if (tensors.size === 0) return; // saved before the first update
  // applyGradients matches slots to gradients by position, in the key order of the gradient map
  // ({variable name: grad}); rebuild that order for this process's variable names.
  const order = Object.keys(Object.fromEntries(policy.trainableVariables().map((v) => [v.name, 0])));
  const byVar = namesByVariable(policy);
  const slot = (varName: string, kind: 'm' | 'v'): { name: string; tensor: tf.Tensor } => {
    const weight = byVar.get(varName) as string;
    const t = tensors.get(`${weight}/${kind}`);
    if (!t) throw new ValidationError(`${dir}/optimizer.safetensors: no ${kind} slot for weight "${weight}"; the checkpoint does not match the model.`);
    return { name: `${varName}/${kind}`, tensor: tf.tensor(t.data, t.shape, 'float32') };
  };
  const given = [{ name: 'iter', tensor: tf.scalar(meta.iterations, 'int32') }, ...order.map((n) => slot(n, 'm')), ...order.map((n) => slot(n, 'v'))];
  try {
    await optimizer.setWeights(given);
  } finally {
    // The slot variables share these tensors' data (reference-counted), so this frees only the
    // handles: without it the slots' memory outlived optimizer.dispose().
    tf.dispose(given.map((g) => g.tensor));
  }
  const adam = optimizer as unknown as AdamInternals;
  tf.tidy(() => {
    adam.accBeta1.assign(tf.scalar(meta.accBeta1));
    adam.accBeta2.assign(tf.scalar(meta.accBeta2));
  });
}

/** Saves a policy as a complete float32 checkpoint folder (weights, config, tokenizer files from `modelDir`). */
export async function savePolicyFolder(policy: Policy, dir: string, modelDir: string): Promise<void> {
  await policy.save(dir, { dtype: 'F32' });
  for (const f of TOKENIZER_FILES) {
    const src = join(modelDir, f);
    if (existsSync(src) && !existsSync(join(dir, f))) await writeFileAtomic(join(dir, f), await readFile(src));
  }
}

/** Completed checkpoints of a run, oldest first. */
export async function listCheckpoints(runDir: string): Promise<number[]> {
  const dir = join(runDir, CHECKPOINTS_DIR);
  if (!existsSync(dir)) return [];
  const names = await readdir(dir);
  return names
    .filter((n) => /^\d+$/.test(n) && existsSync(join(dir, n, 'state.json')))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Writes checkpoint `state.iteration` atomically (temp folder + rename) and keeps the last two. */
export async function saveCheckpoint(runDir: string, modelDir: string, t: TrainingState): Promise<string> {
  const root = join(runDir, CHECKPOINTS_DIR);
  await mkdir(root, { recursive: true });
  const final = join(root, String(t.state.iteration));
  const tmp = join(root, `.tmp-${t.state.iteration}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await savePolicyFolder(t.policy, join(tmp, 'policy'), modelDir);
  if (t.reference) await savePolicyFolder(t.reference, join(tmp, 'reference'), modelDir);
  await saveOptimizer(tmp, t.optimizer, t.policy);
  await saveCurriculum(join(tmp, 'curriculum'), t.curriculum);
  // state.json last: a folder without it is never treated as a checkpoint.
  await writeJsonAtomic(join(tmp, 'state.json'), t.state);
  if (existsSync(final)) await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  const all = await listCheckpoints(runDir);
  for (const old of all.slice(0, Math.max(0, all.length - KEEP))) await rm(join(root, String(old)), { recursive: true, force: true });
  return final;
}

/** Removes temporary folders a crash left behind. */
export async function cleanPartialCheckpoints(runDir: string): Promise<void> {
  const root = join(runDir, CHECKPOINTS_DIR);
  if (!existsSync(root)) return;
  for (const n of await readdir(root)) if (n.startsWith('.tmp-')) await rm(join(root, n), { recursive: true, force: true });
}

/**
 * Loads checkpoint `iteration` of a run: the policy (trainable), the reference (frozen), the
 * optimizer (created by `makeOptimizer`, then its slots restored), the curriculum and the state.
 */
export async function loadCheckpoint(runDir: string, iteration: number, opts: { makeOptimizer: () => tf.Optimizer; hasReference: boolean; load?: LoadPolicyOptions }): Promise<TrainingState> {
  const dir = join(runDir, CHECKPOINTS_DIR, String(iteration));
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as CheckpointState;
  if (state.kind !== 'exitgym-train-checkpoint') throw new ValidationError(`${dir}/state.json is not an exitgym training checkpoint.`);
  const policy = await loadPolicy(join(dir, 'policy'), { ...opts.load, trainable: true });
  const reference = opts.hasReference ? await loadPolicy(join(dir, 'reference'), { ...opts.load, trainable: false }) : null;
  const optimizer = opts.makeOptimizer();
  await loadOptimizer(dir, optimizer, policy);
  const curriculum = await loadCurriculum(join(dir, 'curriculum'));
  return { policy, reference, optimizer, curriculum, state };
}
