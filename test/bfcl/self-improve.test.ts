/**
 * The BFCL env under the real K-step self-improvement chain (rollout/self-improve.ts): a
 * scripted policy that knows the ground truth answers by its position in the conversation, so
 * every improve episode must rebuild the exact world to stay correct.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvPool } from '../../rollout/group.js';
import { ScriptedClient } from '../../rollout/scripted-client.js';
import { runSelfImprovementChain } from '../../rollout/self-improve.js';
import { perfectActions } from '../../envs/bfcl/scripted-agent.js';
import { DATA_DIR, bfclData, makeBfclEnv } from './helpers.js';

test('K-step chain on BFCL: each assistant step is improved in turn, the world is rebuilt each time', async (t) => {
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
  assert.equal(client.calls, actions.length * 3 + actions.reduce((n, _, i) => n + (actions.length - i - 1), 0) * 2);
  const trace = records[2]?.trace ?? [];
  assert.equal(trace.length, actions.length);
  assert.ok(trace.every((turn) => turn.iterates.length === 3 && turn.iterates[2]?.kind === 'improve'));
});
