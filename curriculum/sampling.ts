/**
 * Drawing buffer entries (paper §4.1). The default is the paper's softmax over raw scores,
 * P(i) = exp(κ·S_i) / Σ_j exp(κ·S_j), drawn from a sum tree in O(log N). PLR's rank rule with
 * staleness mixing is an option: P = (1 − ρ)·P_S + ρ·P_C with P_S(i) ∝ (1/rank_i)^(1/β) and
 * P_C(i) ∝ c − C_i (c = samples drawn so far, C_i = when i was last drawn).
 */
import { ConfigError } from '../core/errors.js';
import { assertNever } from '../core/result.js';
import type { Rng } from '../core/rng.js';
import { bufferIndex, markSynced, rankTree, rankWeights, softmaxTree, softmaxWeight, stalenessTrees, type BufferIndex } from './buffer-index.js';
import type { BufferEntry, BufferState } from './buffer-types.js';
import { MAX_KAPPA, type CurriculumConfig } from './config.js';

/** The part of the config that shapes the sampling distribution. */
export type SamplingParams = Pick<CurriculumConfig, 'prioritisation' | 'kappa' | 'rankTemperature' | 'staleness'>;

function checkParams(p: SamplingParams): void {
  if (!(Number.isFinite(p.kappa) && p.kappa >= 0 && p.kappa <= MAX_KAPPA)) {
    throw new ConfigError(`sampling: kappa must be in [0, ${MAX_KAPPA}]; got ${p.kappa}.`);
  }
  if (p.prioritisation === 'rank') {
    if (!(p.rankTemperature > 0)) throw new ConfigError(`sampling: rankTemperature must be > 0; got ${p.rankTemperature}.`);
    if (!(p.staleness >= 0 && p.staleness <= 1)) throw new ConfigError(`sampling: staleness must be in [0, 1]; got ${p.staleness}.`);
  }
}

