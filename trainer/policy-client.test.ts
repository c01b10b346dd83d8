import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { baseStart } from '../core/start-state.js';
import { runEpisode } from '../rollout/episode.js';
import { ArithEnv } from '../test/fixtures/arith-env.js';
import { writeScriptedModel, writeTinyModel } from '../testing/tiny-model.js';
import { readSamplingDefaults } from './generation-defaults.js';
import { loadPolicy } from './policy/policy.js';
import { LocalPolicyClient } from './policy-client.js';

const dir = await mkdtemp(join(tmpdir(), 'exitgym-local-client-'));
await writeTinyModel(dir, { seed: 5, embedStd: 0.3, generationConfig: { temperature: 0, top_k: 3 } });
const policy = await loadPolicy(dir, { backend: 'cpu', trainable: false, log: () => {} });
after(() => policy.dispose());
const messages = [{ role: 'user' as const, content: 'hello' }];

test('the local client fills omitted sampling fields from generation_config.json and reports what it used', async () => {
  const client = new LocalPolicyClient(policy, { samplingDefaults: await readSamplingDefaults(dir) });
  const greedy = await client.completeMany({ messages, maxTokens: 6, seed: 1 }, 2);
  assert.deepEqual(greedy[0]!.effectiveSampling, { temperature: 0, top_p: 1, top_k: 3, max_tokens: 6, seed: 1 });
  assert.deepEqual(greedy[0]!.tokenIds, greedy[1]!.tokenIds, 'temperature 0 from the checkpoint: greedy');
  const sampled = await client.completeMany({ messages, maxTokens: 6, seed: 1, temperature: 1, topK: 0 }, 4);
  assert.equal(sampled[0]!.effectiveSampling?.temperature, 1, 'the request wins');
  assert.ok(new Set(sampled.map((c) => c.tokenIds!.join(','))).size > 1, 'and samples differ');
  assert.deepEqual((await client.complete({ messages, maxTokens: 6, seed: 1, temperature: 1, topK: 0 })).tokenIds, sampled[0]!.tokenIds, 'complete is sample 0');
});

/** BFCL's stop list: a call ends at its closing tag, which the env must see. */
const BFCL_STOPS = ['</tool>', '<TASK_FINISHED>', '<TASK_ERROR>'];

test('a stop string that cut the text is reported, and the env sees the completion with it (BFCL stop list)', async (t) => {
  const scripted = await mkdtemp(join(tmpdir(), 'exitgym-scripted-'));
  await writeScriptedModel(scripted, { chain: ['<tool>{"name": "ls"}', '</tool>', ' and more'] });
  const p = await loadPolicy(scripted, { backend: 'cpu', trainable: false, log: () => {} });
  t.after(() => p.dispose());
  const client = new LocalPolicyClient(p);
  const c = await client.complete({ messages, maxTokens: 8, seed: 1, stop: BFCL_STOPS });
  assert.equal(c.text, '<tool>{"name": "ls"}');
  assert.equal(c.stopString, '</tool>');
  assert.equal((await client.complete({ messages, maxTokens: 8, seed: 1 })).stopString, undefined, 'eos: no stop string');
  const env = new ArithEnv();
  const step = env.step.bind(env);
  const seen: string[] = [];
  env.step = async (action: string) => (seen.push(action), step(action));
  await runEpisode(env, client, baseStart('arith/0'), { seed: 0, maxCalls: 1, sampling: { stop: BFCL_STOPS, maxTokens: 8 } });
  assert.deepEqual(seen, ['<tool>{"name": "ls"}</tool>']);
});
