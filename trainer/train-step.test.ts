import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../testing/tiny-model.js';
import { tf } from './backend.js';
import { groupAdvantages } from './advantages.js';
import { loadPolicy } from './policy/policy.js';
import { createOptimizer, trainStep, updateReference, type GrpoSample } from './train-step.js';

const quiet = { backend: 'wasm' as const, log: () => {} };

async function tinyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-grpo-'));
  await writeTinyModel(dir, { seed: 1, embedStd: 0.3 });
  return dir;
}

/** Toy reward: the fraction of completion tokens that are ASCII bytes (ids < 128). */
const reward = (ids: readonly number[]): number => ids.filter((i) => i < 128).length / ids.length;

test('GRPO steps on a toy reward raise the mean reward, change every weight and leak no tensors', async () => {
  const policy = await loadPolicy(await tinyDir(), quiet);
  const reference = policy.clone();
  const optimizer = createOptimizer({ learningRate: 0.02 });
  const initial = new Map([...policy.weights].map(([n, v]) => [n, Float32Array.from(v.dataSync())]));
  const prompts = ['the cat', 'x1', 'an', 'she'];
  const G = 4;
  const meanRewards: number[] = [];
  let tensorsAfterFirst = -1;
  for (let step = 0; step < 6; step++) {
    const gens = await policy.generate(prompts.flatMap((p) => new Array<string>(G).fill(p)), { maxTokens: 8, temperature: 1, seed: step, stopAtEos: false });
    const rewards = gens.map((g) => reward(g.tokenIds));
    meanRewards.push(rewards.reduce((a, b) => a + b, 0) / rewards.length);
    const adv = prompts.flatMap((_, k) => groupAdvantages(rewards.slice(G * k, G * k + G)));
    const batch: GrpoSample[] = gens.map((g, i) => ({ promptIds: g.promptIds, completionIds: g.tokenIds, oldLogprobs: g.logprobs, advantage: adv[i] as number }));
    const m = await trainStep(policy, reference, batch, optimizer, { microBatchSize: 8, beta: 0.001 });
    assert.ok(Number.isFinite(m['losses/loss']) && Number.isFinite(m['losses/grad_norm']));
    assert.equal(m['perf/loss_tokens'], 16 * 8);
    assert.ok(m['losses/entropy'] > 0 && m['losses/entropy'] <= Math.log(policy.config.vocabSize), `entropy ${m['losses/entropy']}`);
    // Adam creates its slots on the first step; afterwards the count must not move.
    if (step === 0) tensorsAfterFirst = tf.memory().numTensors;
    else assert.equal(tf.memory().numTensors, tensorsAfterFirst, `step ${step} leaked tensors`);
  }
  const first = (meanRewards[0] as number + (meanRewards[1] as number)) / 2;
  const last = (meanRewards[4] as number + (meanRewards[5] as number)) / 2;
  assert.ok(last > first + 0.1, `mean reward should rise: ${meanRewards.map((r) => r.toFixed(3)).join(' → ')}`);
  for (const [name, v] of policy.weights) {
    const before = initial.get(name) as Float32Array;
    const after = v.dataSync();
    assert.ok(before.some((x, i) => x !== after[i]), `${name} did not change`);
  }
  // The frozen reference kept the initial weights.
  for (const [name, v] of reference.weights) assert.deepEqual(Float32Array.from(v.dataSync()), initial.get(name), `reference ${name} moved`);
  // A half blend (α = 0.5, MLE-bench) of θ into θ_ref, then a hard copy (α = 1, math and tool use).
  const before = tf.memory().numTensors;
  await updateReference(reference, policy, 0.5);
  assert.equal(tf.memory().numTensors, before, 'updateReference frees its temporaries');
  for (const [name, v] of reference.weights) {
    const theta = policy.weights.get(name)?.dataSync() ?? new Float32Array();
    const init = initial.get(name) as Float32Array;
    v.dataSync().forEach((x, i) => assert.ok(Math.abs(x - (0.5 * (theta[i] as number) + 0.5 * (init[i] as number))) < 1e-6, `${name}[${i}]: ${x}`));
  }
  await updateReference(reference, policy, 1);
  for (const [name, v] of reference.weights) assert.deepEqual(Float32Array.from(v.dataSync()), Float32Array.from(policy.weights.get(name)?.dataSync() ?? []), `${name} after α = 1`);
  policy.dispose();
  reference.dispose();
  optimizer.dispose();
});

