/**
 * One training iteration, in the order of the paper's Algorithm 1:
 *
 *   1. for each of P start states: draw it from the curriculum (a base task, or selection then
 *      an improve / diverge step),
 *   2. roll out a group of G with the current policy (lockstep, one batched call per step),
 *   3. score: reward = the episode's return; an infrastructure failure is a null reward,
 *   4. learnability of the group and the buffer update (m′ and every per-turn partial history),
 *   5. advantages, × the diversity coefficients when the strategy has the bonus,
 *   6. the GRPO update (epochs × minibatches), π_old = the sampling logprobs,
 *   7. the reference update every M iterations.
 *
 * Validation (every V) and checkpoints are the run's business (run.ts).
 */
import { Rng } from '../../core/rng.js';
import type { CurriculumConfig } from '../../curriculum/config.js';
import { diversityCoefficients, applyDiversityBonus } from '../../curriculum/diversity.js';
import type { Embedder } from '../../curriculum/embedder.js';
import { nextStart, type CurriculumState, type EpisodeStart } from '../../curriculum/episode-start.js';
import { updateCurriculum } from '../../curriculum/expansion.js';
import { bufferMetrics, instanceText, runMetrics, startMetrics } from '../../curriculum/metrics.js';
import type { EpisodeResult } from '../../rollout/episode.js';
import { runGroupLockstep, type BatchSampler, type EnvPool } from '../../rollout/group.js';
import { groupAdvantages } from '../advantages.js';
import type { tf } from '../backend.js';
import type { Policy } from '../policy/policy.js';
import { shouldUpdate } from '../reference-update.js';
import { trainStep, updateReference, type GrpoSample, type TrainStepMetrics } from '../train-step.js';
import type { TrainConfig } from './config.js';
import { episodeSequence, grpoSample } from './samples.js';

/** Everything an iteration reads and updates. */
export interface LoopContext {
  config: TrainConfig;
  curriculumConfig: CurriculumConfig;
  curriculum: CurriculumState;
  policy: Policy;
  reference: Policy | null;
  optimizer: tf.Optimizer;
  sampler: BatchSampler;
  pool: EnvPool;
  embedder: Embedder;
  /** Stateful streams: curriculum draws, minibatch shuffles (checkpointed). */
  rngs: { curriculum: Rng; shuffle: Rng };
  /** The domain's overlong filter (BFCL: a reply must hold a tool call or a finish tag). */
  isValidResponse?: (text: string) => boolean;
  /** Called after the update with the new weights (pushes them to a rollout server). */
  afterUpdate?: () => Promise<Record<string, number>>;
}

/**
 * A seed derived from the run seed and a path through the splittable RNG, below 2³¹.
 *
 * @example seedOf(0, 'reset', 3, 17) // the env reset seed of sample 17 of iteration 3
 */
export function seedOf(runSeed: number, ...path: (string | number)[]): number {
  let rng = Rng.fromSeed(runSeed);
  for (const key of path) rng = rng.fork(key);
  return rng.uint32() >>> 1;
}

