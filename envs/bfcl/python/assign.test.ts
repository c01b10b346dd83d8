import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsKey, delItem, getOr, iadd, isub, setItem } from './assign.js';
import { PyException } from './errors.js';
import { seededRandom } from './seeded.js';
import { dict, tuple } from './value.js';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof PyException);
    return `${e.pyType}: ${e.pyMessage}`;
  }
  return 'no error';
};

test('iadd/isub keep int/float types and name the augmented operator in TypeErrors', () => {
  assert.equal(iadd(1n, 2n), 3n);
  assert.equal(iadd(10000.0, 100n), 10100);
  assert.equal(typeof iadd(10000.0, 100n), 'number');
  assert.equal(isub(58617n, 200.0), 58417);
  assert.equal(iadd('a', 'b'), 'ab');
  assert.equal(message(() => isub(null, 1n)), "TypeError: unsupported operand type(s) for -=: 'NoneType' and 'int'");
  assert.equal(message(() => iadd(null, 1n)), "TypeError: unsupported operand type(s) for +=: 'NoneType' and 'int'");
  assert.equal(message(() => iadd('a', 1n)), 'TypeError: can only concatenate str (not "int") to str');
});

test('setItem/delItem: Python key merging (1 == 1.0 == True), errors for non-dicts', () => {
  const d = dict([[1n, 'a']]);
  setItem(d, 1.0, 'b');
  assert.deepEqual([...d], [[1n, 'b']]);
  setItem(d, '1', 'c');
  assert.equal(d.size, 2);
  delItem(d, true);
  assert.deepEqual([...d], [['1', 'c']]);
  assert.equal(message(() => delItem(d, 'zz')), "KeyError: 'zz'");
  assert.equal(message(() => setItem('Buy', 'status', 'x')), "TypeError: 'str' object does not support item assignment");
  assert.equal(message(() => delItem([], 0n)), "TypeError: 'list' object does not support item deletion");
});

test('containsKey/getOr: hashable tuples are absent keys, tuples holding lists are unhashable', () => {
  const d = dict({ AAPL: 1n });
  assert.equal(containsKey(d, 'AAPL'), true);
  assert.equal(containsKey(d, tuple('AAPL')), false);
  assert.equal(containsKey(['x', tuple('x')], tuple('x')), true);
  assert.equal(getOr(d, tuple('AAPL'), 'none'), 'none');
  assert.equal(getOr(d, 'AAPL', 'none'), 1n);
  assert.equal(message(() => containsKey(d, tuple(['a']))), "TypeError: unhashable type: 'list'");
  assert.equal(message(() => containsKey(d, ['a'])), "TypeError: unhashable type: 'list'");
});

test('seededRandom reproduces the SPEC §4 test vectors and accepts only int-like seeds', () => {
  assert.equal(seededRandom(141053n).randint(100000n, 999999n), 251675n);
  assert.equal(seededRandom(141053n).uniform(-10.0, 40.0), 36.63485703790535);
  assert.equal(seededRandom(1053520n).randint(1725186600n, 1725273000n) - 1725186600n, 69015n);
  const r = seededRandom(200191n);
  assert.deepEqual([0, 1, 2, 3].map(() => r.randint(10000n, 99999n)), [67410n, 41772n, 24547n, 24421n]);
  assert.equal(seededRandom(141053.0).randint(100000n, 999999n), 251675n);
  assert.equal(seededRandom(true).randint(0n, 9n), seededRandom(1n).randint(0n, 9n));
  assert.match(message(() => seededRandom('abc')), /^TypeError: random_seed: this port supports int seeds only, got str$/);
});
