import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../core/errors.js';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';

test('defaults: 5 minutes of wall and CPU time', () => {
  assert.deepEqual(resolveLimits(), { ...DEFAULT_LIMITS });
  assert.equal(DEFAULT_LIMITS.wallSeconds, 300);
});

test('the CPU limit follows a given wall limit, rounded up to whole seconds', () => {
  assert.equal(resolveLimits({ wallSeconds: 2.5 }).cpuSeconds, 3);
  assert.equal(resolveLimits({ wallSeconds: 0.5 }).cpuSeconds, 1);
  assert.equal(resolveLimits({ wallSeconds: 10, cpuSeconds: 4 }).cpuSeconds, 4);
});

test('out-of-range values name the field, the value and the range', () => {
  assert.throws(() => resolveLimits({ memoryMb: 8 }), (e: unknown) => e instanceof ConfigError && e.message === 'sandbox limits.memoryMb = 8 is invalid; use an integer from 16 to 1048576 (MiB).');
  assert.throws(() => resolveLimits({ maxProcesses: 2.5 }), /limits\.maxProcesses = 2\.5/);
  assert.throws(() => resolveLimits({ wallSeconds: Number.NaN }), /limits\.wallSeconds = NaN/);
});