/** What one group produced. */
interface GroupRollout {
  start: EpisodeStart;
  episodes: EpisodeResult[];
  rewards: (number | null)[];
  advantages: number[];
  learnability: number | null;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Runs iteration `iteration` (1-based) and returns its metrics. */
export async function runIteration(ctx: LoopContext, iteration: number): Promise<Record<string, number>> {
  const { config } = ctx;
  const started = performance.now();
  const G = config.groupSize;

  // 1–5, one start state at a time (the policy runs one batch at a time).
  const groups: GroupRollout[] = [];
  for (let p = 0; p < config.promptsPerIteration; p++) {
    const start = nextStart(ctx.curriculum, ctx.curriculumConfig, ctx.rngs.curriculum);
    const episodes = await ctx.pool.useMany(G, (envs) =>
      runGroupLockstep(envs, ctx.sampler, start.start, {
        resetSeed: (i) => seedOf(config.seed, 'reset', iteration, p * G + i),
        callSeed: (k) => seedOf(config.seed, 'call', iteration, p, k),
        sampling: { maxTokens: config.maxTokens, temperature: config.temperature },
      }),
    );
    groups.push(await scoreGroup(ctx, start, episodes));
  }
  const rolloutSeconds = (performance.now() - started) / 1000;

  // 6. GRPO update on every scored sample of the iteration.
  const samples: GrpoSample[] = [];
  let sampledTokens = 0;
  for (const g of groups) {
    g.episodes.forEach((ep, i) => {
      if (g.rewards[i] === null) return;
      const seq = episodeSequence(ep, ctx.isValidResponse);
      sampledTokens += seq.sampledTokens;
      samples.push(grpoSample(seq, g.advantages[i] as number));
    });
  }
  const updateStarted = performance.now();
  const losses = await grpoUpdate(ctx, samples);
  const updateSeconds = (performance.now() - updateStarted) / 1000;

  // 7. Reference update every M iterations.
  if (ctx.reference && shouldUpdate(iteration, config.reference.every)) await updateReference(ctx.reference, ctx.policy, config.reference.alpha);
  const pushed = ctx.afterUpdate ? await ctx.afterUpdate() : {};

  const seconds = (performance.now() - started) / 1000;
  const rewards = groups.flatMap((g) => g.rewards).filter((r): r is number => r !== null);
  const rewardMean = mean(rewards);
  const scores = groups.map((g) => g.learnability).filter((s): s is number => s !== null);
  const embeds = await ctx.embedder.embed(groups.map((g) => instanceText(g.start.start)));
  const episodes = groups.flatMap((g) => g.episodes);
  return {
    'rollout/reward_mean': rewardMean,
    'rollout/reward_std': Math.sqrt(mean(rewards.map((r) => (r - rewardMean) ** 2))),
    'rollout/null_rewards': groups.flatMap((g) => g.rewards).filter((r) => r === null).length,
    'rollout/samples': episodes.length,
    'rollout/response_tokens_mean': samples.length ? sampledTokens / samples.length : 0,
    'rollout/calls_mean': mean(episodes.map((e) => e.steps.length)),
    'rollout/quality_mean': mean(episodes.flatMap((e) => (e.failure || e.quality === undefined ? [] : [e.quality]))),
    'curriculum/learnability_mean': mean(scores),
    ...bufferMetrics(ctx.curriculum.buffer, ctx.curriculumConfig),
    ...startMetrics(groups.map((g) => g.start), embeds),
    ...runMetrics(ctx.curriculum),
    ...losses,
    'perf/tokens_per_second': seconds > 0 ? sampledTokens / seconds : 0,
    'perf/rollout_seconds': rolloutSeconds,
    'perf/update_seconds': updateSeconds,
    'perf/iteration_seconds': seconds,
    ...pushed,
  };
}

/** Steps 3–5 for one group: rewards, learnability + buffer update, advantages (× diversity). */
async function scoreGroup(ctx: LoopContext, start: EpisodeStart, episodes: EpisodeResult[]): Promise<GroupRollout> {
  const { config } = ctx;
  const rewards = episodes.map((e) => (e.failure ? null : e.return));
  const fromReward = config.curriculum.learnabilityFrom === 'reward';
  const { score } = updateCurriculum(ctx.curriculum, ctx.curriculumConfig, {
    episode: start,
    traces: episodes.map((e) => (e.failure ? null : e.trace)),
    ...(fromReward ? { scores: rewards } : { qualities: episodes.map((e) => (e.failure ? null : (e.quality ?? null))) }),
  });
  let advantages = groupAdvantages(rewards, { scale: config.grpo.scale });
  if (ctx.curriculumConfig.diversityBonus) {
    const scored = episodes.flatMap((e, i) => (rewards[i] === null ? [] : [i]));
    const texts = scored.map((i) => (episodes[i] as EpisodeResult).steps.map((s) => s.completion.text).join('\n'));
    const d = diversityCoefficients(await ctx.embedder.embed(texts));
    const coef = episodes.map(() => 1);
    scored.forEach((i, j) => (coef[i] = d[j] as number));
    advantages = applyDiversityBonus(advantages, coef);
  }
  return { start, episodes, rewards, advantages, learnability: score };
}

/** Epochs × minibatches of `trainStep`; π_old is always the sampling logprobs the samples carry. */
async function grpoUpdate(ctx: LoopContext, samples: GrpoSample[]): Promise<Record<string, number>> {
  const { grpo } = ctx.config;
  if (samples.length === 0) return { 'losses/entropy': 0, 'losses/steps': 0 };
  const size = grpo.minibatch > 0 ? grpo.minibatch : samples.length;
  const steps: TrainStepMetrics[] = [];
  for (let epoch = 0; epoch < grpo.epochs; epoch++) {
    const order = ctx.rngs.shuffle.shuffle(samples.map((_, i) => i));
    for (let s = 0; s < order.length; s += size) {
      const batch = order.slice(s, s + size).map((i) => samples[i] as GrpoSample);
      const m = await trainStep(ctx.policy, ctx.reference, batch, ctx.optimizer, {
        epsilon: grpo.epsilon,
        beta: grpo.beta,
        normaliser: grpo.normaliser,
        // Dr. GRPO's constant normaliser is the generation budget per call (TRL: max_completion_length).
        constantLength: ctx.config.maxTokens,
        microBatchSize: grpo.microBatch,
        maxGradNorm: grpo.maxGradNorm,
      });
      // No loss token in the minibatch (e.g. the overlong filter masked every reply): trainStep took no step; not counted.
      if (m['perf/loss_tokens'] > 0) steps.push(m);
    }
  }
  const avg = (k: keyof TrainStepMetrics): number => mean(steps.map((m) => m[k]));
  return {
    'losses/loss': avg('losses/loss'),
    'losses/surrogate': avg('losses/surrogate'),
    'losses/kl': avg('losses/kl'),
    'losses/clip_frac': avg('losses/clip_frac'),
    'losses/entropy': avg('losses/entropy'),
    'losses/grad_norm': avg('losses/grad_norm'),
    'losses/steps': steps.length,
    'perf/trained_tokens_per_second': avg('perf/tokens_per_second'),
  };
}
