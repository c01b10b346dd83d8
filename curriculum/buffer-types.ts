/**
 * The ExIt task buffer as a plain JSON value. Every field is data (no Maps, no typed arrays), so
 * `JSON.stringify`, `structuredClone`, checkpoints and the HTTP server take it as it is. Fast
 * lookups (key → slot, the eviction heap, the sampling sum trees) are derived indexes, kept beside
 * the value and rebuilt from it when missing (after a load or a clone): see `buffer-index.ts`.
 * Change a live state only through the buffer and sampling functions (or replace it with a loaded
 * or cloned one); a hand edit that keeps the clocks and size unchanged would not be noticed.
 */
import type { History } from '../core/start-state.js';

/** One task instance in the buffer. */
export interface BufferEntry {
  /** `taskKey(history)`: the content identity; the buffer holds each key at most once. */
  key: string;
  /** The instance: a partial history (or a base task, `turns: []`, for the `curriculum` strategy). */
  history: History;
  /** Learnability S in [0, 0.25]. */
  score: number;
  /** The key of the instance this one was expanded from, or null for one made from a base task. */
  parentKey: string | null;
  /** `BufferState.clock` when the key first entered the buffer. */
  insertedAt: number;
  /** `BufferState.clock` when the score was last set; eviction breaks score ties oldest-first by it. */
  scoredAt: number;
  /** `BufferState.sampleClock` when last sampled (or inserted): PLR staleness is `sampleClock − lastSampledAt`. */
  lastSampledAt: number;
  /** How many times selection drew it. */
  timesSampled: number;
  /** Ground-truth solution steps of the base task, when the caller knows them (for metrics). */
  gtSteps?: number;
}

export interface BufferState {
  /** 2: entries hold a `history` (1 held a start state with a placeholder mode and depth). */
  version: 2;
  /** Capacity N. Fixed for the life of the buffer. */
  capacity: number;
  /** Entries in slot order; dense (length = |B| ≤ capacity). Eviction replaces a slot in place. */
  entries: BufferEntry[];
  /** Bumped by every insert or score update; orders writes for tie-breaking. */
  clock: number;
  /** Bumped by every sample; PLR staleness is measured in it. */
  sampleClock: number;
}

/** What an insert did. `rejected`: the buffer is full and the score is below the current minimum. */
export type InsertOutcome = 'added' | 'updated' | 'replaced' | 'rejected';

export interface InsertResult {
  outcome: InsertOutcome;
  /** The slot written, or -1 when rejected. */
  slot: number;
  /** The entry that was evicted to make room (`replaced` only). */
  evicted?: BufferEntry;
}

/** An insert request: what to store and with which score. */
export interface BufferInsert {
  history: History;
  /** Learnability in [0, 0.25]. A child gets its parent's score (see `expansion.ts`). */
  score: number;
  parentKey?: string | null;
  gtSteps?: number;
}
