import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from './errors.js';
import { Mt19937 } from './mt19937.js';

test('init_genrand: the reference first outputs for seed 5489', () => {
  const mt = Mt19937.fromSeed(5489);
  assert.deepEqual([mt.uint32(), mt.uint32()], [3499211612, 581869302]);
});

test("init_by_array: the reference mt19937ar.c test vector (key 0x123, 0x234, 0x345, 0x456)", () => {
  const mt = Mt19937.fromKey([0x123, 0x234, 0x345, 0x456]);
  assert.deepEqual(Array.from({ length: 5 }, () => mt.uint32()), [1067595299, 955945823, 477289528, 4107218783, 4228976476]);
});

test('interval stays in [0, max]; bad seeds are config errors', () => {
  const mt = Mt19937.fromSeed(1);
  for (let i = 0; i < 1000; i++) assert.ok(mt.interval(6) <= 6);
  assert.equal(mt.interval(0), 0);
  assert.throws(() => Mt19937.fromSeed(-1), ConfigError);
  assert.throws(() => Mt19937.fromKey([]), ConfigError);
});
