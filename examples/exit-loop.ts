/**
 * The ExIt loop without a model: the curriculum picks each episode's start (a base task, or an
 * earlier answer to improve or to diverge from), a policy answers G times, the group's returns
 * become GRPO advantages scaled by the diversity bonus, and the group's learnability decides what
 * the buffer keeps. Swap the scripted policy for `OpenAIPolicyClient` or the trainer's
 * `LocalPolicyClient`, and feed the advantages to `trainStep`, for real training.
 *
 *   node --import tsx examples/exit-loop.ts
 */
import { EnvPool, Rng, runGroup, ScriptedClient } from 'exitgym';
import {
  applyDiversityBonus,
  bufferMetrics,
  createCurriculum,
  curriculumPreset,
  groupDiversity,
  HashedNgramEmbedder,
  nextStart,
  runMetrics,
  updateCurriculum,
} from 'exitgym/curriculum';
import { groupAdvantages } from 'exitgym/trainer';
import { ReverseEnv, reverseTaskIds } from './reverse-env.js';

// A noisy "model": reverses short words reliably, long ones only sometimes, so some tasks are
// always solved, some never, and some in between: the ones worth practising.
const policy = new ScriptedClient(({ lastUser, seed }) => {
  const word = /Reverse the letters of "([a-z]+)"/.exec(lastUser)?.[1] ?? '';
  const rng = Rng.fromSeed(seed ?? 0);
  const right = rng.bool(Math.max(0, 1.2 - word.length / 8));
  const answer = right ? [...word].reverse().join('') : [...word].sort().join('');
  return `Reading it backwards gives ${answer}`;
});

const config = curriculumPreset('math', 'exit', { capacity: 16, minSize: 4 }); // N, B_min; p = 0.5, p_div = 0.2
const state = createCurriculum(config, reverseTaskIds);
const rng = Rng.fromSeed(0);
const pool = new EnvPool(async () => new ReverseEnv());
const embedder = new HashedNgramEmbedder();
const G = 8;

for (let iteration = 0; iteration < 40; iteration++) {
  const episode = nextStart(state, config, rng);
  const group = await runGroup(pool, policy, episode.start, G, { seed: iteration * 1000 });
  const rewards = group.map((r) => (r.failure ? null : r.return)); // null: lost to an infrastructure failure
  const responses = group.map((r) => r.steps.map((s) => s.completion.text).join('\n'));
  const advantages = applyDiversityBonus(groupAdvantages(rewards), await groupDiversity(embedder, responses));
  const { score } = updateCurriculum(state, config, { episode, traces: group.map((r) => (r.failure ? null : r.trace)) });
  if (iteration % 10 === 9) {
    const where = episode.source === 'replay' ? `${episode.start.mode} of an earlier answer` : 'base task';
    console.log(
      `iteration ${iteration + 1}: ${episode.start.taskId} (${where}) mean return ${(rewards.reduce<number>((a, r) => a + (r ?? 0), 0) / G).toFixed(2)}, ` +
        `learnability ${score?.toFixed(3)}, max |advantage| ${Math.max(...advantages.map(Math.abs)).toFixed(2)}`,
    );
  }
}
await pool.close();

const metrics = { ...bufferMetrics(state.buffer, config), ...runMetrics(state) };
console.log(`buffer: ${metrics['curriculum/buffer_size']} entries, median score ${metrics['curriculum/score_median']?.toFixed(3)}`);
console.log(`distinct task instances seen: ${metrics['curriculum/distinct_instances_seen']}`);
