import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvPool } from '../rollout/group.js';
import type { Completion, CompletionRequest, PolicyClient } from '../rollout/types.js';
import { arithTask, ArithEnv } from '../test/fixtures/arith-env.js';
import { runSelfImprovementChain } from './self-improve.js';

/** Answers right, but cuts off (finish_reason length) every call whose seed is even. */
class CutOffClient implements PolicyClient {
  readonly id = 'cut-off';
  seeds: number[] = [];
  async complete(req: CompletionRequest): Promise<Completion> {
    const seed = req.seed ?? 0;
    this.seeds.push(seed);
    const m = /Compute (\d+) \+ (\d+)/.exec(req.messages[req.messages.length - 1]!.content)!;
    const sum = Number(m[1]) + Number(m[2]);
    return seed % 2 === 0 ? { text: `The answer is ${sum} and then I kept`, finishReason: 'length' } : { text: `The answer is ${sum}`, finishReason: 'stop' };
  }
}

const taskId = 'arith/0';

test('truncated responses are scored and counted per step by default', async () => {
  assert.equal(arithTask(taskId).pairs.length, 1);
  const client = new CutOffClient();
  const pool = new EnvPool(async () => new ArithEnv());
  const records = await runSelfImprovementChain({ pool, client, taskId, sample: 0, steps: 3, seed: 5 });
  await pool.close();
  // One call per step on a one-turn task: each record counts whether its call was cut off.
  const expected = client.seeds.map((s) => (s % 2 === 0 ? 1 : 0));
  assert.equal(client.seeds.length, 4);
  assert.deepEqual(records.map((r) => r.truncated ?? 0), expected);
  assert.ok(expected.some((x) => x === 1), 'the seeds hit at least one cut-off call');
  assert.ok(records.every((r) => r.quality === 1), 'a cut-off answer is still scored as it is');
});

test('--truncated retry re-samples cut-off calls with fresh seeds, then scores the last attempt', async () => {
  const client = new CutOffClient();
  const pool = new EnvPool(async () => new ArithEnv());
  const records = await runSelfImprovementChain({ pool, client, taskId, sample: 0, steps: 3, seed: 5, truncation: 'retry', truncationRetries: 4 });
  await pool.close();
  assert.ok(client.seeds.length > 4, 'cut-off calls were retried');
  // With four fresh seeds per call, an odd seed (no cut-off) is all but certain; pinned by the seeds.
  assert.deepEqual(records.map((r) => r.truncated ?? 0), [0, 0, 0, 0]);
  // The same chain again gives the same calls: retries are seeded.
  const again = new CutOffClient();
  const pool2 = new EnvPool(async () => new ArithEnv());
  await runSelfImprovementChain({ pool: pool2, client: again, taskId, sample: 0, steps: 3, seed: 5, truncation: 'retry', truncationRetries: 4 });
  await pool2.close();
  assert.deepEqual(again.seeds, client.seeds);
});
