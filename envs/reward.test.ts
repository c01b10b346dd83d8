import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, ValidationError } from '../core/errors.js';
import { improvementReward, normaliseQuality, stepReward } from './reward.js';

test('normaliseQuality maps worst→0 and best→1, both directions, and clips', () => {
  assert.equal(normaliseQuality(0.75, 0.5, 1), 0.5);
  assert.equal(normaliseQuality(0.5, 0, 1), 0.5);
  // Error metric (lower is better): spooky log loss range 1.5 (worst) → 0 (best) per SPEC.
  assert.equal(normaliseQuality(0.6, 1.5, 0), 0.6);
  assert.equal(normaliseQuality(1.2, 1.5, 1.0), 0.6000000000000001);
  assert.equal(normaliseQuality(2.0, 1.5, 0), 0, 'worse than worst clips to 0');
  assert.equal(normaliseQuality(-0.1, 1, 0), 1, 'better than best clips to 1');
  assert.equal(normaliseQuality(1.3, 0, 1), 1);
});

test('normaliseQuality rejects NaN and an empty range with a clear message', () => {
  assert.throws(() => normaliseQuality(NaN, 0, 1), (e: unknown) => e instanceof ValidationError && /score must be a finite number; got NaN/.test(e.message));
  assert.throws(() => normaliseQuality(0.5, 1, 1), (e: unknown) => e instanceof ConfigError && /worst and best must differ/.test(e.message));
});

test('improvementReward: normalised gain, no negative reward, and the q_{k-1} = 1 convention', () => {
  assert.equal(improvementReward(0.5, 0.75), 0.5);
  assert.ok(Math.abs(improvementReward(0.2, 0.6) - 0.5) < 1e-12);
  assert.equal(improvementReward(0, 0.3), 0.3);
  assert.equal(improvementReward(0.5, 0.25), 0, 'negative improvement gets 0');
  assert.equal(improvementReward(0.5, 0.5), 0);
  assert.equal(improvementReward(1, 1), 1, 'keeping a perfect score earns 1');
  assert.equal(improvementReward(1, 0.99), 0, 'losing a perfect score earns 0');
  assert.equal(improvementReward(0.5, 1), 1);
});

test('improvementReward rejects out-of-range and NaN qualities', () => {
  assert.throws(() => improvementReward(1.2, 1), /previous quality must be in \[0, 1\].*got 1.2/);
  assert.throws(() => improvementReward(0.5, NaN), /current quality must be a finite number; got NaN/);
});

test('stepReward applies the domain rule by mode', () => {
  assert.equal(stepReward('base', 0.4, undefined, 'improvement'), 0.4);
  assert.equal(stepReward('diverge', 0.4, 0.9, 'improvement'), 0.4, 'diverge steps are rewarded with q');
  assert.equal(stepReward('improve', 0.75, 0.5, 'improvement'), 0.5);
  assert.equal(stepReward('improve', 1, 1, 'quality'), 1, 'math/BFCL: binary quality on improve steps');
  assert.equal(stepReward('improve', 0, 1, 'quality'), 0);
  assert.throws(() => stepReward('improve', 0.5, undefined, 'improvement'), /needs the previous iterate's quality/);
});
