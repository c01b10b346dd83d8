import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import '../builtin.js';
import { ConfigError, ValidationError } from '../../core/errors.js';
import { baseStart, divergeStart, improveStart } from '../../core/start-state.js';
import type { MathSplit } from '../../datasets/math.js';
import { envTasks, makeEnv } from '../registry.js';
import { createMathEnv } from './env.js';

const dataDir = fileURLToPath(new URL('../../test/fixtures/math/data', import.meta.url));
const configError = (re: RegExp) => (e: unknown) => e instanceof ConfigError && re.test(e.message);

test('math: an unknown or mistyped option is an error naming it, before any data is read', async () => {
  // The example: a capitalised key used to serve the train split silently.
  await assert.rejects(makeEnv('math', { Split: 'math500', dataDir }), configError(/^math: unknown option "Split" \(did you mean "split"\?\); the options are split, dataDir, verifyTimeoutMs\.$/));
  await assert.rejects(envTasks('math', { spilt: 'math500' }), configError(/unknown option "spilt" \(did you mean "split"\?\)/));
  await assert.rejects(makeEnv('math', { split: 'math5000' }), configError(/option split must be one of "train", .*"math500".*; got "math5000"/));
  await assert.rejects(makeEnv('math', { split: 'math500', verifyTimeoutMs: '2000' }), configError(/option verifyTimeoutMs must be number; got "2000"/));
  await assert.rejects(createMathEnv({ verifyTimeoutMs: 0 }), configError(/option verifyTimeoutMs must be > 0; got 0/));
  await assert.rejects(createMathEnv({ dataDir: 7 as unknown as string }), configError(/option dataDir must be string; got 7/));
  const env = await makeEnv('math', { split: 'math500' as MathSplit, dataDir, verifyTimeoutMs: 500 });
  await env.close();
});

test("math: a history recorded on another problem is refused, not graded against this problem's gold", async () => {
  const env = await createMathEnv({ split: 'math500', dataDir });
  await env.reset(baseStart('math500/0'));
  await env.step('\\boxed{\\frac{1}{2}}');
  const history = { taskId: 'math500/0', turns: env.trace() };
  // The same history on its own task is fine, by split index or row id.
  await env.reset(improveStart(history));
  await env.reset(improveStart({ ...history, taskId: 'fixture/half' }));
  for (const start of [improveStart({ ...history, taskId: 'math500/2' }), divergeStart({ ...history, taskId: 'math500/2' })]) {
    await assert.rejects(
      env.reset(start),
      (e: unknown) => e instanceof ValidationError && /^math: the start state's history does not belong to task "math500\/2": its first turn asks "What is \$.*in lowest terms\?/.test(e.message) && /Find all real solutions/.test(e.message),
    );
  }
  // A first turn that asks nothing cannot be tied to the task either.
  const blank = { taskId: 'math500/0', turns: [{ input: [], iterates: history.turns[0]?.iterates ?? [] }] };
  await assert.rejects(env.reset(improveStart(blank)), (e: unknown) => e instanceof ValidationError && /its first turn asks nothing/.test(e.message));
  await env.close();
});
