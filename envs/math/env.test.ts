import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { UnknownIdError } from '../../core/errors.js';
import { runEnvConformance } from '../../testing/index.js';
import { baseStart } from '../../core/start-state.js';
import { createMathEnv } from './env.js';
import { MATH_PROMPT_SUFFIX } from './tasks.js';
import type { MathSplit } from '../../datasets/math.js';

const dataDir = fileURLToPath(new URL('../../test/fixtures/math/data', import.meta.url));
const make = (split: MathSplit = 'math500') => createMathEnv({ split, dataDir });

runEnvConformance({
  name: 'math (fixture tasks)',
  makeEnv: () => make(),
  start: baseStart('math500/1'),
  actions: ['$\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}$', '\\boxed{(3,\\pi)}'],
});

test('base episode: the problem with the boxed-answer instruction, reward 1 for a right answer', async () => {
  const env = await make();
  const { observation, info } = await env.reset(baseStart('math500/0'));
  assert.equal(observation[0]?.content, `What is $\\frac{2}{4}$ in lowest terms?${MATH_PROMPT_SUFFIX}`);
  assert.equal(info.steps, 2, 'complexity = lines of the reference solution');
  const r = await env.step('Dividing by 2 gives $\\boxed{0.5}$.');
  assert.deepEqual([r.reward, r.terminated, r.truncated, r.info.quality, r.info.extracted, r.info.reason], [1, true, false, 1, '0.5', 'equal']);
  assert.equal(env.trace()[0]?.iterates[0]?.kind, 'initial');
});

test('wrong and missing answers are reward 0 with feedback, never a throw', async () => {
  const env = await make();
  await env.reset(baseStart('math500/2'));
  const wrong = await env.step('\\boxed{2}');
  assert.equal(wrong.reward, 0);
  assert.match(wrong.info.feedback ?? '', /Incorrect: the final answer 2 is wrong/);
  assert.equal(wrong.info.error, undefined);
  await env.reset(baseStart('math500/2'));
  const none = await env.step('I give up.');
  assert.equal(none.reward, 0);
  assert.equal(none.info.error, 'no answer found');
  assert.match(none.info.feedback ?? '', /No final answer found/);
});

test('improve and diverge start states wrap the problem and the latest answer in the paper prompts', async () => {
  const env = await make();
  await env.reset(baseStart('fixture/roots'));
  await env.step('x = 2, so \\boxed{2}');
  const turns = env.trace();
  const improve = await env.reset({ taskId: 'math500/2', turns, mode: 'improve', depth: 1 });
  const text = improve.observation[0]?.content ?? '';
  assert.ok(text.startsWith('Improve your current response to this request:\n\n## Request:\nFind all real solutions of $x^2 = 4$.'));
  assert.ok(text.endsWith('## Current response:\nx = 2, so \\boxed{2}'));
  const r = await env.step('Both signs work: \\boxed{\\pm 2}');
  assert.equal(r.reward, 1);
  const trace = env.trace();
  assert.deepEqual(trace[0]?.iterates.map((i) => [i.kind, i.quality]), [['initial', 0], ['improve', 1]]);
  const diverge = await env.reset({ taskId: 'math500/2', turns: trace, mode: 'diverge', depth: 2 });
  assert.match(diverge.observation[0]?.content ?? '', /SIGNIFICANTLY DIFFERS[\s\S]*## Current response:\nBoth signs work/);
});

test('task ids: <split>/<index> or the row id; unknown ids list examples', async () => {
  const env = await make('minerva');
  await env.reset(baseStart('fixture/sci'));
  assert.equal((await env.step('\\boxed{4.5 \\times 10^{33}}')).reward, 1, 'any accepted Minerva form counts');
  await assert.rejects(env.reset(baseStart('minerva/7')), (e: unknown) => e instanceof UnknownIdError && /minerva\/0/.test(e.message));
  await assert.rejects(createMathEnv({ split: 'nope' as MathSplit, dataDir }), /split must be one of/);
});
