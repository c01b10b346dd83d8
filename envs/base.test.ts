import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EpisodeEndedError, ResetNeededError, ValidationError } from '../core/errors.js';
import { ArithEnv, arithAnswer } from '../test/fixtures/arith-env.js';
import { baseStart } from '../core/start-state.js';

test('step before reset and after the end throw errors that say what to do', async () => {
  const env = new ArithEnv();
  await assert.rejects(env.step('1'), (e: unknown) => e instanceof ResetNeededError && /call reset\(start\) first/.test(e.message));
  await env.reset(baseStart('arith/0'));
  await env.step(String(arithAnswer('arith/0', 0)));
  await assert.rejects(env.step('1'), (e: unknown) => e instanceof EpisodeEndedError && /after the episode ended/.test(e.message));
});

test('reset validates the start state and names the problem', async () => {
  const env = new ArithEnv();
  await assert.rejects(env.reset({ taskId: 'arith/0', turns: [], mode: 'improve', depth: 1 }), (e: unknown) => e instanceof ValidationError && /mode "improve" needs a partial history/.test(e.message));
  await assert.rejects(env.reset({ taskId: 'arith/0', turns: [], mode: 'base' } as never), /missing required field "depth"/);
  await assert.rejects(env.reset({ taskId: 'arith/0', turns: [], mode: 'base', depth: 0 }, { seed: NaN }), /seed must be a finite number/);
});

test('the step budget truncates an episode that has not ended', async () => {
  class Short extends ArithEnv {
    override readonly spec = { ...new ArithEnv().spec, budgets: { maxSteps: 1 } };
  }
  const env = new Short();
  await env.reset(baseStart('arith/2')); // 3 turns
  const r = await env.step('0');
  assert.equal(r.terminated, false);
  assert.equal(r.truncated, true);
  assert.equal(r.info.truncatedBy, 'steps');
});

test('a full episode: quality is the fraction of right turns, stamped on every fresh iterate', async () => {
  const env = new ArithEnv();
  const id = 'arith/2';
  await env.reset(baseStart(id));
  await env.step(`${arithAnswer(id, 0)}`);
  await env.step('wrong');
  const last = await env.step(`so ${arithAnswer(id, 2)}`);
  assert.equal(last.terminated, true);
  assert.equal(last.reward, 2 / 3);
  const trace = env.trace();
  assert.equal(trace.length, 3);
  assert.deepEqual(trace.map((t) => t.iterates.map((i) => [i.quality, i.feedback, i.kind])), [
    [[2 / 3, 'correct', 'initial']],
    [[2 / 3, 'no integer found in the reply', 'initial']],
    [[2 / 3, 'correct', 'initial']],
  ]);
});
