/**
 * Derived indexes over a `BufferState`, kept in a WeakMap beside the plain value so the value
 * stays JSON: key → slot, the eviction heap, and sampling sum trees (built lazily for the
 * prioritisation in use). Buffer functions update them incrementally in O(log N). An index whose
 * sync markers (clock, sampleClock, size) disagree with the state — the state was loaded, cloned or
 * edited by hand — is rebuilt in O(N) on next use, so results never depend on whether it existed.
 */
import { MAX_LEARNABILITY } from './learnability.js';
import type { BufferState } from './buffer-types.js';
import { ScoreHeap } from './score-heap.js';
import { SumTree } from './sum-tree.js';

export interface BufferIndex {
  /** The entries array the index was built over (the heap reads scores through it). */
  entries: unknown[];
  clock: number;
  sampleClock: number;
  size: number;
  slotOf: Map<string, number>;
  heap: ScoreHeap;
  /** Sum tree of exp(κ·(S − 0.25)) for the κ it was built with. */
  softmax?: { kappa: number; tree: SumTree };
  /** Sum trees of lastSampledAt and of occupancy, for P_C(i) ∝ sampleClock − lastSampledAt. */
  staleness?: { lastSampled: SumTree; occupied: SumTree };
  /** Slots by descending score (ties: earlier scoredAt first), valid while `clock` matches. */
  rank?: { clock: number; order: Int32Array; temperature: number; cumulative: Float64Array };
}

const indexes = new WeakMap<BufferState, BufferIndex>();

/**
 * The softmax weight of a score. Shifting by the largest possible score keeps every weight in
 * (0, 1], so no κ up to MAX_KAPPA overflows; the shift cancels in the normalisation.
 */
export function softmaxWeight(score: number, kappa: number): number {
  return Math.exp(kappa * (score - MAX_LEARNABILITY));
}

function inSync(ix: BufferIndex, state: BufferState): boolean {
  return ix.entries === state.entries && ix.clock === state.clock && ix.sampleClock === state.sampleClock && ix.size === state.entries.length;
}

/** The index of `state`, built (O(N log N) at worst) if missing or stale. */
export function bufferIndex(state: BufferState): BufferIndex {
  const existing = indexes.get(state);
  if (existing && inSync(existing, state)) return existing;
  const entries = state.entries;
  const heap = new ScoreHeap(
    (slot) => (entries[slot] as { score: number }).score,
    (slot) => (entries[slot] as { scoredAt: number }).scoredAt,
  );
  const slotOf = new Map<string, number>();
  entries.forEach((e, slot) => {
    slotOf.set(e.key, slot);
    heap.push(slot);
  });
  const ix: BufferIndex = { entries, clock: state.clock, sampleClock: state.sampleClock, size: entries.length, slotOf, heap };
  indexes.set(state, ix);
  return ix;
}

/** Records that the index now matches the state after an incremental update. */
export function markSynced(ix: BufferIndex, state: BufferState): void {
  ix.clock = state.clock;
  ix.sampleClock = state.sampleClock;
  ix.size = state.entries.length;
}

/** The softmax sum tree for κ, built on first use or when κ changes. */
export function softmaxTree(state: BufferState, ix: BufferIndex, kappa: number): SumTree {
  if (ix.softmax && ix.softmax.kappa === kappa) return ix.softmax.tree;
  const tree = new SumTree(state.capacity);
  tree.fill(state.entries.map((e) => softmaxWeight(e.score, kappa)));
  ix.softmax = { kappa, tree };
  return tree;
}

/** The staleness sum trees, built on first use. */
export function stalenessTrees(state: BufferState, ix: BufferIndex): { lastSampled: SumTree; occupied: SumTree } {
  if (ix.staleness) return ix.staleness;
  const lastSampled = new SumTree(state.capacity);
  const occupied = new SumTree(state.capacity);
  lastSampled.fill(state.entries.map((e) => e.lastSampledAt));
  occupied.fill(state.entries.map(() => 1));
  ix.staleness = { lastSampled, occupied };
  return ix.staleness;
}

/**
 * Slots in rank order and the cumulative rank weights (1/rank)^(1/temperature). Re-sorted only
 * after the buffer's scores changed: O(N log N) then, O(log N) per sample in between.
 */
export function rankOrder(state: BufferState, ix: BufferIndex, temperature: number): { order: Int32Array; cumulative: Float64Array } {
  const n = state.entries.length;
  if (ix.rank && ix.rank.clock === state.clock && ix.rank.temperature === temperature && ix.rank.order.length === n) return ix.rank;
  const entries = state.entries;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const ea = entries[a]!;
    const eb = entries[b]!;
    return eb.score - ea.score || ea.scoredAt - eb.scoredAt;
  });
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    sum += (1 / (r + 1)) ** (1 / temperature);
    cumulative[r] = sum;
  }
  ix.rank = { clock: state.clock, order, temperature, cumulative };
  return ix.rank;
}
