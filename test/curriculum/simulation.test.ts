/**
 * The curriculum end to end on the fixture arith env with a scripted policy whose success rate
 * depends on the task (p = 1 − difficulty: arith/0 always right, arith/23 always wrong). ExIt's
 * buffer should fill with — and selection should replay — tasks of intermediate success, where
 * learnability p(1 − p) is high; GRPO's uniform base sampling is the baseline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../core/rng.js';
import type { Trace } from '../../core/types.js';
import { curriculumPreset, type CurriculumConfig } from '../../curriculum/config.js';
import { createCurriculum, nextStart, type EpisodeStart } from '../../curriculum/episode-start.js';
import { updateCurriculum } from '../../curriculum/expansion.js';
import { bufferMetrics, runMetrics, startMetrics } from '../../curriculum/metrics.js';
import { arithAnswer, ArithEnv, arithTask, arithTaskIds } from '../fixtures/arith-env.js';

const successRate = (taskId: string): number => 1 - arithTask(taskId).difficulty;
const learnable = (taskId: string): number => successRate(taskId) * (1 - successRate(taskId));

/** One scripted rollout: each turn answered right with the task's success rate. */
async function rollout(env: ArithEnv, start: EpisodeStart['start'], seed: number): Promise<Trace> {
  const rng = Rng.fromSeed(seed);
  const reset = await env.reset(start, { seed });
  let turn = Number(reset.info.turn ?? 0);
  for (;;) {
    const right = arithAnswer(start.taskId, turn);
    const answer = rng.bool(successRate(start.taskId)) ? right : right + 1 + rng.int(9);
    const r = await env.step(`The sum is ${answer}`);
    if (r.terminated || r.truncated) return env.trace();
    turn = r.info.turn + 1;
  }
}

async function simulate(config: CurriculumConfig, episodes: number, groupSize: number, seed: number) {
  const env = new ArithEnv();
  const state = createCurriculum(config, arithTaskIds);
  const rng = Rng.fromSeed(seed);
  const starts: EpisodeStart[] = [];
  for (let e = 0; e < episodes; e++) {
    const episode = nextStart(state, config, rng);
    starts.push(episode);
    const traces: Trace[] = [];
    for (let g = 0; g < groupSize; g++) traces.push(await rollout(env, episode.start, seed * 100_000 + e * 100 + g));
    updateCurriculum(state, config, { episode, traces });
  }
  await env.close();
  return { state, starts };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

test('the ExIt buffer concentrates on tasks of intermediate success; GRPO samples uniformly', async () => {
  const exit = curriculumPreset('math', 'exit', { capacity: 40, minSize: 10, kappa: 40, baseSampling: 'uniform' });
  const { state, starts } = await simulate(exit, 160, 8, 1);
  const { starts: grpoStarts } = await simulate(curriculumPreset('math', 'grpo', { baseSampling: 'uniform' }), 160, 8, 1);

  const taskMean = mean(arithTaskIds.map(learnable)); // ≈ 0.159 for p uniform on {0, 1/23, …, 1}
  const bufferMean = mean(state.buffer.entries.map((e) => learnable(e.history.taskId)));
  const replayed = starts.filter((s) => s.source === 'replay');
  const replayMean = mean(replayed.map((s) => learnable(s.start.taskId)));
  const grpoMean = mean(grpoStarts.map((s) => learnable(s.start.taskId)));

  assert.equal(state.buffer.entries.length, 40, 'the buffer filled up, so eviction decided what stayed');
  assert.ok(replayed.length > 40, `enough replays to judge (${replayed.length})`);
  // Always-solved (p = 1) and never-solved (p = 0) tasks have S = 0 and are evicted first.
  const extremes = state.buffer.entries.filter((e) => learnable(e.history.taskId) === 0).length;
  assert.equal(extremes, 0, 'no always- or never-solved task survives in a full buffer');
  assert.ok(bufferMean > taskMean + 0.05, `buffer E[p(1−p)] ${bufferMean.toFixed(3)} vs task set ${taskMean.toFixed(3)}`);
  assert.ok(replayMean > grpoMean + 0.04, `replayed E[p(1−p)] ${replayMean.toFixed(3)} vs GRPO ${grpoMean.toFixed(3)}`);
  assert.ok(Math.abs(grpoMean - taskMean) < 0.03, `GRPO samples like the task set (${grpoMean.toFixed(3)})`);
  // The buffer's scores are high, and sampling is prioritised (entropy below uniform).
  const m = bufferMetrics(state.buffer, exit);
  assert.ok(m['curriculum/score_median']! > 0.1, `median score ${m['curriculum/score_median']}`);
  assert.ok(m['curriculum/sampling_entropy']! < Math.log(40));
  const run = runMetrics(state);
  assert.equal(run['curriculum/episodes'], 160);
  assert.equal(run['curriculum/replays'], replayed.length);
  // Every base task was drawn at least once, and replays added self-iteration instances on top.
  assert.ok(run['curriculum/distinct_instances_seen']! > 24 && run['curriculum/distinct_instances_seen']! <= 160);
  const sm = startMetrics(starts);
  assert.ok(sm['curriculum/sampled_depth_mean']! > 0, 'depth accumulates through the buffer');
  assert.ok(sm['curriculum/diverge_fraction']! > 0.05 && sm['curriculum/diverge_fraction']! < 0.4, `p_div 0.2 → ${sm['curriculum/diverge_fraction']}`);
});

test('the curriculum strategy keeps the base tasks of intermediate success (top-N by learnability)', async () => {
  const config = curriculumPreset('math', 'curriculum', { capacity: 8, minSize: 4, kappa: 40, baseSampling: 'uniform' });
  const { state, starts } = await simulate(config, 120, 8, 3);
  assert.equal(state.buffer.entries.length, 8);
  for (const e of state.buffer.entries) assert.deepEqual(e.history.turns, [], 'base tasks only, no self-iteration');
  assert.ok(starts.every((s) => s.start.mode === 'base'));
  const rates = state.buffer.entries.map((e) => successRate(e.history.taskId));
  assert.ok(rates.every((p) => p > 0.1 && p < 0.9), `success rates kept: ${rates.map((p) => p.toFixed(2)).join(', ')}`);
});

test('the simulation is reproducible from its seed', async () => {
  const config = curriculumPreset('math', 'exit', { capacity: 16, minSize: 4, baseSampling: 'uniform' });
  const a = await simulate(config, 25, 4, 7);
  const b = await simulate(config, 25, 4, 7);
  assert.deepEqual(a.state, b.state);
  assert.deepEqual(a.starts, b.starts);
});
