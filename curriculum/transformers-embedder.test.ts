import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TINY_HIDDEN, TINY_VOCAB, tinyWeights, writeTinyEmbeddingModel } from '../test/fixtures/embedder/tiny-model.js';
import { diversityCoefficients } from './diversity.js';
import { TransformersEmbedder } from './transformers-embedder.js';

let dir: string;
let embedder: TransformersEmbedder;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exitgym-embedder-'));
  await writeTinyEmbeddingModel(join(dir, 'tiny-bert'));
  embedder = await TransformersEmbedder.load({ model: join(dir, 'tiny-bert') });
});
after(async () => {
  await embedder?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** The model by hand: tanh(E[id]·W) per token of "[CLS] … [SEP]", mean-pooled, L2-normalised. */
function expected(words: string[]): number[] {
  const { emb, w } = tinyWeights();
  const ids = [2, ...words.map((t) => Math.max(1, TINY_VOCAB.indexOf(t))), 3];
  const pooled = new Array<number>(TINY_HIDDEN).fill(0);
  for (const id of ids) {
    for (let j = 0; j < TINY_HIDDEN; j++) {
      let s = 0;
      for (let k = 0; k < TINY_HIDDEN; k++) s += emb[id * TINY_HIDDEN + k]! * w[k * TINY_HIDDEN + j]!;
      pooled[j]! += Math.tanh(s) / ids.length;
    }
  }
  const norm = Math.hypot(...pooled);
  return pooled.map((x) => x / norm);
}

test('a real feature-extraction model runs offline and matches the hand computation', async () => {
  assert.equal(embedder.dim, TINY_HIDDEN);
  const [a, b, c] = await embedder.embed(['The cat sat on the mat', 'the dog sat', 'x equals zebra']);
  const check = (got: Float32Array, want: number[]): void => want.forEach((x, j) => assert.ok(Math.abs(got[j]! - x) < 1e-5, `dim ${j}: ${got[j]} vs ${x}`));
  check(a!, expected(['the', 'cat', 'sat', 'on', 'the', 'mat']));
  check(b!, expected(['the', 'dog', 'sat']));
  // "zebra" is not in the vocabulary: it becomes [UNK].
  check(c!, expected(['x', 'equals', '[UNK]']));
  assert.ok(Math.abs(Math.hypot(...a!) - 1) < 1e-5);
});

test('batches of any size give the same vectors, usable for the diversity bonus', async () => {
  const texts = ['the answer is two', 'the answer is three', 'the cat sat', '1 + 2 = 3', 'dog on mat'];
  const one = await embedder.embed(texts);
  const small = await TransformersEmbedder.load({ model: join(dir, 'tiny-bert'), batchSize: 2 });
  const two = await small.embed(texts);
  await small.dispose();
  one.forEach((v, i) => v.forEach((x, j) => assert.ok(Math.abs(x - two[i]![j]!) < 1e-5)));
  const d = diversityCoefficients(one);
  assert.equal(d.length, 5);
  assert.ok(d.every((x) => Number.isFinite(x) && x >= 0));
});

test('a missing folder or a Hub id without allowRemote fails with the fix', async () => {
  await assert.rejects(TransformersEmbedder.load({ model: join(dir, 'nope') }), /does not exist; pass a folder with config.json/);
  await assert.rejects(TransformersEmbedder.load({ model: 'Xenova/all-MiniLM-L6-v2' }), /allowRemote is false/);
});
