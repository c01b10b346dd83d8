/**
 * Token in, token out: the samples the loop trains on are exactly what the policy sampled.
 * Re-scoring a built sample with the policy gives back the sampling logprobs (float tolerance)
 * on every sampled token; env tokens are masked; the text each env saw decodes from the sampled
 * ids. For a multi-call arith episode (always), math (with the data) and a multi-call BFCL
 * episode (with the data).
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import '../../envs/builtin.js';
import { makeEnv } from '../../envs/registry.js';
import { baseStart } from '../../core/start-state.js';
import type { RecurrentEnv } from '../../envs/types.js';
import type { EpisodeResult } from '../../rollout/episode.js';
import { runGroupLockstep } from '../../rollout/group.js';
import { ArithEnv } from '../../test/fixtures/arith-env.js';
import { writeTinyModel } from '../../testing/tiny-model.js';
import { tf } from '../backend.js';
import { causalInputs, type KvCache } from '../policy/model.js';
import { loadPolicy, type Policy } from '../policy/policy.js';
import { LocalBatchSampler } from './sampler.js';
import { episodeSequence } from './samples.js';

const DATA = process.env.EXITGYM_DATA_DIR;
let policy: Policy;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-tito-'));
  // Long enough for BFCL's tool-listing system prompt with the byte-level tiny tokenizer.
  await writeTinyModel(dir, { seed: 5, extraConfig: { max_position_embeddings: 32768 } });
  policy = await loadPolicy(dir, { backend: 'wasm' });
});

/** log π(ids[j] | ids[<j]) for j ≥ start, prefilled in chunks through the KV cache (long prompts stay small). */
async function rescore(ids: readonly number[], start: number, chunk = 512): Promise<number[]> {
  const out: number[] = [];
  let cache: KvCache = { keys: [], values: [] };
  const v = policy.config.vocabSize;
  for (let s0 = 0; s0 < ids.length; s0 += chunk) {
    const t = Math.min(chunk, ids.length - s0);
    const inp = causalInputs([0], s0, t);
    const prev = cache;
    const res = tf.tidy(() => {
      const f = policy.forward({ ids: tf.tensor2d(ids.slice(s0, s0 + t), [1, t], 'int32'), positions: tf.tensor2d(inp.positions, [1, t], 'int32'), mask: tf.tensor4d(inp.mask, [1, 1, t, s0 + t]), cache: prev });
      return { logp: tf.logSoftmax(f.logits), cache: f.cache } as unknown as tf.TensorContainer;
    }) as unknown as { logp: tf.Tensor; cache: KvCache };
    tf.dispose([...prev.keys, ...prev.values]);
    cache = res.cache;
    const logp = (await res.logp.data()) as Float32Array;
    res.logp.dispose();
    for (let q = 0; q < t; q++) {
      const j = s0 + q + 1; // position q predicts token j
      if (j >= start && j < ids.length) out.push(logp[q * v + (ids[j] as number)] as number);
    }
  }
  tf.dispose([...cache.keys, ...cache.values]);
  return out;
}

async function checkGroup(envs: RecurrentEnv[], taskId: string, opts: { minCalls: number; maxTokens?: number }): Promise<void> {
  const group = await runGroupLockstep(envs, new LocalBatchSampler(policy), baseStart(taskId), {
    resetSeed: (i) => 10 + i,
    callSeed: (k) => 100 + k,
    sampling: { maxTokens: opts.maxTokens ?? 12, temperature: 1 },
  });
  let maxDiff = 0;
  for (const ep of group as EpisodeResult[]) {
    assert.equal(ep.failure, undefined);
    assert.ok(ep.steps.length >= opts.minCalls, `episode made ${ep.steps.length} calls`);
    for (const s of ep.steps) assert.equal(s.completion.text, policy.tokenizer.decode(s.completion.tokenIds!), 'the env saw the decoded sampled ids');
    const seq = episodeSequence(ep);
    const ids = [...seq.promptIds, ...seq.completionIds];
    const scored = await rescore(ids, seq.promptIds.length);
    assert.equal(scored.length, seq.oldLogprobs.length);
    let sampled = 0;
    seq.lossMask.forEach((m, j) => {
      if (!m) return;
      sampled++;
      maxDiff = Math.max(maxDiff, Math.abs((scored[j] as number) - (seq.oldLogprobs[j] as number)));
    });
    assert.equal(sampled, ep.steps.reduce((a, s) => a + s.completion.tokenIds!.length, 0), 'every sampled token, and only those, carries loss');
    if (ep.steps.length > 1) assert.ok(seq.lossMask.length > sampled, 'env tokens between calls are masked out');
  }
  assert.ok(maxDiff < 2e-3, `re-scored logprobs differ from the sampling logprobs by up to ${maxDiff}`);
}

test('a multi-call arith episode re-scores to its sampling logprobs; env tokens are masked', { timeout: 120_000 }, async () => {
  await checkGroup([new ArithEnv(), new ArithEnv()], 'arith/2', { minCalls: 3 });
});

test('math: a single-call sample re-scores to its sampling logprobs', { skip: DATA ? false : 'EXITGYM_DATA_DIR not set (math data)', timeout: 120_000 }, async () => {
  const envs = [await makeEnv('math', { split: 'train' }), await makeEnv('math', { split: 'train' })];
  await checkGroup(envs, 'train/0', { minCalls: 1 });
});

test('BFCL: a multi-call episode (tool results interleaved) re-scores to its sampling logprobs', { skip: DATA ? false : 'EXITGYM_DATA_DIR not set (BFCL data)', timeout: 900_000 }, async () => {
  // One member: BFCL's system prompt lists every tool (~15k tokens with the byte-level tiny tokenizer).
  await checkGroup([await makeEnv('bfcl', { split: 'train', maxSteps: 2 })], 'multi_turn_base_101', { minCalls: 2, maxTokens: 6 });
});
