import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError } from '../core/errors.js';
import { baseStart } from '../core/start-state.js';
import { ArithEnv, arithAnswer } from '../test/fixtures/arith-env.js';
import { GenericEnv } from '../test/fixtures/generic-env.js';
import { runEpisode } from './episode.js';
import { PatternEnv } from '../test/fixtures/pattern-env.js';
import { EnvPool, memberSeed, runGroup, runGroupLockstep, type BatchSampler } from './group.js';
import { ScriptedClient } from './scripted-client.js';
import type { Completion, CompletionRequest, PolicyClient } from './types.js';

/** Records every request; answers with `answer(request)` after `delayMs`, counting calls in flight. */
class RecordingClient implements PolicyClient {
  readonly id = 'recording';
  requests: CompletionRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    private readonly answer: (r: CompletionRequest) => string,
    private readonly delayMs = 0,
  ) {}
  async complete(request: CompletionRequest): Promise<Completion> {
    this.requests.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.inFlight--;
    return { text: this.answer(request), finishReason: 'stop', tokenIds: [1, 2], logprobs: [-0.1, -0.2] };
  }
}

test('unparsable output is data: reward 0 and feedback, and the episode goes on to the next turn', async () => {
  const id = 'arith/2'; // 3 turns
  let call = 0;
  const client = new ScriptedClient(() => (call++ === 1 ? 'I would rather not say.' : `It is ${arithAnswer(id, call - 1)}`));
  const ep = await runEpisode(new ArithEnv(), client, baseStart(id), { seed: 4 });
  assert.equal(ep.failure, undefined);
  assert.equal(ep.steps.length, 3, 'the unparsable answer did not end the episode');
  assert.deepEqual(ep.steps.map((s) => s.info.error), [undefined, 'unparsable answer', undefined]);
  assert.equal(ep.steps[1]!.info.feedback, 'no integer found in the reply');
  assert.deepEqual(ep.steps.map((s) => s.reward), [0, 0, 2 / 3]);
  assert.equal(ep.quality, 2 / 3);
  assert.equal(ep.return, 2 / 3);
  assert.equal(ep.terminated, true);
  assert.equal(ep.trace[1]!.iterates[0]!.response[0]!.content, 'I would rather not say.');
});

test('each call sees the whole conversation, the env\'s stop strings, seed + i and the logprobs flag', async () => {
  const env = new GenericEnv({
    spec: { stop: ['</answer>'], budgets: { maxSteps: 3 } },
    step: (action, i) => ({ observation: [{ role: 'user', content: `again ${i}` }], reward: 0, terminated: i === 1, truncated: false, info: { turn: 0, quality: 0 } }),
  });
  const client = new RecordingClient(() => 'no');
  const ep = await runEpisode(env, client, baseStart('t'), { seed: 10, logprobs: true, sampling: { maxTokens: 5 } });
  assert.deepEqual(client.requests.map((r) => [r.seed, r.stop, r.logprobs, r.maxTokens]), [[10, ['</answer>'], true, 5], [11, ['</answer>'], true, 5]]);
  assert.deepEqual(client.requests[1]!.messages.map((m) => `${m.role}:${m.content}`), ['user:Say yes.', 'assistant:no', 'user:again 0']);
  assert.deepEqual(ep.steps[0]!.completion.tokenIds, [1, 2]);
  assert.deepEqual(ep.steps[0]!.completion.logprobs, [-0.1, -0.2]);
  assert.deepEqual(ep.steps.map((s) => s.prompt.length), [1, 3]);
});

test('maxCalls stops an episode early without marking it terminated or truncated', async () => {
  const ep = await runEpisode(new ArithEnv(), new ScriptedClient(() => '0'), baseStart('arith/2'), { seed: 0, maxCalls: 1 });
  assert.deepEqual([ep.steps.length, ep.terminated, ep.truncated, ep.quality], [1, false, false, undefined]);
});

test('a failed model call ends the episode with `failure`; other errors are bugs and throw', async () => {
  let n = 0;
  const flaky = new ScriptedClient(() => {
    if (++n === 2) throw new ProviderError('the model endpoint http://x/v1 did not answer within 1 s', { failure: 'timeout' });
    return '1';
  });
  const ep = await runEpisode(new ArithEnv(), flaky, baseStart('arith/2'), { seed: 0 });
  assert.deepEqual(ep.failure, { step: 1, error: 'the model endpoint http://x/v1 did not answer within 1 s', fatal: false, source: 'model' });
  assert.equal(ep.steps.length, 1);
  assert.equal(ep.quality, undefined, 'an unfinished episode has no quality');
  const buggy = new ScriptedClient(() => {
    throw new TypeError('x is undefined');
  });
  await assert.rejects(runEpisode(new ArithEnv(), buggy, baseStart('arith/0'), { seed: 0 }), /x is undefined/);
});

