import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/builtin.js';
import { ConfigError } from '../../core/errors.js';
import { createBfclEnv } from '../../envs/bfcl/env.js';
import { envEntry, envTasks, makeEnv } from '../../envs/registry.js';
import { DATA_DIR, bfclData } from './helpers.js';
import { baseStart } from '../../core/start-state.js';
import { runEpisode } from '../../rollout/episode.js';
import type { PolicyClient } from '../../rollout/types.js';

test('the bfcl entry lists budgets without loading data, and rejects bad options naming them', async () => {
  const entry = envEntry('bfcl');
  assert.deepEqual(entry.budgets, { train: { maxSteps: 10 }, test: { maxSteps: 60 } });
  await assert.rejects(makeEnv('bfcl', { split: 'valid' }), (e: unknown) => e instanceof ConfigError && /option split must be one of "train", "test", "all"; got "valid"/.test(e.message));
  await assert.rejects(makeEnv('bfcl', { split: 'train', config: 'eval' }), (e: unknown) => e instanceof ConfigError && /option config must be one of "train", "test"/.test(e.message));
  await assert.rejects(makeEnv('bfcl', { bespoke_compat: true }), (e: unknown) => e instanceof ConfigError && /unknown option "bespoke_compat" \(did you mean "bespokeCompat"\?\); the options are split, config, bespokeCompat/.test(e.message));
  await assert.rejects(makeEnv('bfcl', { bespokeCompat: 'yes' }), (e: unknown) => e instanceof ConfigError && /option bespokeCompat must be boolean; got "yes"/.test(e.message));
  await assert.rejects(makeEnv('bfcl', { Split: 'test' }), (e: unknown) => e instanceof ConfigError && /^bfcl: unknown option "Split" \(did you mean "split"\?\)/.test(e.message));
  await assert.rejects(envTasks('bfcl', { maxstep: 3 }), (e: unknown) => e instanceof ConfigError && /unknown option "maxstep" \(did you mean "maxSteps"\?\)/.test(e.message));
  await assert.rejects(makeEnv('bfcl', { maxSteps: 0 }), (e: unknown) => e instanceof ConfigError && /option maxSteps must be >= 1; got 0/.test(e.message));
  await assert.rejects(makeEnv('bfcl', { maxSteps: 2.5 }), (e: unknown) => e instanceof ConfigError && /option maxSteps must be integer; got 2.5/.test(e.message));
  await assert.rejects(createBfclEnv({ today: '2024/01/31' }), (e: unknown) => e instanceof ConfigError && /option today must match pattern/.test(e.message));
});

test('tasks() gives the split ids; the config follows the split unless given', async (t) => {
  if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  const entry = envEntry('bfcl');
  const data = await bfclData();
  assert.deepEqual(await entry.tasks?.({ split: 'test' }), data.split.test);
  assert.equal((await entry.tasks?.({}))?.length, 200);
  assert.equal((await makeEnv('bfcl', { split: 'train' })).spec.budgets.maxSteps, 10);
  assert.equal((await makeEnv('bfcl', { split: 'test' })).spec.budgets.maxSteps, 60);
  assert.equal((await makeEnv('bfcl', { split: 'test', config: 'train' })).spec.budgets.maxSteps, 10);
  assert.deepEqual((await makeEnv('bfcl', {})).spec.stop, ['</tool>', '<TASK_FINISHED>', '<TASK_ERROR>']);
});

test('a reply cut at a stop string reaches the env with it: <TASK_FINISHED> ends the request, not a parse error', async (t) => {
  if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  const env = await makeEnv('bfcl', { split: 'train' });
  const [taskId] = await envTasks('bfcl', { split: 'train' });
  const asked: (string[] | undefined)[] = [];
  // What vLLM or exitgym serve-model answer: the text stops before the stop string and name it.
  const client: PolicyClient = {
    id: 'stop-at-marker',
    complete: async (req) => {
      asked.push(req.stop);
      return { text: 'Nothing to do here. ', finishReason: 'stop', stopString: '<TASK_FINISHED>' };
    },
  };
  const ep = await runEpisode(env, client, baseStart(taskId!), { seed: 0, maxCalls: 1 });
  await env.close();
  assert.deepEqual(asked[0], ['</tool>', '<TASK_FINISHED>', '<TASK_ERROR>'], 'the protocol stop strings are sent');
  assert.equal(ep.steps[0]!.completion.text, 'Nothing to do here. <TASK_FINISHED>');
  assert.equal(ep.terminated, true, 'the one-request train episode is finished by the marker');
  assert.ok(!ep.steps[0]!.info.error, `no parse error: ${String(ep.steps[0]!.info.error)}`);
});
