import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnknownIdError } from '../core/errors.js';
import { ArithEnv } from '../test/fixtures/arith-env.js';
import { envIds, makeEnv, registerEnv, unregisterEnv, type EnvEntry } from './registry.js';
import { baseStart } from './start-state.js';

const entry: EnvEntry = {
  id: 'fixture-arith',
  domain: 'fixture',
  description: 'test',
  qualityRange: [0, 1],
  budgets: { default: { maxSteps: 3 } },
  create: async () => new ArithEnv(),
  conformance: { options: {}, start: baseStart('arith/0'), actions: ['0'] },
};

test('makeEnv builds a registered env; duplicates are refused', async () => {
  registerEnv(entry);
  try {
    assert.ok(envIds().includes('fixture-arith'));
    const env = await makeEnv('fixture-arith');
    assert.equal(env.spec.id, 'arith');
    assert.throws(() => registerEnv(entry), /already registered/);
  } finally {
    unregisterEnv('fixture-arith');
  }
});

test('an unknown id lists the ids and suggests the nearest', async () => {
  registerEnv(entry);
  try {
    await assert.rejects(makeEnv('fixture-arit'), (e: unknown) => {
      assert.ok(e instanceof UnknownIdError);
      assert.match(e.message, /^unknown env "fixture-arit"\. Did you mean "fixture-arith"\? Known envs: .*fixture-arith/);
      return true;
    });
    await assert.rejects(makeEnv('zzzzzzzzzzzzzzzz'), (e: unknown) => e instanceof UnknownIdError && !/Did you mean/.test(e.message));
  } finally {
    unregisterEnv('fixture-arith');
  }
});