/** First index r < n with cumulative[r] > target (binary search). */
function searchCumulative(cumulative: Float64Array, n: number, target: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A rank from P_S (weights of ranks 1..n), then the slot holding it. O(log N). */
function drawRank(state: BufferState, ix: BufferIndex, p: SamplingParams, u: number): number {
  const n = state.entries.length;
  const cumulative = rankWeights(state, ix, p.rankTemperature);
  return rankTree(state, ix).at(searchCumulative(cumulative, n, u * (cumulative[n - 1] as number)));
}

/** Slots best first (score descending, ties by earlier scoredAt), by sorting: the O(N log N) reference. */
function sortedSlots(state: BufferState): number[] {
  const entries = state.entries;
  return entries.map((_, i) => i).sort((a, b) => entries[b]!.score - entries[a]!.score || entries[a]!.scoredAt - entries[b]!.scoredAt);
}

/** Σ_i (c − C_i) over a subtree: occupied·c − Σ C_i, exact in integers. */
function stalenessNodeWeight(state: BufferState, ix: BufferIndex): (node: number) => number {
  const { lastSampled, occupied } = stalenessTrees(state, ix);
  const c = state.sampleClock;
  return (k) => occupied.node(k) * c - lastSampled.node(k);
}

function checkNotEmpty(state: BufferState): void {
  if (state.entries.length === 0) throw new ConfigError('sampling: the buffer is empty; check |B| >= minSize before sampling (nextStart does).');
}

/** Records one draw of `slot`: the sample clock, the entry's `lastSampledAt` and `timesSampled`, the staleness index. */
function recordDraw(state: BufferState, ix: BufferIndex, slot: number): void {
  const e = state.entries[slot] as BufferEntry;
  state.sampleClock++;
  e.lastSampledAt = state.sampleClock;
  e.timesSampled++;
  ix.staleness?.lastSampled.set(slot, e.lastSampledAt);
}

/**
 * Draws one slot and records the draw (`timesSampled`, `lastSampledAt`, `sampleClock`), which is
 * what staleness and the metrics read. O(log N) per draw for both prioritisations (the first draw
 * of a kind builds its index in O(N log N)).
 */
export function sampleSlot(state: BufferState, params: SamplingParams, rng: Rng): number {
  checkParams(params);
  checkNotEmpty(state);
  const ix = bufferIndex(state);
  let slot: number;
  switch (params.prioritisation) {
    case 'softmax':
      slot = softmaxTree(state, ix, params.kappa).find(rng.next());
      break;
    case 'rank': {
      const mixU = rng.next();
      const u = rng.next();
      const weight = params.staleness > 0 ? stalenessNodeWeight(state, ix) : undefined;
      // All entries just drawn (Σ(c − C) = 0): P_C is undefined, fall back to P_S.
      if (weight && mixU < params.staleness && weight(0) > 0) slot = stalenessTrees(state, ix).occupied.find(u, weight);
      else slot = drawRank(state, ix, params, u);
      break;
    }
    default:
      return assertNever(params.prioritisation, 'prioritisation');
  }
  recordDraw(state, ix, slot);
  markSynced(ix, state);
  return slot;
}

/**
 * `count` draws, identical to `count` calls of `sampleSlot` with the same rng (same slots, same
 * order, same bookkeeping). For `softmax` the uniforms are looked up in sorted order, so
 * consecutive descents share their path through the tree: far fewer cache misses at large N
 * (a training iteration samples its whole batch of starts at once).
 */
export function sampleSlots(state: BufferState, params: SamplingParams, rng: Rng, count: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new ConfigError(`sampling: count must be a non-negative integer; got ${count}.`);
  if (params.prioritisation !== 'softmax' || count < 2) return Array.from({ length: count }, () => sampleSlot(state, params, rng));
  checkParams(params);
  checkNotEmpty(state);
  const ix = bufferIndex(state);
  const tree = softmaxTree(state, ix, params.kappa);
  const us = new Float64Array(count);
  for (let i = 0; i < count; i++) us[i] = rng.next();
  // Native numeric sort of a copy, then map back: equal u's give equal slots, so a Map is exact.
  const slotOfU = new Map<number, number>();
  for (const u of us.slice().sort()) if (!slotOfU.has(u)) slotOfU.set(u, tree.find(u));
  const slots = new Array<number>(count);
  for (let i = 0; i < count; i++) slots[i] = slotOfU.get(us[i] as number) as number;
  for (const slot of slots) recordDraw(state, ix, slot);
  markSynced(ix, state);
  return slots;
}

/** `sampleSlot`, returning the entry. */
export function sampleEntry(state: BufferState, params: SamplingParams, rng: Rng): BufferEntry {
  return state.entries[sampleSlot(state, params, rng)] as BufferEntry;
}

/** The exact sampling distribution over slots (O(N); for tests, metrics and entropy). */
export function samplingProbabilities(state: BufferState, params: SamplingParams): Float64Array {
  checkParams(params);
  const n = state.entries.length;
  const p = new Float64Array(n);
  if (n === 0) return p;
  switch (params.prioritisation) {
    case 'softmax': {
      let z = 0;
      state.entries.forEach((e, i) => {
        p[i] = softmaxWeight(e.score, params.kappa);
        z += p[i] as number;
      });
      for (let i = 0; i < n; i++) p[i] = (p[i] as number) / z;
      return p;
    }
    case 'rank': {
      // Sorted independently of the rank tree, so tests comparing draws with these check the tree.
      const order = sortedSlots(state);
      let total = 0;
      for (let r = 0; r < n; r++) total += (1 / (r + 1)) ** (1 / params.rankTemperature);
      for (let r = 0; r < n; r++) p[order[r] as number] = (1 / (r + 1)) ** (1 / params.rankTemperature) / total;
      const c = state.sampleClock;
      const staleTotal = state.entries.reduce((a, e) => a + (c - e.lastSampledAt), 0);
      if (params.staleness > 0 && staleTotal > 0) {
        state.entries.forEach((e, i) => {
          p[i] = (1 - params.staleness) * (p[i] as number) + (params.staleness * (c - e.lastSampledAt)) / staleTotal;
        });
      }
      return p;
    }
    default:
      return assertNever(params.prioritisation, 'prioritisation');
  }
}

/** Shannon entropy (nats) of the sampling distribution; ln |B| means uniform. 0 for an empty buffer. */
export function samplingEntropy(state: BufferState, params: SamplingParams): number {
  let h = 0;
  for (const q of samplingProbabilities(state, params)) if (q > 0) h -= q * Math.log(q);
  return h;
}
