import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, selectBackend } from '../backend.js';
import { grpoLoss } from '../loss.js';
import { writeTinyModel } from '../../testing/tiny-model.js';
import { loadPolicy, type Policy } from './policy.js';
import { causalInputs } from './model.js';
import { headTokenStats } from './token-stats.js';

await selectBackend('wasm', { log: () => {} });

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void => {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs((a[i] as number) - (b[i] as number)) <= tol * (1 + Math.abs(b[i] as number)), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

/** The whole-vocabulary computation the chunked op replaces: `[N, V]` logits at once. */
function unchunked(h: tf.Tensor2D, w: tf.Tensor2D, targets: Int32Array): tf.Tensor2D {
  const logp = tf.logSoftmax(tf.matMul(h, w, false, true));
  const picked = tf.sum(tf.mul(logp, tf.cast(tf.oneHot(tf.tensor1d(targets, 'int32'), w.shape[0]), 'float32')), 1);
  const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1));
  return tf.stack([picked, entropy], 1) as tf.Tensor2D;
}

test('chunked log-probs and entropies, and their gradients, equal the whole-vocabulary computation', () => {
  const n = 11;
  const d = 6;
  const v = 37;
  const h = tf.randomNormal([n, d], 0, 1, 'float32', 1) as tf.Tensor2D;
  const w = tf.randomNormal([v, d], 0, 0.7, 'float32', 2) as tf.Tensor2D;
  const targets = Int32Array.from({ length: n }, (_, i) => (i * 7) % v);
  // A loss that weighs both columns differently, so both gradient paths are exercised.
  const weights = tf.randomNormal([n, 2], 0, 1, 'float32', 3);
  const lossOf = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D) => (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D), weights));
  const want = unchunked(h, w, targets).dataSync();
  const [gh, gw] = tf.grads(lossOf((a, b) => unchunked(a, b, targets)))([h, w]) as [tf.Tensor, tf.Tensor];
  for (const [chunk, block] of [[1, 64], [3, 8], [4, 64], [11, 5], [64, 64]] as const) {
    close(headTokenStats(h, w, targets, chunk, block).dataSync(), want, 1e-5, `stats (chunk ${chunk})`);
    const [ch, cw] = tf.grads(lossOf((a, b) => headTokenStats(a, b, targets, chunk, block)))([h, w]) as [tf.Tensor, tf.Tensor];
    close(ch.dataSync(), gh.dataSync(), 1e-4, `d hidden (chunk ${chunk})`);
    close(cw.dataSync(), gw.dataSync(), 1e-4, `d head (chunk ${chunk})`);
  }
  assert.throws(() => headTokenStats(h, w, Int32Array.from(targets).fill(v, 2, 3), 4), /target id 37 is outside the vocabulary \[0, 37\)/);
});

test('the peak memory of the chunked op is set by the chunk, not by the number of tokens', async () => {
  const v = 4096;
  const d = 8;
  const w = tf.randomNormal([v, d], 0, 1, 'float32', 5) as tf.Tensor2D;
  const peakOf = async (n: number, f: (a: tf.Tensor2D, b: tf.Tensor2D, t: Int32Array) => tf.Tensor2D): Promise<number> => {
    const h = tf.randomNormal([n, d], 0, 1, 'float32', 4) as tf.Tensor2D;
    const targets = Int32Array.from({ length: n }, (_, i) => i);
    const base = tf.memory().numBytes;
    const prof = await tf.profile(() => tf.tidy(() => void tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(f(a as tf.Tensor2D, b as tf.Tensor2D, targets)))([h, w])));
    h.dispose();
    return prof.peakBytes - base;
  };
  const chunkBytes = 8 * v * 4;
  const full = [await peakOf(64, unchunked), await peakOf(256, unchunked)];
  const chunked = [await peakOf(64, (a, b, t) => headTokenStats(a, b, t, 8)), await peakOf(256, (a, b, t) => headTokenStats(a, b, t, 8))];
  // Whole-vocabulary autodiff keeps several [N, V] tensors: 4× the tokens, about 4× the peak.
  assert.ok((full[1] as number) > 3 * (full[0] as number), `unchunked peaks ${full.join(', ')}`);
  // Chunked: a bounded number of [chunk, V] temporaries plus the [V, d] head gradient, whatever N is.
  const headGrad = v * d * 4;
  for (const p of chunked) assert.ok(p < 24 * chunkBytes + 2 * headGrad, `chunked peak ${p} bytes vs chunk ${chunkBytes}`);
  assert.ok((chunked[1] as number) < 1.1 * (chunked[0] as number), `chunked peaks ${chunked.join(', ')} should not grow with N`);
  assert.ok((chunked[1] as number) < (full[1] as number) / 4, `chunked ${chunked[1]} vs unchunked ${full[1]} at N = 256`);
  w.dispose();
});