test('gradient accumulation over micro-batches, head chunks and checkpointing equal one full batch; clipping caps the update', async () => {
  const dir = await tinyDir();
  const batchOf = async (): Promise<GrpoSample[]> => {
    const p = await loadPolicy(dir, quiet);
    const gens = await p.generate(['the cat', 'x1', 'an'], { maxTokens: 5, seed: 9, stopAtEos: false });
    p.dispose();
    return gens.map((g, i) => ({ promptIds: g.promptIds, completionIds: g.tokenIds, oldLogprobs: g.logprobs, advantage: [1, -0.5, -0.5][i] as number, lossMask: g.tokenIds.map((_, t) => (t === 2 ? 0 : 1)) }));
  };
  const batch = await batchOf();
  const run = async (microBatchSize: number, maxGradNorm: number | null, memory: { headChunk?: number; checkpoint?: boolean } = {}): Promise<{ w: Float32Array; norm: number }> => {
    const p = await loadPolicy(dir, quiet);
    // SGD so the update is the (clipped) gradient itself.
    const opt = tf.train.sgd(1);
    const before = Float32Array.from(p.weights.get('model.layers.0.mlp.up_proj.weight')?.dataSync() ?? []);
    const m = await trainStep(p, null, batch, opt, { microBatchSize, maxGradNorm, beta: 0, ...memory });
    const after = p.weights.get('model.layers.0.mlp.up_proj.weight')?.dataSync() ?? new Float32Array();
    const w = before.map((x, i) => x - (after[i] as number));
    p.dispose();
    opt.dispose();
    return { w, norm: m['losses/grad_norm'] };
  };
  const full = await run(3, null);
  const micro = await run(1, null);
  assert.ok(Math.abs(full.norm - micro.norm) < 1e-4 * full.norm);
  for (let i = 0; i < full.w.length; i++) assert.ok(Math.abs((full.w[i] as number) - (micro.w[i] as number)) < 1e-5, `update[${i}]`);
  // The bounded-memory settings (2-token head chunks, recomputed layers) give the same update.
  const bounded = await run(3, null, { headChunk: 2, checkpoint: true });
  for (let i = 0; i < full.w.length; i++) assert.ok(Math.abs((full.w[i] as number) - (bounded.w[i] as number)) < 1e-5, `bounded update[${i}]`);
  const clipped = await run(3, full.norm / 4);
  for (let i = 0; i < full.w.length; i += 97) assert.ok(Math.abs((clipped.w[i] as number) - (full.w[i] as number) / 4) < 1e-5);
});

test('trainStep rejects misaligned samples and β > 0 without a reference', async () => {
  const p = await loadPolicy(await tinyDir(), quiet);
  const opt = tf.train.sgd(0.1);
  await assert.rejects(trainStep(p, null, [{ promptIds: [1], completionIds: [2, 3], oldLogprobs: [-1, -1], advantage: 1 }], opt, { beta: 0.1 }), /beta > 0 needs a reference policy/);
  // π_old is the sampler's: a sample without it is refused, never re-scored with the current policy.
  const noOld = { promptIds: [1], completionIds: [2, 3], advantage: 1 } as unknown as GrpoSample;
  const scored = { promptIds: [1], completionIds: [2], oldLogprobs: [-1], advantage: 1 };
  await assert.rejects(trainStep(p, null, [scored, noOld], opt, { beta: 0 }), /sample 1 has no oldLogprobs; pass the sampler's logprobs/);
  await assert.rejects(trainStep(p, null, [{ promptIds: [1], completionIds: [2, 3], oldLogprobs: [-1], advantage: 1 }], opt, { beta: 0 }), /2 completion tokens but 1 oldLogprobs/);
  await assert.rejects(trainStep(p, null, [], opt), /batch is empty/);
  p.dispose();
});

test('micro-batches with no loss-carrying token are skipped; a batch with none takes no optimiser step', async () => {
  const policy = await loadPolicy(await tinyDir(), quiet);
  const optimizer = createOptimizer({ learningRate: 0.05 });
  const [g0, g1] = await policy.generate(['the cat', 'an'], { maxTokens: 6, temperature: 1, seed: 3, stopAtEos: false });
  const masked: GrpoSample = { promptIds: g0!.promptIds, completionIds: g0!.tokenIds, oldLogprobs: g0!.logprobs, advantage: 1, lossMask: new Array<number>(g0!.tokenIds.length).fill(0) };
  const live: GrpoSample = { promptIds: g1!.promptIds, completionIds: g1!.tokenIds, oldLogprobs: g1!.logprobs, advantage: -1 };
  const snapshot = (): Float32Array[] => [...policy.weights.values()].map((v) => Float32Array.from(v.dataSync()));
  const before = snapshot();
  // Overlong filtering masked every reply: nothing to learn, nothing changes.
  const none = await trainStep(policy, null, [masked, masked], optimizer, { microBatchSize: 1, beta: 0 });
  assert.equal(none['perf/loss_tokens'], 0);
  assert.equal(none['losses/grad_norm'], 0);
  assert.deepEqual(snapshot(), before, 'no weight moved');
  // One masked micro-batch next to a live one: the live one trains, the masked one is skipped.
  const mixed = await trainStep(policy, null, [masked, live], optimizer, { microBatchSize: 1, beta: 0 });
  assert.equal(mixed['perf/loss_tokens'], g1!.tokenIds.length);
  assert.ok(mixed['losses/grad_norm'] > 0);
  assert.notDeepEqual(snapshot(), before, 'the live sample moved the weights');
  policy.dispose();
});
