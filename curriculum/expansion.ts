/**
 * Expansion (paper Algorithm 1, "update B with m+ and m′ using score S"): after a group of
 * rollouts from one start m′, its learnability S scores m′ and every history the rollouts made
 * (m+, which has no score of its own yet and inherits its parent's). Inserting a history inserts
 * every per-turn partial history of it, so selection can later restart at any turn.
 */
import { taskKey } from '../core/hash.js';
import { historyOf, latestIterate, type History } from '../core/start-state.js';
import type { Trace } from '../core/types.js';
import { insertMany } from './buffer.js';
import type { BufferInsert, InsertResult } from './buffer-types.js';
import type { CurriculumConfig } from './config.js';
import { answeredTurns, checkCapacity, type CurriculumState, type EpisodeStart } from './episode-start.js';
import { learnability } from './learnability.js';

/**
 * Every per-turn partial history of a trace: for each answered turn t, the turns 0..t as they are.
 * A turn with no iterate (cut off before an answer) ends the list.
 *
 * @example a 3-turn trace with 2 iterates on the last turn gives 3 histories: [t0], [t0, t1], [t0, t1, t2] (depths 0, 0, 1)
 */
export function partialHistories(taskId: string, trace: Trace): History[] {
  const turns = answeredTurns(trace);
  return turns.map((_, t) => ({ taskId, turns: turns.slice(0, t + 1) }));
}

/** The quality of a finished rollout: its last answered turn's final iterate (the episode's G). */
export function traceQuality(trace: Trace): number | null {
  return latestIterate(answeredTurns(trace))?.quality ?? null;
}

/** What a finished group of rollouts from one start hands to the curriculum. */
export interface GroupOutcome {
  /** The start the group ran from (from `nextStart`). */
  episode: EpisodeStart;
  /** Each rollout's trace (`env.trace()` at episode end); null for a rollout lost to an infrastructure failure. */
  traces: (Trace | null)[];
  /**
   * Each rollout's quality in [0, 1], null when unscorable. Default: `traceQuality` of each trace.
   */
  qualities?: (number | null)[];
  /**
   * The values the learnability is the variance of, when they are not the qualities: a trainer
   * passes the rewards the group is trained on (for MLE-bench improve steps the normalised
   * improvement, PAPER.md §1.5), so learnability and advantages see the same numbers. Wins over
   * `qualities`; null for a rollout lost to an infrastructure failure.
   */
  scores?: (number | null)[];
  /** Ground-truth solution steps of the base task, kept on the entries for metrics. */
  gtSteps?: number;
}

/**
 * The buffer inserts for a finished group, all with the group's learnability S:
 * - `grpo`: none;
 * - `curriculum`: the base task itself;
 * - self-iterating strategies: m′ (when it is a history) with parent = the sampled entry, then
 *   every per-turn partial history of every trace with parent = m′ (children inherit S), except
 *   the prefixes that end before m′'s iterated turn (m′'s ancestors, which this group did not measure).
 * Returns S (null if no rollout could be scored, and then no inserts).
 */
export function expansionInserts(outcome: GroupOutcome, config: CurriculumConfig): { score: number | null; inserts: BufferInsert[] } {
  const qualities = outcome.scores ?? outcome.qualities ?? outcome.traces.map((t) => (t ? traceQuality(t) : null));
  const score = learnability(qualities);
  if (score === null || config.strategy === 'grpo') return { score, inserts: [] };
  const meta = outcome.gtSteps === undefined ? {} : { gtSteps: outcome.gtSteps };
  const { start, entryKey } = outcome.episode;
  if (!config.selfIterate) {
    return { score, inserts: [{ history: { taskId: start.taskId, turns: [] }, score, parentKey: null, ...meta }] };
  }
  const inserts: BufferInsert[] = [];
  let parentKey: string | null = null;
  if (start.mode !== 'base' && start.turns.length > 0) {
    const parent = historyOf(start);
    parentKey = taskKey(parent);
    inserts.push({ history: parent, score, parentKey: entryKey === parentKey ? null : entryKey, ...meta });
  }
  const seen = new Set<string>(parentKey ? [parentKey] : []);
  // Prefixes ending before the iterated turn are m′'s ancestors, not its children: this group did
  // not measure them, so their scores stay as they are.
  const firstChildTurns = Math.max(1, start.turns.length);
  for (const trace of outcome.traces) {
    if (!trace) continue;
    for (const h of partialHistories(start.taskId, trace)) {
      if (h.turns.length < firstChildTurns) continue;
      const key = taskKey(h);
      if (seen.has(key)) continue;
      seen.add(key);
      inserts.push({ history: h, score, parentKey, ...meta });
    }
  }
  return { score, inserts };
}

/** Applies `expansionInserts` to the curriculum's buffer. */
export function updateCurriculum(state: CurriculumState, config: CurriculumConfig, outcome: GroupOutcome): { score: number | null; results: InsertResult[] } {
  checkCapacity(state, config);
  const { score, inserts } = expansionInserts(outcome, config);
  return { score, results: insertMany(state.buffer, inserts) };
}
