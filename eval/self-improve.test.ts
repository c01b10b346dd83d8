import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError } from '../core/errors.js';
import { ArithEnv, arithAnswer, arithTask, arithTaskIds, lastInteger } from '../test/fixtures/arith-env.js';
import { GenericEnv } from '../test/fixtures/generic-env.js';
import { EnvPool } from '../rollout/group.js';
import { summariseSelfImprovement } from './metrics.js';
import { ScriptedClient, type ScriptContext } from '../rollout/scripted-client.js';
import { runSelfImprovementChain, type ChainStepRecord } from './self-improve.js';

// Single-turn fixture tasks: arith/0, arith/3, …, arith/21 (8 tasks).
const singleTurn = arithTaskIds.filter((id) => arithTask(id).pairs.length === 1);

/** Which task a prompt is about, from the numbers in its question. */
function taskOf(ctx: ScriptContext): { id: string; index: number } {
  const m = /Compute (\d+) \+ (\d+)/.exec(ctx.messages.map((x) => x.content).join('\n'))!;
  const id = singleTurn.find((t) => arithTask(t).pairs[0]![0] === Number(m[1]) && arithTask(t).pairs[0]![1] === Number(m[2]))!;
  return { id, index: Number(id.split('/')[1]) };
}

/** The attempt number is written into every answer ("attempt k: …"); the prompt holds the last one. */
function attemptOf(ctx: ScriptContext): number {
  const m = /attempt (\d+):/.exec(ctx.lastUser);
  return m ? Number(m[1]) + 1 : 0;
}

async function runAll(client: ScriptedClient, steps: number): Promise<ChainStepRecord[]> {
  const pool = new EnvPool(async () => new ArithEnv());
  const all: ChainStepRecord[] = [];
  for (const taskId of singleTurn) all.push(...(await runSelfImprovementChain({ pool, client, taskId, sample: 0, steps, seed: 3 })));
  return all;
}

test('a policy that fixes exactly the even-index tasks at step 2 gives the hand-computed curve', async () => {
  // Even index (arith/0, 6, 12, 18 → 4 of 8 tasks): wrong until attempt 2, then right.
  const client = new ScriptedClient((ctx) => {
    const { id, index } = taskOf(ctx);
    const k = attemptOf(ctx);
    const right = index % 2 === 0 && k >= 2;
    return `attempt ${k}: ${right ? arithAnswer(id, 0) : arithAnswer(id, 0) + 1}`;
  });
  const records = await runAll(client, 3);
  assert.equal(records.length, 8 * 4);
  const s = summariseSelfImprovement(records, 3);
  assert.deepEqual(s.steps.map((x) => x.accuracy), [0, 0, 0.5, 0.5]);
  assert.deepEqual(s.steps.map((x) => x.netCorrections), [0, 0, 4, 0]);
  assert.equal(s.deltaK, 0.5);
  // The step-2 prompt is the paper's improve prompt around the step-1 answer.
  const step2 = records.find((r) => r.taskId === 'arith/0' && r.step === 2)!;
  assert.equal(step2.trace[0]!.iterates.length, 3);
  assert.deepEqual(step2.trace[0]!.iterates.map((i) => i.kind), ['initial', 'improve', 'improve']);
  assert.equal(lastInteger(step2.response!), arithAnswer('arith/0', 0));
});

test('a policy that breaks right answers shows right→wrong corrections', async () => {
  // Right at step 0 for every task; tasks with index divisible by 3*2 are broken at step 1.
  const client = new ScriptedClient((ctx) => {
    const { id, index } = taskOf(ctx);
    const k = attemptOf(ctx);
    const broken = k >= 1 && index % 6 === 0;
    return `attempt ${k}: ${broken ? -1 : arithAnswer(id, 0)}`;
  });
  const s = summariseSelfImprovement(await runAll(client, 1), 1);
  // arith/0, 6, 12, 18 are broken (index % 6 === 0): 4 of 8.
  assert.deepEqual(s.steps.map((x) => x.accuracy), [1, 0.5]);
  assert.deepEqual([s.steps[1]!.wrongToRight, s.steps[1]!.rightToWrong, s.steps[1]!.netCorrections], [0, 4, -4]);
  assert.equal(s.deltaK, -0.5);
});

