import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDiversityBonus, meanPairwiseDistances } from './diversity.js';
import { groupDiversity, HashedNgramEmbedder } from './embedder.js';

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

test('hashed n-grams: unit vectors, deterministic, case- and whitespace-insensitive', async () => {
  const e = new HashedNgramEmbedder({ dim: 256 });
  assert.equal(e.id, 'hashed-ngrams-256');
  const [a, b, c] = await e.embed(['The answer is 42.', 'the   answer IS 42.', 'The answer is 42.']);
  assert.equal(a!.length, 256);
  assert.ok(Math.abs(cosine(a!, a!) - 1) < 1e-6);
  assert.deepEqual(a, c);
  assert.deepEqual(a, b);
});

test('hashed n-grams: texts sharing substrings are closer than unrelated ones', async () => {
  const e = new HashedNgramEmbedder();
  const [base, near, far] = await e.embed([
    'Let x = 3. Then 2x + 1 = 7, so the answer is 7.',
    'Let x = 3. Then 2x + 1 = 7, hence the answer is 7.',
    'Recursion over the binary tree visits every node once.',
  ]);
  assert.ok(cosine(base!, near!) > 0.8, `near ${cosine(base!, near!)}`);
  // Common bigrams ("th", "e ") keep unrelated English texts above 0; the gap is what matters.
  assert.ok(cosine(base!, far!) < cosine(base!, near!) - 0.4, `far ${cosine(base!, far!)}`);
  const spread = meanPairwiseDistances([base!, near!, far!]);
  assert.ok(spread.cosine > 0 && spread.l2 > 0);
});

test('empty text embeds to the zero vector; bad options are refused', async () => {
  const [z] = await new HashedNgramEmbedder({ dim: 8, ngrams: [3] }).embed(['']);
  assert.deepEqual([...z!], new Array(8).fill(0));
  assert.throws(() => new HashedNgramEmbedder({ dim: 0 }), /dim must be an integer >= 1/);
  assert.throws(() => new HashedNgramEmbedder({ ngrams: [] }), /ngrams must be a non-empty list/);
});

test('groupDiversity: identical completions get no bonus; an outlier gets the largest coefficient', async () => {
  const e = new HashedNgramEmbedder();
  assert.deepEqual(await groupDiversity(e, ['same', 'same', 'same']), [1, 1, 1]);
  const d = await groupDiversity(e, ['x = 2, so 4', 'x = 2, so 4.', 'x = 2 hence 4', 'A completely different route via geometry']);
  assert.equal(d.indexOf(Math.max(...d)), 3);
  const a = applyDiversityBonus([1, 1, -1, 1], d);
  assert.ok(a[3]! > a[0]!);
});