test('a group runs G rollouts with distinct seeds, in member order, at most `concurrency` at once', async () => {
  const client = new RecordingClient((r) => String(r.seed), 15);
  let made = 0;
  const pool = new EnvPool(async () => {
    made++;
    return new ArithEnv();
  });
  const group = await runGroup(pool, client, baseStart('arith/0'), 6, { seed: 7, concurrency: 2 });
  assert.equal(group.length, 6);
  assert.deepEqual(group.map((g) => g.steps[0]!.completion.text), [0, 1, 2, 3, 4, 5].map((i) => String(memberSeed(7, i))));
  assert.equal(new Set(group.map((g) => g.steps[0]!.completion.text)).size, 6);
  assert.equal(client.maxInFlight, 2);
  assert.equal(made, 2, 'envs are reused, one per rollout in flight');
  // The same seed gives the same group; each member starts from its own copy of the start state.
  const again = await runGroup(pool, client, baseStart('arith/0'), 6, { seed: 7, concurrency: 3 });
  assert.deepEqual(again.map((g) => g.steps[0]!.completion.text), group.map((g) => g.steps[0]!.completion.text));
  assert.equal(client.maxInFlight, 3);
  await pool.close();
});

test('member seeds never collide across groups whose seeds are 1000 apart (the old seed + 1000·i scheme did)', () => {
  const seen = new Map<number, string>();
  for (let group = 0; group < 200; group++) {
    for (let member = 0; member < 16; member++) {
      const s = memberSeed(1000 * group, member);
      assert.ok(!seen.has(s), `group ${group} member ${member} shares seed ${s} with ${seen.get(s)}`);
      seen.set(s, `group ${group} member ${member}`);
    }
  }
  // The old collision: member i of group j vs member i − 1 of group j + 1.
  assert.notEqual(memberSeed(5000, 3), memberSeed(6000, 2));
});

test('a completion cut before its stop string reaches the env with the stop string (include_stop_str_in_output)', async () => {
  const seen: string[] = [];
  const client: PolicyClient = { id: 'stop', complete: async () => ({ text: 'It is 5', finishReason: 'stop', stopString: '</answer>' }) };
  const env = new ArithEnv();
  const step = env.step.bind(env);
  env.step = async (action: string) => {
    seen.push(action);
    return step(action);
  };
  await runEpisode(env, client, baseStart('arith/0'), { seed: 0, maxCalls: 1 });
  assert.deepEqual(seen, ['It is 5</answer>']);
});

test('lockstep group: an env infrastructure failure fails that member only (null reward, error kept), the others finish', async () => {
  const envs = Array.from({ length: 6 }, () => new PatternEnv(0.5));
  let calls = 0;
  const sampler: BatchSampler = {
    id: 'scripted-batch',
    sampleBatch: async (rows, opts) => {
      calls++;
      return rows.map((_, r) => ({ completion: { text: `abc${r}${opts.seed}`, finishReason: 'stop' } }));
    },
  };
  const group = await runGroupLockstep(envs, sampler, baseStart('pattern/0'), { resetSeed: (i) => i, callSeed: () => 9 });
  assert.equal(calls, 1, 'one batched call for the whole group');
  const failed = group.filter((g) => g.failure);
  assert.ok(failed.length > 0 && failed.length < 6, `some members failed (${failed.length})`);
  for (const f of failed) {
    assert.equal(f.failure!.source, 'env');
    assert.match(f.failure!.error, /SandboxError: pattern: simulated sandbox failure/);
    assert.equal(f.quality, undefined);
  }
  for (const ok of group.filter((g) => !g.failure)) assert.equal(ok.return, 3 / 8 + 0, 'the others are scored normally');
});

test('lockstep group: a failed batched model call fails the members still playing, not the group run', async () => {
  const sampler: BatchSampler = {
    id: 'down',
    sampleBatch: async () => {
      throw new ProviderError('endpoint down', { failure: 'unreachable' });
    },
  };
  const group = await runGroupLockstep([new ArithEnv(), new ArithEnv()], sampler, baseStart('arith/0'), { resetSeed: (i) => i, callSeed: () => 0 });
  assert.deepEqual(group.map((g) => g.failure?.source), ['model', 'model']);
});
