import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../core/rng.js';
import { tf, selectBackend } from './backend.js';
import { grpoLoss } from './loss.js';
import { grpoObjective, type ObjectiveConfig, type SequenceTokens } from './objective-reference.js';
import { loadPolicy } from './policy/policy.js';
import { writeTinyModel } from '../testing/tiny-model.js';

await selectBackend('wasm', { log: () => {} });

/** Right-pads sequences into `[B, T]` tensors (padding has mask 0). */
function toTensors(seqs: SequenceTokens[]): { logp: tf.Tensor2D; old: tf.Tensor2D; ref: tf.Tensor2D; mask: tf.Tensor2D; adv: tf.Tensor1D; t: number } {
  const t = Math.max(...seqs.map((s) => s.logp.length));
  const pad = (f: (s: SequenceTokens) => ArrayLike<number>): tf.Tensor2D => {
    const out = new Float32Array(seqs.length * t);
    seqs.forEach((s, i) => out.set(Array.from(f(s)), i * t));
    return tf.tensor2d(out, [seqs.length, t]);
  };
  return { logp: pad((s) => s.logp), old: pad((s) => s.oldLogp), ref: pad((s) => s.refLogp), mask: pad((s) => s.mask), adv: tf.tensor1d(seqs.map((s) => s.advantage)), t };
}

function randomSequences(seed: number): SequenceTokens[] {
  const rng = Rng.fromSeed(seed);
  return [5, 3, 7, 4].map((len, i) => {
    const logp = Array.from({ length: len }, () => -0.2 - 2 * rng.next());
    return {
      logp,
      // Ratios spread over ~[0.55, 1.8] so both clip branches are taken.
      oldLogp: logp.map((l) => l + (rng.next() - 0.5) * 1.2),
      refLogp: logp.map((l) => l + (rng.next() - 0.5) * 0.8),
      mask: Array.from({ length: len }, (_, t) => (i === 3 ? 0 : t === 1 && i === 0 ? 0 : 1)),
      advantage: [1.2, -0.7, 0.4, 2][i] as number,
    };
  });
}

test('hand-computed single token: ratio 1, A = 1, β = 0.1, π_ref/π = 1/2', () => {
  const s: SequenceTokens[] = [{ logp: [-1], oldLogp: [-1], refLogp: [-1 + Math.log(0.5)], mask: [1], advantage: 1 }];
  const x = toTensors(s);
  const out = grpoLoss({ logprobs: x.logp, oldLogprobs: x.old, refLogprobs: x.ref, mask: x.mask, advantages: x.adv }, { epsilon: 0.2, beta: 0.1, normaliser: 'grpo' }, 1);
  // kl = 0.5 − ln 0.5 − 1 = 0.193147; loss = −(1 − 0.1·0.193147) = −0.9806853.
  assert.ok(Math.abs((out.loss.dataSync()[0] as number) + 0.9806853) < 1e-6);
  assert.ok(Math.abs((out.sums.kl.dataSync()[0] as number) - 0.1931472) < 1e-6);
});

for (const config of [
  { epsilon: 0.2, beta: 0.05, normaliser: 'grpo' },
  { epsilon: 0.2, beta: 0.001, normaliser: 'dr_grpo', constantLength: 8 },
] satisfies ObjectiveConfig[]) {
  test(`tfjs loss and its gradient match the plain-number reference (${config.normaliser})`, () => {
    const seqs = randomSequences(11);
    const ref = grpoObjective(seqs, config);
    const x = toTensors(seqs);
    const lossOf = (logp: tf.Tensor): tf.Scalar => grpoLoss({ logprobs: logp as tf.Tensor2D, oldLogprobs: x.old, refLogprobs: x.ref, mask: x.mask, advantages: x.adv }, config, seqs.length).loss;
    const out = grpoLoss({ logprobs: x.logp, oldLogprobs: x.old, refLogprobs: x.ref, mask: x.mask, advantages: x.adv }, config, seqs.length);
    assert.ok(Math.abs((out.loss.dataSync()[0] as number) - ref.loss) < 1e-6, `loss ${out.loss.dataSync()[0]} vs ${ref.loss}`);
    const tokens = out.sums.tokens.dataSync()[0] as number;
    assert.equal(tokens, 14);
    assert.ok(Math.abs((out.sums.clipped.dataSync()[0] as number) / tokens - ref.clipFrac) < 1e-9);
    assert.ok(ref.clipFrac > 0 && ref.clipFrac < 1, 'the fixture exercises both branches');
    assert.ok(Math.abs((out.sums.kl.dataSync()[0] as number) / tokens - ref.meanKl) < 1e-6);
    const g = tf.grad(lossOf)(x.logp).arraySync() as number[][];
    seqs.forEach((s, i) => s.logp.forEach((_, t) => assert.ok(Math.abs((g[i]?.[t] as number) - (ref.grad[i]?.[t] as number)) < 1e-6, `grad[${i}][${t}]`)));
  });
}

