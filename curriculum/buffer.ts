/**
 * Buffer operations (paper §4): keep the top-N instances by learnability. Functions over the plain
 * `BufferState` value; they update it in place (copying a 100k-entry value per insert would cost
 * O(N)) and are deterministic: the same calls on the same state give the same state. Take a
 * `structuredClone` first if you need the old value.
 *
 * Rules:
 * - a key already present has its score (and `scoredAt`) replaced: no duplicates;
 * - below capacity, a new key is added;
 * - at capacity, a new key goes in only if its score is ≥ the current minimum, and replaces that
 *   minimum; among equal minimum scores the entry scored longest ago (smallest `scoredAt`) goes.
 *
 * @example
 * const buffer = createBuffer(512);
 * insert(buffer, { start, score: learnability([1, 0, 0, 1])! });
 * const slot = sampleSlot(buffer, config, rng); // sampling.ts
 */
import { ConfigError, ValidationError } from '../core/errors.js';
import { taskKey } from '../core/hash.js';
import { MAX_LEARNABILITY } from './learnability.js';
import { bufferIndex, markSynced, softmaxWeight, type BufferIndex } from './buffer-index.js';
import type { BufferEntry, BufferInsert, BufferState, InsertResult } from './buffer-types.js';

export type { BufferEntry, BufferInsert, BufferState, InsertOutcome, InsertResult } from './buffer-types.js';

/** An empty buffer of capacity N. */
export function createBuffer(capacity: number): BufferState {
  if (!Number.isInteger(capacity) || capacity < 1) throw new ConfigError(`createBuffer: capacity must be an integer >= 1; got ${capacity}.`);
  return { version: 2, capacity, entries: [], clock: 0, sampleClock: 0 };
}

function checkScore(score: number, where: string): void {
  if (!(Number.isFinite(score) && score >= 0 && score <= MAX_LEARNABILITY + 1e-12)) {
    throw new ValidationError(
      `${where}: score must be a learnability in [0, 0.25] (variance of qualities rescaled to [0, 1]); got ${score}. Compute it with learnability().`,
    );
  }
}

/** Writes the derived indexes for one slot after its entry or score changed. */
function reindexSlot(state: BufferState, ix: BufferIndex, slot: number, isNew: boolean): void {
  const e = state.entries[slot] as BufferEntry;
  if (isNew) ix.heap.push(slot);
  else ix.heap.update(slot);
  ix.rank?.insert(slot);
  ix.softmax?.tree.set(slot, softmaxWeight(e.score, ix.softmax.kappa));
  if (ix.staleness) {
    ix.staleness.lastSampled.set(slot, e.lastSampledAt);
    ix.staleness.occupied.set(slot, 1);
  }
}

/**
 * Inserts one instance (or updates its score if its key is present). O(log N).
 *
 * @returns what happened, the slot written (-1 if rejected) and the evicted entry if any.
 */
export function insert(state: BufferState, item: BufferInsert): InsertResult {
  checkScore(item.score, 'buffer insert');
  if (item.gtSteps !== undefined && !(Number.isFinite(item.gtSteps) && item.gtSteps >= 0)) {
    throw new ValidationError(`buffer insert: gtSteps must be a non-negative number when given; got ${item.gtSteps}.`);
  }
  const score = Math.min(item.score, MAX_LEARNABILITY);
  const key = taskKey(item.history);
  const ix = bufferIndex(state);
  const existing = ix.slotOf.get(key);
  if (existing !== undefined) {
    const e = state.entries[existing] as BufferEntry;
    // The rank tree finds a slot by its key: take it out before the key changes.
    ix.rank?.remove(existing);
    e.score = score;
    e.scoredAt = ++state.clock;
    if (item.gtSteps !== undefined) e.gtSteps = item.gtSteps;
    reindexSlot(state, ix, existing, false);
    markSynced(ix, state);
    return { outcome: 'updated', slot: existing };
  }
  const fresh = (): BufferEntry => {
    const clock = ++state.clock;
    const e: BufferEntry = {
      key,
      history: structuredClone(item.history),
      score,
      parentKey: item.parentKey ?? null,
      insertedAt: clock,
      scoredAt: clock,
      lastSampledAt: state.sampleClock,
      timesSampled: 0,
    };
    if (item.gtSteps !== undefined) e.gtSteps = item.gtSteps;
    return e;
  };
  if (state.entries.length < state.capacity) {
    const slot = state.entries.length;
    state.entries.push(fresh());
    ix.slotOf.set(key, slot);
    reindexSlot(state, ix, slot, true);
    markSynced(ix, state);
    return { outcome: 'added', slot };
  }
  const minSlot = ix.heap.peek() as number;
  const victim = state.entries[minSlot] as BufferEntry;
  if (score < victim.score) return { outcome: 'rejected', slot: -1 };
  ix.slotOf.delete(victim.key);
  ix.rank?.remove(minSlot);
  state.entries[minSlot] = fresh();
  ix.slotOf.set(key, minSlot);
  reindexSlot(state, ix, minSlot, false);
  markSynced(ix, state);
  return { outcome: 'replaced', slot: minSlot, evicted: victim };
}

/** Inserts several instances in order; returns one result per item. */
export function insertMany(state: BufferState, items: readonly BufferInsert[]): InsertResult[] {
  return items.map((item) => insert(state, item));
}

/** The entry with this key, if present. O(1). */
export function getEntry(state: BufferState, key: string): BufferEntry | undefined {
  const slot = bufferIndex(state).slotOf.get(key);
  return slot === undefined ? undefined : state.entries[slot];
}

/** The current minimum entry (the next to be evicted), if any. O(1). */
export function minEntry(state: BufferState): BufferEntry | undefined {
  const slot = bufferIndex(state).heap.peek();
  return slot === undefined ? undefined : state.entries[slot];
}

/** |B|. */
export function bufferSize(state: BufferState): number {
  return state.entries.length;
}
