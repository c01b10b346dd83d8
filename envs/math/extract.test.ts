/**
 * The answer extractor against output made to stall it: whatever the policy writes between its
 * boxes is checked by a linear scan, with the same verdicts as the regular expression it replaced.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../core/rng.js';
import { extract, isBoxJoiner, MAX_RESPONSE_CHARS } from './extract.js';
import { verify } from './verify.js';

/** The former check: right, but exponential on long runs of `,` / `;`. Only fed short strings here. */
const OLD = /^(?:[\s$,;.]|\\q?quad|\\[,;]|\\[\][()])*(?:(?:and|or|\\text\{\s*(?:and|or)\s*\}|,|;)(?:[\s$,;]|\\q?quad|\\[,;]|\\[\][()])*)*$/i;

test('isBoxJoiner gives the former verdict on 20,000 seeded strings of connector pieces and near misses', () => {
  const pieces = [' ', '\n', '$', ',', ';', '.', '\\quad', '\\qquad', '\\QUAD', '\\,', '\\;', '\\[', '\\]', '\\(', '\\)', 'and', 'or', 'AND', 'Or', '\\text{ and }', '\\text{or}', '\\text{ so }', 'x', 'an', 'o', '\\', '\\q', 'nd', '1'];
  const rng = Rng.fromSeed(11);
  let joined = 0;
  for (let i = 0; i < 20_000; i++) {
    const s = Array.from({ length: rng.int(9) }, () => pieces[rng.int(pieces.length)] as string).join('');
    const want = OLD.test(s);
    assert.equal(isBoxJoiner(s), want, JSON.stringify(s));
    if (want) joined++;
  }
  assert.ok(joined > 1000 && joined < 19_000, `both verdicts are exercised (${joined} joiners)`);
});

test('long runs of connectors between boxes are read at once (the former check took minutes)', { timeout: 20_000 }, () => {
  for (const between of [`${','.repeat(5000)}!`, `${';'.repeat(5000)} x`, `${', '.repeat(3000)}and.`, `and${'.'.repeat(5000)}`]) {
    assert.equal(isBoxJoiner(between), false);
    const c = extract(`so \\boxed{1}${between}\\boxed{2}`);
    assert.ok(c.length > 0);
  }
  assert.equal(isBoxJoiner(', '.repeat(5000)), true);
  assert.deepEqual(extract(`\\boxed{1}${', '.repeat(2000)}\\boxed{2}`)[0]?.text, extract('\\boxed{1}, \\boxed{2}')[0]?.text);
});

test('verify reads hostile responses of the maximum length without stalling: runs of connectors, spaces, digits and unclosed commands', { timeout: 60_000 }, () => {
  const n = MAX_RESPONSE_CHARS - 1000;
  const run = (p: string): string => p.repeat(Math.ceil(n / p.length)).slice(0, n);
  const responses = [',', ';', ' ', '0', '\\,', '\\boxed{', '\\frac{', '{', '$', 'and '].flatMap((p) => [`\\boxed{1}${run(p)}!\\boxed{2}`, `\\boxed{1${run(p)}x}`, `The answer is ${run(p)}x`]);
  for (const r of responses) assert.equal(verify('7', r).correct, false, JSON.stringify(r.slice(0, 30)));
});
