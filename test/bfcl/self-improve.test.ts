/**
 * The BFCL env under the real K-step self-improvement chain (eval/self-improve.ts): a
 * scripted policy that knows the ground truth answers by its position in the conversation, so
 * every improve episode must rebuild the exact world to stay correct.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvPool } from '../../rollout/group.js';
import { ScriptedClient } from '../../rollout/scripted-client.js';
import { runSelfImprovementChain } from '../../eval/self-improve.js';
import { perfectActions } from '../../envs/bfcl/scripted-agent.js';
import { DATA_DIR, bfclData, makeBfclEnv } from './helpers.js';

test('K-step chain on BFCL: each assistant step gets its initial answer and k improves in turn, the world is rebuilt each time', async (t) => {
  if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  const data = await bfclData();
  const taskId = 'multi_turn_base_101';
  const actions = perfectActions(data.byId.get(taskId) as never).flat();
  // The conversation holds one assistant message per step already taken, so its count is the
  // index of the step being asked for, in base and improve episodes alike.
  const client = new ScriptedClient(({ messages }) => actions[messages.filter((m) => m.role === 'assistant').length] ?? '<TASK_ERROR>');
  const pool = new EnvPool(() => makeBfclEnv({ config: 'test' }));
  const records = await runSelfImprovementChain({ pool, client, taskId, sample: 0, steps: 2, seed: 1 });
  assert.deepEqual(records.map((r) => r.quality), [1, 1, 1]);
  // Budget 0: one call per step. Budget k ≥ 1: one more improve of step 0 (its first k iterates are
  // budget k − 1's), then 1 + k calls on every later step.
  const later = actions.length - 1;
  assert.equal(client.calls, actions.length + (1 + 2 * later) + (1 + 3 * later));
  const trace = records[2]?.trace ?? [];
  assert.equal(trace.length, actions.length);
  assert.ok(trace.every((turn) => turn.iterates.length === 3 && turn.iterates[2]?.kind === 'improve'));
  assert.deepEqual(records.map((r) => r.firstTurnCorrect), [true, true, true]);
  // A policy that gives up at once solves neither the first request nor the episode.
  const [quit] = await runSelfImprovementChain({ pool, client: new ScriptedClient(() => '<TASK_ERROR>'), taskId, sample: 0, steps: 0, seed: 1 });
  assert.deepEqual([quit?.quality, quit?.firstTurnCorrect], [0, false]);
  // One that solves the first request and then gives up: first-turn right, all-turn return 0.
  const firstOnly = [...(perfectActions(data.byId.get(taskId) as never)[0] ?? []), '<TASK_ERROR>'];
  const half = new ScriptedClient(({ messages }) => firstOnly[messages.filter((m) => m.role === 'assistant').length] ?? '<TASK_ERROR>');
  const [partial] = await runSelfImprovementChain({ pool, client: half, taskId, sample: 0, steps: 0, seed: 1 });
  assert.deepEqual([partial?.quality, partial?.firstTurnCorrect], [0, true]);
});
