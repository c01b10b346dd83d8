/**
 * Where each episode starts (paper Algorithm 1, "selection"): with probability p, once the buffer
 * holds at least B_min entries, replay — sample an entry by learnability, cut its history at a
 * random turn and iterate, then make it a self-improvement step, or a self-divergence step with
 * probability p_div; otherwise draw a base task.
 */
import { ConfigError } from '../core/errors.js';
import { taskKey } from '../core/hash.js';
import type { Rng } from '../core/rng.js';
import type { StartState, Turn } from '../core/types.js';
import { baseStart, iterateStart, type IterationMode } from '../core/start-state.js';
import { createBuffer } from './buffer.js';
import type { BufferEntry, BufferState } from './buffer-types.js';
import { resolveCurriculumConfig, type CurriculumConfig } from './config.js';
import { sampleEntry } from './sampling.js';

/** The base-task sampler: a permutation of task indices walked in order, reshuffled each epoch. */
export interface BaseSamplerState {
  taskIds: string[];
  /** The current epoch's order (indices into taskIds); empty until the first draw. */
  order: number[];
  cursor: number;
  /** Completed reshuffles (1 after the first). */
  epoch: number;
}

/** Everything the curriculum carries between episodes; plain JSON, checkpointed as it is. */
export interface CurriculumState {
  version: 1;
  buffer: BufferState;
  base: BaseSamplerState;
  /** Episodes started. */
  episodes: number;
  /** Episodes started from the buffer. */
  replays: number;
  /** Keys of the distinct start states used so far, in first-use order (the "distinct instances seen" metric). */
  seenKeys: string[];
}

/** Derived set over `seenKeys`, rebuilt when the array was loaded or edited (length mismatch). */
const seenSets = new WeakMap<string[], Set<string>>();

/** Records a start's key; returns the number of distinct instances seen so far. */
export function recordSeen(state: CurriculumState, start: StartState): number {
  let set = seenSets.get(state.seenKeys);
  if (!set || set.size !== state.seenKeys.length) {
    set = new Set(state.seenKeys);
    seenSets.set(state.seenKeys, set);
  }
  const key = taskKey(start);
  if (!set.has(key)) {
    set.add(key);
    state.seenKeys.push(key);
  }
  return state.seenKeys.length;
}

/** How an episode starts, with what the metrics need. */
export interface EpisodeStart {
  start: StartState;
  source: 'base' | 'replay';
  /** The sampled buffer entry's key (replay), else null. */
  entryKey: string | null;
  /** 0-based index of the turn the start acts on (the last turn of the prefix; 0 for a base task). */
  turn: number;
  /** Ground-truth steps of the task when the buffer entry carries them. */
  gtSteps?: number;
}

/**
 * A fresh curriculum over a task set.
 *
 * @example
 * const config = curriculumPreset('math', 'exit');
 * const state = createCurriculum(config, taskIds);
 * const { start } = nextStart(state, config, rng);
 */
export function createCurriculum(config: CurriculumConfig, taskIds: readonly string[]): CurriculumState {
  resolveCurriculumConfig(config);
  if (taskIds.length === 0) throw new ConfigError('createCurriculum: the task set is empty; pass the base task ids of the training split.');
  if (new Set(taskIds).size !== taskIds.length) throw new ConfigError('createCurriculum: task ids must be unique; the list has duplicates.');
  return { version: 1, buffer: createBuffer(config.capacity), base: { taskIds: [...taskIds], order: [], cursor: 0, epoch: 0 }, episodes: 0, replays: 0, seenKeys: [] };
}

/** A resumed run whose config changed N would silently keep the old capacity: refuse it. */
export function checkCapacity(state: CurriculumState, config: CurriculumConfig): void {
  if (state.buffer.capacity !== config.capacity) {
    throw new ConfigError(
      `curriculum: the buffer was created with capacity ${state.buffer.capacity} but the config says ${config.capacity}; ` +
        'resume with the original capacity, or start a new run to change N.',
    );
  }
}

/** Draws a base task id: i.i.d. uniform, or the next of the epoch's shuffled order. */
export function nextBaseTask(base: BaseSamplerState, mode: CurriculumConfig['baseSampling'], rng: Rng): string {
  if (mode === 'uniform') return rng.choice(base.taskIds);
  if (base.cursor >= base.order.length) {
    base.order = rng.shuffle(base.taskIds.map((_, i) => i));
    base.cursor = 0;
    base.epoch++;
  }
  return base.taskIds[base.order[base.cursor++] as number] as string;
}

/** Turns of a history up to the first turn with no iterate (a turn cut off before any answer). */
export function answeredTurns(turns: readonly Turn[]): Turn[] {
  const end = turns.findIndex((t) => t.iterates.length === 0);
  return end === -1 ? [...turns] : turns.slice(0, end);
}

/**
 * The selection step on one entry: a uniformly random turn t′ of its history, a uniformly random
 * iterate k′ of that turn, and the history cut there: turns before t′ as they are (their last
 * iterate counts) and turn t′ ending at iterate k′. Depth = k′ (steps already taken on t′).
 */
export function selectPrefix(entry: BufferEntry, mode: IterationMode, rng: Rng): { start: StartState; turn: number } {
  const { taskId } = entry.history;
  const turns = answeredTurns(entry.history.turns);
  if (turns.length === 0) return { start: baseStart(taskId), turn: 0 };
  const t = rng.int(turns.length);
  const turn = turns[t] as Turn;
  const k = rng.int(turn.iterates.length);
  // A copy: the start leaves the curriculum, the entry stays in the buffer.
  const prefix: Turn[] = structuredClone([...turns.slice(0, t), { input: turn.input, iterates: turn.iterates.slice(0, k + 1) }]);
  return { start: iterateStart(mode, { taskId, turns: prefix }), turn: t };
}

/**
 * The start of the next episode. Draw order (fixed, so a seed replays a run): u for the replay
 * decision; then either the entry, turn, iterate and divergence draws, or the base-task draw.
 */
export function nextStart(state: CurriculumState, config: CurriculumConfig, rng: Rng): EpisodeStart {
  checkCapacity(state, config);
  const episode = chooseStart(state, config, rng);
  recordSeen(state, episode.start);
  return episode;
}

function chooseStart(state: CurriculumState, config: CurriculumConfig, rng: Rng): EpisodeStart {
  state.episodes++;
  const u = rng.next();
  const replay = state.buffer.entries.length >= config.minSize && u < config.replayProb;
  if (!replay) {
    return { start: baseStart(nextBaseTask(state.base, config.baseSampling, rng)), source: 'base', entryKey: null, turn: 0 };
  }
  state.replays++;
  const entry = sampleEntry(state.buffer, config, rng);
  const extra = entry.gtSteps === undefined ? {} : { gtSteps: entry.gtSteps };
  if (!config.selfIterate) {
    // `curriculum` strategy: replay the stored task itself (a base task), no self-iteration.
    return { start: baseStart(entry.history.taskId), source: 'replay', entryKey: entry.key, turn: 0, ...extra };
  }
  const mode = rng.next() < config.divergeProb ? 'diverge' : 'improve';
  const { start, turn } = selectPrefix(entry, mode, rng);
  return { start, source: 'replay', entryKey: entry.key, turn, ...extra };
}