test('micro-batch losses over a split batch add up to the full-batch loss', () => {
  const seqs = randomSequences(5);
  const config: ObjectiveConfig = { epsilon: 0.2, beta: 0.01, normaliser: 'grpo' };
  const part = (rows: SequenceTokens[]): number => {
    const x = toTensors(rows);
    return grpoLoss({ logprobs: x.logp, oldLogprobs: x.old, refLogprobs: x.ref, mask: x.mask, advantages: x.adv }, config, seqs.length).loss.dataSync()[0] as number;
  };
  assert.ok(Math.abs(part(seqs.slice(0, 2)) + part(seqs.slice(2)) - part(seqs)) < 1e-6);
});

test('bad config is rejected with the field named', () => {
  const x = toTensors(randomSequences(1));
  const inputs = { logprobs: x.logp, oldLogprobs: x.old, mask: x.mask, advantages: x.adv };
  assert.throws(() => grpoLoss(inputs, { epsilon: 0, beta: 0, normaliser: 'grpo' }, 4), /epsilon must be in \(0, 1\)/);
  assert.throws(() => grpoLoss(inputs, { epsilon: 0.2, beta: 0.1, normaliser: 'grpo' }, 4), /beta > 0 needs refLogprobs/);
  assert.throws(() => grpoLoss(inputs, { epsilon: 0.2, beta: 0, normaliser: 'dr_grpo' }, 4), /dr_grpo needs constantLength/);
});

test('the gradient of the loss through the tiny model matches central finite differences (wasm, gather gradient, chunked head, checkpointed layers)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-fd-'));
  await writeTinyModel(dir, { seed: 3, hiddenSize: 16, numHeads: 2, numKvHeads: 1, intermediateSize: 24, numLayers: 1 });
  const policy = await loadPolicy(dir, { backend: 'wasm', log: () => {} });
  const ids = tf.tensor2d([[269, 117, 260, 32, 99, 97], [116, 263, 115, 10, 270, 97]], [2, 6], 'int32');
  const old = tf.tidy(() => tf.add<tf.Tensor2D>(policy.logprobsTensor(ids), tf.randomUniform([2, 5], -0.3, 0.3, 'float32', 1)));
  const refLp = tf.tidy(() => tf.add<tf.Tensor2D>(policy.logprobsTensor(ids), tf.randomUniform([2, 5], -0.3, 0.3, 'float32', 2)));
  const mask = tf.tensor2d([[0, 0, 1, 1, 1], [0, 1, 1, 1, 0]]);
  const adv = tf.tensor1d([1.3, -0.8]);
  const config: ObjectiveConfig = { epsilon: 0.2, beta: 0.1, normaliser: 'grpo' };
  // Head in chunks of 3 tokens and recomputed layers: the bounded-memory path the trainer takes.
  const loss = (): tf.Scalar => grpoLoss({ logprobs: policy.logprobsTensor(ids, { headChunk: 3, checkpoint: true }), oldLogprobs: old, refLogprobs: refLp, mask, advantages: adv }, config, 2).loss;
  const lossValue = (): number => tf.tidy(() => loss().dataSync()[0] as number);
  const names = ['model.embed_tokens.weight', 'model.layers.0.self_attn.q_proj.weight', 'model.layers.0.self_attn.k_proj.bias', 'model.layers.0.mlp.down_proj.weight', 'model.layers.0.input_layernorm.weight', 'model.norm.weight'];
  const vars = names.map((n) => policy.weights.get(n) as tf.Variable);
  const { grads, value } = tf.variableGrads(loss, vars);
  value.dispose();
  const h = 1e-2;
  for (const [k, v] of vars.entries()) {
    const g = grads[v.name]?.dataSync() as Float32Array;
    // The entry with the largest gradient: finite differences in float32 are only meaningful there.
    let idx = 0;
    for (let i = 0; i < g.length; i++) if (Math.abs(g[i] as number) > Math.abs(g[idx] as number)) idx = i;
    const base = Float32Array.from(v.dataSync());
    const at = (delta: number): number => {
      const w = Float32Array.from(base);
      w[idx] = (w[idx] as number) + delta;
      v.assign(tf.tensor(w, v.shape));
      return lossValue();
    };
    const fd = (at(h) - at(-h)) / (2 * h);
    v.assign(tf.tensor(base, v.shape));
    const an = g[idx] as number;
    assert.ok(Math.abs(an) > 1e-4, `${names[k]}: gradient too small to test`);
    assert.ok(Math.abs(fd - an) <= 0.03 * Math.abs(an) + 2e-4, `${names[k]}[${idx}]: autodiff ${an} vs finite differences ${fd}`);
  }
  policy.dispose();
});
