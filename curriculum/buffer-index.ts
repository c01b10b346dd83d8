/**
 * Derived indexes over a `BufferState`, kept in a WeakMap beside the plain value so the value
 * stays JSON: key → slot, the eviction heap, and sampling sum trees (built lazily for the
 * prioritisation in use). Buffer functions update them incrementally in O(log N). An index whose
 * sync markers (clock, sampleClock, size) disagree with the state — the state was loaded, cloned or
 * edited by hand — is rebuilt in O(N) on next use, so results never depend on whether it existed.
 */
import { MAX_LEARNABILITY } from './learnability.js';
import type { BufferState } from './buffer-types.js';
import { RankTree } from './rank-tree.js';
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
  /** Slots in rank order (order-statistics treap), kept up to date by every insert. */
  rank?: RankTree;
  /** Cumulative rank weights Σ_{r'≤r} (1/r')^(1/β) over ranks 1..capacity, for the β they were built with. */
  rankWeights?: { temperature: number; cumulative: Float64Array };
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

/** The rank tree, built on first use (O(N log N)), then updated by every insert in O(log N). */
export function rankTree(state: BufferState, ix: BufferIndex): RankTree {
  if (ix.rank) return ix.rank;
  const entries = state.entries;
  const tree = new RankTree(
    state.capacity,
    (slot) => (entries[slot] as { score: number }).score,
    (slot) => (entries[slot] as { scoredAt: number }).scoredAt,
  );
  for (let slot = 0; slot < entries.length; slot++) tree.insert(slot);
  ix.rank = tree;
  return tree;
}

/**
 * Cumulative weights of ranks 1..capacity. They depend on the rank alone, so a buffer of size n
 * uses the first n: computed once per temperature, never per sample.
 */
export function rankWeights(state: BufferState, ix: BufferIndex, temperature: number): Float64Array {
  if (ix.rankWeights && ix.rankWeights.temperature === temperature) return ix.rankWeights.cumulative;
  const cumulative = new Float64Array(state.capacity);
  let sum = 0;
  for (let r = 0; r < state.capacity; r++) {
    sum += (1 / (r + 1)) ** (1 / temperature);
    cumulative[r] = sum;
  }
  ix.rankWeights = { temperature, cumulative };
  return cumulative;
}