test('a failed call ends the chain with a null record; resume continues from the last good step', async () => {
  let failAt1 = true;
  const client = new ScriptedClient((ctx) => {
    const k = attemptOf(ctx);
    if (k === 1 && failAt1) throw new ProviderError('endpoint timed out', { failure: 'timeout' });
    return `attempt ${k}: ${arithAnswer(taskOf(ctx).id, 0)}`;
  });
  const pool = new EnvPool(async () => new ArithEnv());
  const first = await runSelfImprovementChain({ pool, client, taskId: 'arith/3', sample: 0, steps: 2, seed: 1 });
  assert.deepEqual(first.map((r) => [r.step, r.quality]), [[0, 1], [1, null]]);
  assert.match(first[1]!.error!, /timed out/);
  assert.equal(first[1]!.fatal, false);
  failAt1 = false;
  const callsBefore = client.calls;
  const resumed = await runSelfImprovementChain({ pool, client, taskId: 'arith/3', sample: 0, steps: 2, seed: 1, resume: first });
  assert.deepEqual(resumed.map((r) => [r.step, r.quality]), [[1, 1], [2, 1]]);
  assert.equal(client.calls - callsBefore, 2, 'step 0 is not redone');
});

test('multi-turn chains improve every turn in order and keep earlier turns\' improved iterates', async () => {
  const id = 'arith/2'; // 3 turns
  const client = new ScriptedClient((ctx) => {
    const k = attemptOf(ctx);
    const m = /Compute (\d+) \+ (\d+)/.exec(ctx.lastUser)!;
    const sum = Number(m[1]) + Number(m[2]);
    return `attempt ${k}: ${k === 0 ? sum + 1 : sum}`;
  });
  const pool = new EnvPool(async () => new ArithEnv());
  const records = await runSelfImprovementChain({ pool, client, taskId: id, sample: 0, steps: 1, seed: 1 });
  assert.deepEqual(records.map((r) => r.quality), [0, 1]);
  const trace = records[1]!.trace;
  assert.equal(trace.length, 3);
  assert.deepEqual(trace.map((t) => t.iterates.map((i) => i.kind)), [['initial', 'improve'], ['initial', 'improve'], ['initial', 'improve']]);
});

/** Which turn of a multi-turn arith task a prompt is about (the question in the last user message). */
function turnOf(taskId: string, lastUser: string): number {
  const m = /Compute (\d+) \+ (\d+)/.exec(lastUser)!;
  return arithTask(taskId).pairs.findIndex(([a, b]) => a === Number(m[1]) && b === Number(m[2]));
}

