/**
 * Resets from partial histories (the ExIt task instances): replaying kept calls rebuilds the
 * exact world state, the improve/diverge prompt wraps the request and the previous attempt, the
 * budget counts the replayed calls, and checkEnv passes in both configurations.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { continueStart, iterateStart, type IterationMode } from '../../core/start-state.js';
import type { StartState, Turn } from '../../core/types.js';
import { ExitgymError } from '../../core/errors.js';
import { checkEnv } from '../../envs/check-env.js';
import { perfectActions } from '../../envs/bfcl/scripted-agent.js';
import { DATA_DIR, base, bfclData, last, makeBfclEnv, play } from './helpers.js';

const TASK = 'multi_turn_base_0';

async function perfectTrace(): Promise<{ trace: Turn[]; actions: string[] }> {
  const data = await bfclData();
  const actions = perfectActions(data.byId.get(TASK) as never).flat();
  const env = await makeBfclEnv({ config: 'test' });
  const steps = await play(env, base(TASK), actions);
  assert.equal(last(steps).reward, 1);
  assert.deepEqual(steps[3]?.info.check, { turn: 0, passed: true }, 'finishing a request reports its official check');
  return { trace: env.trace(), actions };
}

const improve = (turns: Turn[], mode: IterationMode = 'improve'): StartState => iterateStart(mode, { taskId: TASK, turns }, 1);

describe('BfclEnv histories (EXITGYM_DATA_DIR)', () => {
  test('a trace has one turn per assistant step; inputs hold the system prompt and the requests', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const { trace } = await perfectTrace();
    assert.equal(trace.length, 14, '10 calls + 4 TASK_FINISHED');
    assert.deepEqual(trace[0]?.input.map((m) => m.role), ['system', 'user']);
    assert.deepEqual(trace[1]?.input, []);
    assert.deepEqual(trace[4]?.input.map((m) => m.role), ['user'], 'the step after TASK_FINISHED opens request 1');
    assert.deepEqual(trace[0]?.iterates[0]?.response.map((m) => m.role), ['assistant', 'tool']);
    assert.deepEqual(trace[3]?.iterates[0]?.response.map((m) => m.role), ['assistant']);
    assert.ok(trace.every((turn) => turn.iterates.every((it) => it.quality === 1 && it.kind === 'initial')));
  });

  test('improving any step from its prefix rebuilds the world exactly: redoing it and the rest scores 1', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const { trace, actions } = await perfectTrace();
    const env = await makeBfclEnv({ config: 'test' });
    for (const k of [0, 2, 4, 8, 13]) {
      const reset = await env.reset(improve(trace.slice(0, k + 1)));
      assert.equal(reset.info.startStep, k);
      const prompt = reset.observation[reset.observation.length - 1];
      assert.equal(prompt?.role, 'user');
      assert.ok(prompt?.content.startsWith('Improve your current response to this request:\n\n## Request:\n'), `k=${k}`);
      assert.ok(prompt?.content.includes(`## Current response:\n${actions[k]}`), `k=${k}: the previous attempt is quoted`);
      const users = reset.observation.filter((m) => m.role === 'user').length;
      // Requests start at steps 0, 4, 7 and 9; a request that opens step k is inside the prompt.
      const expectedUsers: Record<number, number> = { 0: 1, 2: 2, 4: 2, 8: 4, 13: 5 };
      assert.equal(users, expectedUsers[k], `k=${k}: earlier requests, then the prompt`);
      let r;
      for (const a of actions.slice(k)) r = await env.step(a);
      assert.equal(r?.reward, 1, `k=${k}`);
      const after = env.trace();
      assert.deepEqual(after[k]?.iterates.map((it) => it.kind), ['initial', 'improve']);
      assert.deepEqual(after.slice(0, k), trace.slice(0, k), 'earlier turns are kept as given');
    }
  });

  test('improving a wrong step fixes the episode', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const { actions } = await perfectTrace();
    const env = await makeBfclEnv({ config: 'train' });
    const wrong = [actions[0] as string, (actions[1] as string).replace('"temp"', '"tmp"'), actions[2] as string, actions[3] as string];
    assert.equal(last(await play(env, base(TASK), wrong)).reward, 0);
    const history = env.trace();
    await env.reset(improve(history.slice(0, 2)));
    await env.step(actions[1] as string);
    await env.step(actions[2] as string);
    const end = await env.step(actions[3] as string);
    assert.equal(end.reward, 1);
    const trace = env.trace();
    assert.deepEqual(trace[1]?.iterates.map((it) => [it.kind, it.quality]), [['initial', 0], ['improve', 1]]);
  });

  test('diverge uses the paper prompt; base mode with a history continues after it', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const { trace, actions } = await perfectTrace();
    const env = await makeBfclEnv({ config: 'train' });
    const d = await env.reset(improve(trace.slice(0, 2), 'diverge'));
    assert.match(d.observation[d.observation.length - 1]?.content ?? '', /^Consider your current response to this request, and provide another response/);
    const cont = await env.reset(continueStart({ taskId: TASK, turns: trace.slice(0, 2) }));
    assert.equal(cont.observation[cont.observation.length - 1]?.role, 'tool', 'the conversation so far, ending with the last tool result');
    await env.step(actions[2] as string);
    const end = await env.step(actions[3] as string);
    assert.equal(end.reward, 1);
    assert.equal(env.trace().length, 4);
  });

  test('the budget counts replayed steps; an improve episode still gets its one call', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const env = await makeBfclEnv({ config: 'train' });
    const steps = await play(env, base(TASK), Array.from({ length: 10 }, (_, i) => `thinking ${i}`));
    assert.equal(last(steps).truncated, true);
    const history = env.trace();
    await env.reset(improve(history.slice(0, 9)));
    assert.equal((await env.step('<tool>[{"name": "cd", "args": {"folder": "document"}}]</tool>')).truncated, false, '8 replayed + 1 new');
    assert.equal((await env.step('more thinking')).truncated, true, '8 replayed + 2 new = the 10-call budget');
    await env.reset(improve(history));
    assert.equal((await env.step('still thinking')).truncated, true, 'a history already over budget gets one call');
  });

  test('a replayed <TASK_ERROR> (a stitched history) has no effect', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const { trace, actions } = await perfectTrace();
    const env = await makeBfclEnv({ config: 'train' });
    const turn = (content: string, input: Turn['input'] = []): Turn => ({ input, iterates: [{ response: [{ role: 'assistant', content }], quality: 0, kind: 'initial' }] });
    // The first turn keeps the task's request (what ties a history to its task).
    await env.reset(improve([turn(actions[0] as string, trace[0]?.input), turn('I give up <TASK_ERROR>'), turn('placeholder')]));
    await env.step(actions[1] as string);
    await env.step(actions[2] as string);
    assert.equal((await env.step(actions[3] as string)).reward, 1);
  });

  test("a history from another task is refused, not replayed inside this task's world", async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const { trace } = await perfectTrace();
    const data = await bfclData();
    const other = data.tasks.find((x) => x.id !== TASK && x.requests[0] !== data.byId.get(TASK)?.requests[0])?.id as string;
    const env = await makeBfclEnv({ config: 'train' });
    for (const start of [iterateStart('improve', { taskId: other, turns: trace.slice(0, 2) }), iterateStart('diverge', { taskId: other, turns: trace }), continueStart({ taskId: other, turns: trace.slice(0, 1) })]) {
      await assert.rejects(env.reset(start), (e: unknown) => e instanceof ExitgymError && e.message.startsWith(`bfcl: the start state's history does not belong to task "${other}": its first turn asks `));
    }
    // The same history on its own task, and under the other request format, is accepted.
    await env.reset(improve(trace.slice(0, 2)));
    await (await makeBfclEnv({ config: 'train', bespokeCompat: true })).reset(improve(trace.slice(0, 2)));
  });

  test('a task outside the split is refused with the split named', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const data = await bfclData();
    const env = await makeBfclEnv({ split: 'train' });
    const testId = data.split.test[0] as string;
    await assert.rejects(env.reset(base(testId)), (e: unknown) => e instanceof ExitgymError && e.message.includes(`"${testId}"`) && e.message.includes('split "train"'));
  });

  for (const config of ['train', 'test'] as const) {
    test(`checkEnv passes in the ${config} configuration`, async (t) => {
      if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
      const data = await bfclData();
      const actions = perfectActions(data.byId.get(TASK) as never, config === 'train' ? 1 : undefined).flat();
      const report = await checkEnv(await makeBfclEnv({ config }), { start: base(TASK), actions });
      assert.equal(report.skipped.length, 0);
      assert.ok(report.passed.length >= 9);
    });
  }
});
