import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvCheckError } from '../core/errors.js';
import { ArithEnv, arithAnswer } from '../test/fixtures/arith-env.js';
import { GenericEnv, type GenericHooks } from '../test/fixtures/generic-env.js';
import { CHECK_NAMES, checkEnv } from './check-env.js';
import { baseStart } from '../core/start-state.js';

const opts = { start: baseStart('t'), actions: ['yes', 'no'] };

async function failure(hooks: GenericHooks): Promise<EnvCheckError> {
  try {
    await checkEnv(new GenericEnv(hooks), opts);
  } catch (e) {
    assert.ok(e instanceof EnvCheckError, `expected EnvCheckError, got ${String(e)}`);
    return e;
  }
  assert.fail('checkEnv passed a broken env');
}

test('a well-behaved env passes every check', async () => {
  const report = await checkEnv(new GenericEnv(), opts);
  assert.deepEqual(report.passed, [...CHECK_NAMES]);
  const arith = await checkEnv(new ArithEnv(), { start: baseStart('arith/4'), actions: [String(arithAnswer('arith/4', 0)), 'nope'] });
  assert.equal(arith.passed.length, CHECK_NAMES.length);
});

test('step before reset that does not throw is caught', async () => {
  const e = await failure({ noResetGuard: true });
  assert.equal(e.check, 'stepBeforeResetThrows');
  assert.equal(
    e.message,
    'checkEnv [stepBeforeResetThrows]: expected step() before reset() to throw ResetNeededError (code "reset_needed"); found it returned {"observation":[],"reward":1,"terminated":true,"truncated":false,"info":{"turn":0,"quality":1}}',
  );
});

test('a bad spec is caught', async () => {
  const e = await failure({ spec: { rewardRange: [1, 0] } });
  assert.equal(e.message, 'checkEnv [specIsValid]: expected spec.rewardRange to be [lo, hi] with finite lo < hi; found [1,0]');
});

test('an empty or malformed observation is caught', async () => {
  const empty = await failure({ reset: () => ({ observation: [], info: {} }) });
  assert.equal(empty.message, 'checkEnv [resetReturnsMessages]: expected a non-empty observation (the task for the policy); found []');
  const bad = await failure({ reset: () => ({ observation: [{ role: 'bot', content: 'x' }] as never, info: {} }) });
  assert.equal(bad.message, 'checkEnv [resetReturnsMessages]: expected observation to be messages {role: system|user|assistant|tool, content: string}; found at index 0: {"role":"bot","content":"x"}');
});

test('a reset that ignores the seed is caught', async () => {
  const e = await failure({ reset: (_s, _seed, calls) => ({ observation: [{ role: 'user', content: `task #${calls}` }], info: {} }) });
  assert.equal(
    e.message,
    'checkEnv [seededResetIsDeterministic]: expected two resets with seed 0 to give the same observation; found [{"role":"user","content":"task #2"}] vs [{"role":"user","content":"task #3"}]',
  );
});

test('an out-of-range or non-finite reward is caught', async () => {
  const e = await failure({ step: () => ({ observation: [], reward: 2, terminated: true, truncated: false, info: { turn: 0 } }) });
  assert.equal(e.message, 'checkEnv [rewardsAreFiniteAndInRange]: expected step 0 reward to be a finite number in rewardRange [0, 1]; found 2');
  const nan = await failure({ step: () => ({ observation: [], reward: NaN, terminated: true, truncated: false, info: { turn: 0 } }) });
  assert.equal(nan.message, 'checkEnv [rewardsAreFiniteAndInRange]: expected step 0 reward to be a finite number in rewardRange [0, 1]; found null');
});

test('an episode that never ends within its budget is caught', async () => {
  const e = await failure({ step: () => ({ observation: [], reward: 0, terminated: false, truncated: false, info: { turn: 0 } }) });
  assert.equal(
    e.message,
    'checkEnv [seededResetIsDeterministic]: expected the episode to end (terminated or truncated) within spec.budgets.maxSteps = 2 steps; found it still running after 2 steps.',
  );
});

test('stepping after the end without an error is caught', async () => {
  const e = await failure({ noEndGuard: true });
  assert.equal(e.check, 'stepAfterEndThrows');
  assert.match(e.message, /^checkEnv \[stepAfterEndThrows\]: expected step\(\) after the episode ended to throw EpisodeEndedError \(code "episode_ended"\); found it returned \{/);
});

test('a trace that does not survive JSON is caught', async () => {
  const e = await failure({ trace: (turns) => turns.map((t) => ({ ...t, iterates: t.iterates.map((i) => ({ ...i, quality: NaN })) })) });
  assert.equal(e.check, 'traceRoundTripsJson');
  assert.match(e.message, /^checkEnv \[traceRoundTripsJson\]: expected trace\(\) to survive JSON\.stringify\/parse unchanged; found .*"quality":null/);
});

test('a history reset that is not reproducible is caught', async () => {
  const e = await failure({
    reset: (start, _seed, calls) => ({ observation: [{ role: 'user', content: start.mode === 'base' ? 'Say yes.' : `again (${calls})` }], info: {} }),
  });
  assert.equal(
    e.message,
    'checkEnv [resetFromOwnHistory]: expected resetting twice from the same partial history (improve) to give the same observation; found [{"role":"user","content":"again (5)"}] vs [{"role":"user","content":"again (6)"}]',
  );
});

test('an env that throws inside a check is reported with the check name', async () => {
  const e = await failure({ reset: () => { throw new Error('boom'); } });
  assert.equal(e.message, 'checkEnv [resetReturnsMessages]: the env threw Error: boom');
});

test('skipped checks are reported with their reason', async () => {
  const report = await checkEnv(new GenericEnv({ noEndGuard: true }), { ...opts, skip: [{ check: 'stepAfterEndThrows', reason: 'demo' }] });
  assert.deepEqual(report.skipped, [{ check: 'stepAfterEndThrows', reason: 'demo' }]);
  assert.ok(!report.passed.includes('stepAfterEndThrows'));
});