async function tinyPolicy(): Promise<Policy> {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-chunk-'));
  await writeTinyModel(dir, { seed: 4, hiddenSize: 16, numHeads: 2, numKvHeads: 1, intermediateSize: 24, numLayers: 2 });
  return loadPolicy(dir, { backend: 'wasm', log: () => {} });
}

test('policy log-probs: chunked, slot-selected and checkpointed equal the full-logits forward; so do the GRPO loss and its gradients', async () => {
  const policy = await tinyPolicy();
  const ids = tf.tensor2d([[269, 117, 260, 32, 99, 97, 5], [116, 263, 115, 10, 270, 97, 1]], [2, 7], 'int32');
  const [b, t] = ids.shape;
  const v = policy.config.vocabSize;
  const { positions, mask: attn } = causalInputs([0, 0], 0, t);
  const plain = (): tf.Tensor2D => {
    const { logits } = policy.forward({ ids, positions: tf.tensor2d(positions, [b, t], 'int32'), mask: tf.tensor4d(attn, [b, 1, t, t]) });
    const logp = tf.logSoftmax(tf.slice(logits, [0, 0, 0], [b, t - 1, v]));
    return tf.sum(tf.mul(logp, tf.cast(tf.oneHot(tf.slice(ids, [0, 1], [b, t - 1]), v), 'float32')), -1) as tf.Tensor2D;
  };
  const want = tf.tidy(plain).dataSync();
  close(tf.tidy(() => policy.logprobsTensor(ids, { headChunk: 3 })).dataSync(), want, 1e-5, 'chunked logprobs');
  close(tf.tidy(() => policy.logprobsTensor(ids, { headChunk: 5, checkpoint: true })).dataSync(), want, 1e-5, 'checkpointed logprobs');
  const mask = tf.tensor2d([[0, 0, 1, 1, 1, 0], [0, 1, 1, 1, 1, 1]]);
  const slots = Int32Array.from([...mask.dataSync()].flatMap((m, i) => (m ? [i] : [])));
  const sel = tf.tidy(() => policy.logprobsTensor(ids, { headChunk: 2, slots })).dataSync();
  mask.dataSync().forEach((m, i) => assert.ok(m ? Math.abs((sel[i] as number) - (want[i] as number)) < 1e-5 : sel[i] === 0, `slot ${i}`));

  const old = tf.tidy(() => tf.add<tf.Tensor2D>(plain(), tf.randomUniform([b, t - 1], -0.3, 0.3, 'float32', 1)));
  const adv = tf.tensor1d([1.3, -0.8]);
  const config = { epsilon: 0.2, beta: 0, normaliser: 'grpo' as const };
  const vars = policy.trainableVariables();
  const run = (logprobs: () => tf.Tensor2D): { loss: number; grads: Float32Array[] } => {
    const { value, grads } = tf.variableGrads(() => grpoLoss({ logprobs: logprobs(), oldLogprobs: old, mask, advantages: adv }, config, b).loss, vars);
    const out = { loss: value.dataSync()[0] as number, grads: vars.map((x) => Float32Array.from(grads[x.name]?.dataSync() ?? [])) };
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  };
  const before = tf.memory().numTensors;
  const ref = run(plain);
  for (const [what, opts] of [['chunked', { headChunk: 2, slots }], ['checkpointed', { headChunk: 3, slots, checkpoint: true }]] as const) {
    const got = run(() => policy.logprobsTensor(ids, opts));
    assert.ok(Math.abs(got.loss - ref.loss) < 1e-6, `${what} loss ${got.loss} vs ${ref.loss}`);
    vars.forEach((x, k) => close(got.grads[k] as Float32Array, ref.grads[k] as Float32Array, 2e-4, `${what} grad ${x.name}`));
  }
  assert.equal(tf.memory().numTensors, before, 'no tensors leak from the chunked and checkpointed passes');
  policy.dispose();
});
