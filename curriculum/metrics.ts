/**
 * Curriculum metrics, namespaced `curriculum/…` so dashboards compare runs: buffer size, score
 * quantiles, sampling entropy, and what the sampled starts looked like (depth, starting turn,
 * ground-truth steps, distinct instances, embedding spread).
 */
import { ConfigError } from '../core/errors.js';
import { taskKey } from '../core/hash.js';
import { answerText, historyDepth, lastTurn, latestIterate } from '../core/start-state.js';
import type { BufferState } from './buffer-types.js';
import { meanPairwiseDistances } from './diversity.js';
import type { CurriculumState, EpisodeStart } from './episode-start.js';
import { samplingEntropy, type SamplingParams } from './sampling.js';

/** Linear-interpolated quantile of sorted values (q in [0, 1]); 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Buffer-level metrics. O(N log N) (sorts the scores): call it when logging, not per sample. */
export function bufferMetrics(buffer: BufferState, params: SamplingParams): Record<string, number> {
  const scores = buffer.entries.map((e) => e.score).sort((a, b) => a - b);
  const depths = buffer.entries.map((e) => historyDepth(e.history));
  const entropy = samplingEntropy(buffer, params);
  return {
    'curriculum/buffer_size': buffer.entries.length,
    'curriculum/score_min': quantile(scores, 0),
    'curriculum/score_p25': quantile(scores, 0.25),
    'curriculum/score_median': quantile(scores, 0.5),
    'curriculum/score_p75': quantile(scores, 0.75),
    'curriculum/score_max': quantile(scores, 1),
    'curriculum/score_mean': mean(scores),
    'curriculum/buffer_depth_mean': mean(depths),
    'curriculum/buffer_tasks': new Set(buffer.entries.map((e) => e.history.taskId)).size,
    'curriculum/sampling_entropy': entropy,
    // exp(H) / |B|: 1 = uniform, → 0 as sampling concentrates on few entries.
    'curriculum/sampling_entropy_ratio': buffer.entries.length > 1 ? Math.exp(entropy) / buffer.entries.length : 1,
  };
}

/**
 * Metrics of a batch of episode starts. `embeddings`, when given, are one vector per start (e.g.
 * of its latest iterate's text) for the mean pairwise cosine and L2 distances. Ground-truth steps
 * come from the buffer entry a replay was drawn from; `gtStepsOf(taskId)` supplies them for base
 * starts (which no entry describes), so GRPO and ExIt runs report the same quantity.
 */
export function startMetrics(
  starts: readonly EpisodeStart[],
  embeddings?: readonly ArrayLike<number>[],
  gtStepsOf?: (taskId: string) => number | undefined,
): Record<string, number> {
  if (embeddings && embeddings.length !== starts.length) {
    throw new ConfigError(`startMetrics: ${embeddings.length} embeddings for ${starts.length} starts; embed every start (instanceText gives its text).`);
  }
  const replays = starts.filter((s) => s.source === 'replay');
  const gt = starts.flatMap((s) => {
    const steps = s.gtSteps ?? gtStepsOf?.(s.start.taskId);
    return steps === undefined ? [] : [steps];
  });
  const out: Record<string, number> = {
    'curriculum/replay_fraction': starts.length ? replays.length / starts.length : 0,
    'curriculum/sampled_depth_mean': mean(replays.map((s) => s.start.depth)),
    'curriculum/sampled_depth_max': replays.reduce((a, s) => Math.max(a, s.start.depth), 0),
    'curriculum/start_turn_mean': mean(replays.map((s) => s.turn)),
    'curriculum/diverge_fraction': replays.length ? replays.filter((s) => s.start.mode === 'diverge').length / replays.length : 0,
    'curriculum/distinct_instances': new Set(starts.map((s) => taskKey(s.start))).size,
    'curriculum/distinct_tasks': new Set(starts.map((s) => s.start.taskId)).size,
  };
  if (gt.length) out['curriculum/gt_steps_mean'] = mean(gt);
  if (embeddings && embeddings.length >= 2) {
    const d = meanPairwiseDistances(embeddings);
    out['curriculum/pairwise_cosine_distance'] = d.cosine;
    out['curriculum/pairwise_l2_distance'] = d.l2;
  }
  return out;
}

/** The text an instance is embedded by for diversity metrics: its latest iterate, or its request for a base task. */
export function instanceText(start: EpisodeStart['start']): string {
  const last = lastTurn(start);
  const it = latestIterate(last);
  if (it) return answerText(it.response, 'transcript');
  return last ? last.input.map((m) => m.content).join('\n') : start.taskId;
}

/** Run-level counters: episodes, replays and distinct start instances seen since the start of training. */
export function runMetrics(state: CurriculumState): Record<string, number> {
  return {
    'curriculum/episodes': state.episodes,
    'curriculum/replays': state.replays,
    'curriculum/distinct_instances_seen': state.seenKeys.length,
    'curriculum/base_epoch': state.base.epoch,
  };
}
