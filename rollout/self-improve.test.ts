import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError } from '../core/errors.js';
import { ArithEnv, arithAnswer, arithTask, arithTaskIds, lastInteger } from '../test/fixtures/arith-env.js';
import { EnvPool } from './group.js';
import { summariseSelfImprovement } from './metrics.js';
import { ScriptedClient, type ScriptContext } from './scripted-client.js';
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
