/**
 * The training loop on a fixture env a tiny random-init model can learn: the reward rises over 40
 * iterations on wasm; the same seed gives the same metrics; infrastructure failures are null
 * rewards that neither crash the run nor count as 0.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { registerEnv, unregisterEnv } from '../../envs/registry.js';
import { patternEntry } from '../../test/fixtures/pattern-env.js';
import { writeTinyModel } from '../../testing/tiny-model.js';
import { listCheckpoints } from '../checkpoint.js';
import { resolveTrainConfig } from './presets.js';
import { train, type MetricsLine } from './run.js';

const ENV = 'loop-test-pattern';
let dir: string;
let model: string;

before(async () => {
  registerEnv(patternEntry(ENV));
  dir = await mkdtemp(join(tmpdir(), 'exitgym-loop-'));
  model = join(dir, 'model');
  await writeTinyModel(model, { seed: 1 });
});
after(() => unregisterEnv(ENV));

const config = (over: Record<string, unknown>) =>
  resolveTrainConfig(
    { env: ENV, strategy: 'grpo', model, backend: 'wasm', promptsPerIteration: 2, groupSize: 8, maxTokens: 8, checkpointEvery: 100, grpo: { learningRate: 3e-3, beta: 0.001 }, reference: { every: 10, alpha: 1 }, ...over },
    () => 'fixture',
  );

async function run(name: string, over: Record<string, unknown>): Promise<MetricsLine[]> {
  const lines: MetricsLine[] = [];
  await train({ config: config(over), runDir: join(dir, name), onIteration: (m) => lines.push(m) });
  return lines;
}

const timeless = (m: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'time' && !k.startsWith('perf/')));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

test('GRPO raises the reward of a tiny random-init model from the first 5 to the last 5 of 40 iterations (wasm)', { timeout: 600_000 }, async () => {
  const lines = await run('learn', { iterations: 40 });
  const rewards = lines.map((m) => m['rollout/reward_mean'] as number);
  const first = mean(rewards.slice(0, 5));
  const last = mean(rewards.slice(-5));
  assert.ok(last - first >= 0.3, `reward went from ${first.toFixed(3)} to ${last.toFixed(3)}; expected a rise of at least 0.3`);
  // metrics.jsonl holds the same lines, namespaced, one per iteration.
  const file = readFileSync(join(dir, 'learn', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as MetricsLine);
  assert.deepEqual(file.map((m) => m.iteration), lines.map((m) => m.iteration));
  for (const key of ['rollout/reward_mean', 'rollout/null_rewards', 'curriculum/buffer_size', 'losses/kl', 'losses/clip_frac', 'losses/entropy', 'perf/tokens_per_second']) {
    assert.ok(typeof file[0]![key] === 'number', `metrics lines carry ${key}`);
  }
  assert.deepEqual(await listCheckpoints(join(dir, 'learn')), [40], 'the final checkpoint is written');
});

test('two ExIt runs with the same seed give identical metrics; another seed differs', { timeout: 300_000 }, async () => {
  const over = { strategy: 'exit', iterations: 3, seed: 7, maxTokens: 6, groupSize: 4, curriculum: { capacity: 8, minSize: 1 }, grpo: { learningRate: 3e-3, beta: 0.01, epochs: 2, minibatch: 4 }, reference: { every: 2, alpha: 0.5 } };
  const a = await run('same-a', over);
  const b = await run('same-b', over);
  assert.deepEqual(a.map(timeless), b.map(timeless));
  assert.ok(a.some((m) => m['curriculum/replay_fraction']! > 0), 'the runs replayed from the buffer (ExIt selection ran)');
  const c = await run('other-seed', { ...over, seed: 8 });
  assert.notDeepEqual(c.map(timeless), a.map(timeless));
});

test('infrastructure failures are null rewards: counted, never scored 0, and the run goes on', { timeout: 300_000 }, async () => {
  const lines = await run('infra', { iterations: 2, envOptions: { failRate: 0.4 } });
  assert.equal(lines.length, 2);
  const nulls = lines.reduce((a, m) => a + m['rollout/null_rewards']!, 0);
  assert.ok(nulls > 0 && nulls < 32, `some but not all of the 32 samples failed (${nulls})`);
  // The mean is over scored samples only: every scored reward is in [0, 1], and failures are not 0s in it.
  for (const m of lines) assert.equal(m['rollout/samples'], 16);
  assert.ok(existsSync(join(dir, 'infra', 'metrics.jsonl')));
});

test('validation every V runs the K-step eval on the held-out split and logs eval/accuracy@k and eval/mean_quality@k', { timeout: 300_000 }, async () => {
  const lines = await run('validation', { iterations: 2, promptsPerIteration: 1, groupSize: 4, validation: { split: 'held-out', every: 2, steps: 1, limit: 2 } });
  assert.equal(Object.keys(lines[0]!).filter((k) => k.startsWith('eval/')).length, 0, 'no validation before iteration V');
  for (const k of [0, 1]) {
    for (const key of [`eval/accuracy@${k}`, `eval/mean_quality@${k}`]) {
      const v = lines[1]![key];
      assert.ok(typeof v === 'number' && v >= 0 && v <= 1, `${key} = ${v}`);
    }
  }
  assert.ok(existsSync(join(dir, 'validation', 'eval', '2', 'results.jsonl')), "the eval's own files are kept under eval/<iteration>/");
  // A misspelt env option fails before anything loads, naming the option.
  await assert.rejects(run('bad-option', { iterations: 1, envOptions: { failrate: 0.1 } }), /failrate/);
});
