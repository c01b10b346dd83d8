import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blend, blendInto, shouldUpdate } from './reference-update.js';

test('shouldUpdate fires at M, 2M, … and never at step 0', () => {
  const fired = Array.from({ length: 301 }, (_, s) => s).filter((s) => shouldUpdate(s, 100));
  assert.deepEqual(fired, [100, 200, 300]);
  assert.equal(shouldUpdate(1, 1), true);
  assert.throws(() => shouldUpdate(5, 0), /every \(M\) must be a positive integer/);
  assert.throws(() => shouldUpdate(-1, 10), /step must be a non-negative integer/);
});

test('blend: α·θ + (1 − α)·θ_ref, hand-computed', () => {
  const theta = Float32Array.of(1, 2, -4);
  const ref = Float32Array.of(3, 4, 0);
  assert.deepEqual([...blend(theta, ref, 0.5)], [2, 3, -2]);
  assert.deepEqual([...blend(theta, ref, 0.25)], [2.5, 3.5, -1]);
  assert.deepEqual([...blend(theta, ref, 1)], [1, 2, -4]);
  assert.deepEqual([...blend(theta, ref, 0)], [3, 4, 0]);
  assert.deepEqual([...ref], [3, 4, 0], 'blend leaves its inputs alone');
});

test('blendInto overwrites θ_ref and validates', () => {
  const ref = Float32Array.of(0, 10);
  const out = blendInto(Float32Array.of(10, 0), ref, 0.5);
  assert.equal(out, ref);
  assert.deepEqual([...ref], [5, 5]);
  assert.throws(() => blendInto(Float32Array.of(1), ref, 0.5), /θ has 1 values but θ_ref has 2/);
  assert.throws(() => blend(Float32Array.of(1), Float32Array.of(1), 1.5), /alpha must be in \[0, 1\]/);
});