test('multi-turn: each turn gets its initial answer and k improve steps before the next turn (hand-computed curve)', async () => {
  const id = 'arith/2'; // 3 turns
  // Turn t is answered right once it has had at least t improve steps: budget k solves turns 0..k.
  const prompts: string[][] = [];
  const client = new ScriptedClient((ctx) => {
    prompts.push(ctx.messages.map((m) => `${m.role}: ${m.content}`));
    const t = turnOf(id, ctx.lastUser);
    const j = attemptOf(ctx);
    return `attempt ${j}: ${j >= t ? arithAnswer(id, t) : -1}`;
  });
  const pool = new EnvPool(async () => new ArithEnv());
  const records = await runSelfImprovementChain({ pool, client, taskId: id, sample: 0, steps: 2, seed: 1 });
  const s = summariseSelfImprovement(records, 2, { correctAt: 1 });
  assert.deepEqual(records.map((r) => r.quality), [1 / 3, 2 / 3, 1]);
  assert.deepEqual(s.steps.map((x) => x.accuracy), [0, 0, 1]);
  assert.deepEqual(s.steps.map((x) => x.meanQuality), [1 / 3, 2 / 3, 1]);
  assert.deepEqual(s.steps.map((x) => x.netCorrections), [0, 0, 1]);
  assert.equal(s.deltaK, 1);
  // Calls: budget 0 = 3 initial answers; budget k ≥ 1 = one more improve on turn 0 (its first k
  // iterates are budget k − 1's) + (1 + k) on each of turns 1 and 2.
  assert.equal(client.calls, 3 + (1 + 2 * 2) + (1 + 2 * 3));
  // Budget 2's trace: every turn holds its initial answer then 2 improves, in that order.
  assert.deepEqual(records[2]!.trace.map((t) => t.iterates.map((i) => i.kind)), [['initial', 'improve', 'improve'], ['initial', 'improve', 'improve'], ['initial', 'improve', 'improve']]);
  // Turn 1's initial answer at budget 2 sees the plain conversation with turn 0's final (2nd improved) answer…
  const [a0, b0] = arithTask(id).pairs[0]!;
  const [a1, b1] = arithTask(id).pairs[1]!;
  const q = (a: number, b: number): string => `user: Compute ${a} + ${b}. End your reply with the number.`;
  assert.deepEqual(prompts[3 + 5 + 1], [q(a0, b0), `assistant: attempt 2: ${arithAnswer(id, 0)}`, q(a1, b1)]);
  // …and its improve steps get the improve prompt around turn 1's latest iterate after that same context.
  const improve = prompts[3 + 5 + 2]!;
  assert.deepEqual(improve.slice(0, 2), [q(a0, b0), `assistant: attempt 2: ${arithAnswer(id, 0)}`]);
  assert.equal(improve.length, 3);
  assert.match(improve[2]!, /^user: Improve your current response to this request:\n\n## Request:\nCompute \d+ \+ \d+\. End your reply with the number\.\n\n## Current response:\nattempt 0: -1$/);
});

test('multi-turn resume: a chain cut at step 2 continues from step 1\'s record and reaches the uninterrupted records', async () => {
  const id = 'arith/2';
  const policy = (ctx: ScriptContext): string => {
    const t = turnOf(id, ctx.lastUser);
    const j = attemptOf(ctx);
    return `attempt ${j}: ${(j + t + (ctx.seed ?? 0)) % 2 === 0 ? arithAnswer(id, t) : 0}`;
  };
  const pool = new EnvPool(async () => new ArithEnv());
  const full = await runSelfImprovementChain({ pool, client: new ScriptedClient(policy), taskId: id, sample: 1, steps: 3, seed: 9 });
  let calls = 0;
  const flaky = new ScriptedClient((ctx) => {
    if (++calls === 10) throw new ProviderError('HTTP 500 from the endpoint', { failure: 'server' });
    return policy(ctx);
  });
  const cut = await runSelfImprovementChain({ pool, client: flaky, taskId: id, sample: 1, steps: 3, seed: 9 });
  assert.deepEqual(cut.map((r) => r.quality === null), [false, false, true]);
  assert.deepEqual(cut[2]!.failedCall, { turn: 1, iterate: 0 }, 'calls 1–3 = budget 0, 4–8 = budget 1, 9 = budget 2 turn 0 iterate 2, 10 = its turn 1 initial answer');
  const resumed = await runSelfImprovementChain({ pool, client: new ScriptedClient(policy), taskId: id, sample: 1, steps: 3, seed: 9, resume: cut });
  assert.deepEqual(resumed.map((r) => r.step), [2, 3]);
  assert.deepEqual([...cut.slice(0, 2), ...resumed].map((r) => [r.step, r.quality, r.response]), full.map((r) => [r.step, r.quality, r.response]));
});

test('an env that restarts instead of continuing after a history fails with a clear message', async () => {
  const pool = new EnvPool(async () =>
    new GenericEnv({ step: () => ({ observation: [{ role: 'user', content: 'next' }], reward: 0, terminated: false, truncated: false, info: { turn: 0 } }) }),
  );
  const client = new ScriptedClient(() => 'yes');
  await assert.rejects(
    runSelfImprovementChain({ pool, client, taskId: 't', sample: 0, steps: 0, seed: 0 }),
    /the env did not continue after a 1-turn history in mode "base".*needs reset\(\{ turns, mode: 'base' \}\) to replay those turns/,
  );
});
