import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, ValidationError } from '../core/errors.js';
import { loadMathSplit, MATH_TEST_SPLITS, parseMathRows, solutionSteps } from './math.js';

test('rows are validated with a message naming file, line and field', () => {
  const good = '{"id":"a","source":"s","problem":"p","answer":"1"}';
  assert.equal(parseMathRows(`${good}\n\n`, 'x.jsonl').length, 1);
  assert.throws(() => parseMathRows(`${good}\n{"id":"b","source":"s","problem":"p"}`, 'x.jsonl'), (e: unknown) => e instanceof ValidationError && /^x\.jsonl line 2: .*missing required field "answer"/.test(e.message));
  assert.throws(() => parseMathRows(`${good}\n{"id":"b",`, 'x.jsonl'), /x\.jsonl line 2: not valid JSON/);
  assert.throws(() => parseMathRows(`${good}\n${good}`, 'x.jsonl'), /x\.jsonl line 2: duplicate id "a"/);
  assert.throws(() => parseMathRows('{"id":"a","source":"s","problem":"p","answer":5}', 'y.jsonl'), /y\.jsonl line 1: \/answer: must be string; got 5/);
});

test('solution steps: lines, and sentences within a line', () => {
  assert.equal(solutionSteps('We have $x=2$. Then $y=4$.\nSo the answer is 6.'), 3);
  assert.equal(solutionSteps('One line only'), 1);
  assert.equal(solutionSteps('\n\n'), 0);
});

test('unknown split names the known ones', () => {
  assert.throws(() => loadMathSplit('math5000'), (e: unknown) => e instanceof ConfigError && /known splits: train, train_pool, validation, math500/.test(e.message));
});

test('every split loads with its documented size; validation is 100 seeded MATH-train problems', async (t) => {
  if (!process.env.EXITGYM_DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  const sizes: Record<string, number> = { train: 1280, train_pool: 8807, validation: 100, math500: 500, aime24: 30, aime25: 30, amc12_2022_2023: 83, amc23: 40, minerva: 272, olympiadbench: 675 };
  for (const [split, n] of Object.entries(sizes)) assert.equal((await loadMathSplit(split)).length, n, split);
  const val = await loadMathSplit('validation');
  assert.ok(val.every((v) => v.source === 'MATH/train'));
  const train = new Set((await loadMathSplit('train')).map((x) => x.id));
  assert.ok(val.every((v) => !train.has(v.id)), 'validation is disjoint from the training subset');
  assert.deepEqual(val.slice(0, 3).map((v) => v.index), [0, 1, 2]);
  const minerva = await loadMathSplit('minerva');
  assert.equal(minerva.reduce((k, x) => k + x.answers.length, 0), 314);
  for (const s of MATH_TEST_SPLITS) assert.ok((await loadMathSplit(s)).every((x) => x.answers.length > 0 && x.problem.length > 0));
});

test('a missing split says how to get it (training splits: only from a data dir)', async () => {
  const saved = { d: process.env.EXITGYM_DATA_DIR, c: process.env.EXITGYM_CACHE_DIR };
  delete process.env.EXITGYM_DATA_DIR;
  process.env.EXITGYM_CACHE_DIR = '/nonexistent/exitgym-cache';
  try {
    await assert.rejects(loadMathSplit('aime25'), /exitgym datasets pull math/);
    await assert.rejects(loadMathSplit('validation'), /cannot download .*set EXITGYM_DATA_DIR/);
  } finally {
    if (saved.d !== undefined) process.env.EXITGYM_DATA_DIR = saved.d;
    if (saved.c === undefined) delete process.env.EXITGYM_CACHE_DIR;
    else process.env.EXITGYM_CACHE_DIR = saved.c;
  }
});
