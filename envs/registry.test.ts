import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, UnknownIdError } from '../core/errors.js';
import { arithEntry } from '../test/fixtures/arith-env.js';
import { envIds, envTasks, makeEnv, registerEnv, unregisterEnv, type EnvEntry } from './registry.js';

const entry: EnvEntry = arithEntry('fixture-arith');

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

test("every env's options are checked against its schema by makeEnv and envTasks, user envs included", async () => {
  registerEnv(entry);
  try {
    await assert.rejects(makeEnv('fixture-arith', { Turns: 2 }), (e: unknown) => e instanceof ConfigError && e.message === 'fixture-arith: unknown option "Turns" (did you mean "turns"?); the options are turns.');
    await assert.rejects(envTasks('fixture-arith', { turns: 'two' }), (e: unknown) => e instanceof ConfigError && /^fixture-arith: option turns must be integer; got "two"\.$/.test(e.message));
    assert.ok((await envTasks('fixture-arith', { turns: 2 })).length > 0);
  } finally {
    unregisterEnv('fixture-arith');
  }
});
