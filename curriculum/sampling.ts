/**
 * Drawing buffer entries (paper §4.1). The default is the paper's softmax over raw scores,
 * P(i) = exp(κ·S_i) / Σ_j exp(κ·S_j), drawn from a sum tree in O(log N). PLR's rank rule with
 * staleness mixing is an option: P = (1 − ρ)·P_S + ρ·P_C with P_S(i) ∝ (1/rank_i)^(1/β) and
 * P_C(i) ∝ c − C_i (c = samples drawn so far, C_i = when i was last drawn).
 */
import { ConfigError } from '../core/errors.js';
import { assertNever } from '../core/result.js';
import type { Rng } from '../core/rng.js';
import { bufferIndex, markSynced, rankOrder, softmaxTree, softmaxWeight, stalenessTrees, type BufferIndex } from './buffer-index.js';
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

/** First index r with cumulative[r] > target (binary search). */
function searchCumulative(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function drawRank(state: BufferState, ix: BufferIndex, p: SamplingParams, u: number): number {
  const { order, cumulative } = rankOrder(state, ix, p.rankTemperature);
  return order[searchCumulative(cumulative, u * (cumulative[cumulative.length - 1] as number))] as number;
}

/** Σ_i (c − C_i) over a subtree: occupied·c − Σ C_i, exact in integers. */
function stalenessNodeWeight(state: BufferState, ix: BufferIndex): (node: number) => number {
  const { lastSampled, occupied } = stalenessTrees(state, ix);
  const c = state.sampleClock;
  return (k) => (occupied.nodes[k] as number) * c - (lastSampled.nodes[k] as number);
}

/**
 * Draws one slot and records the draw (`timesSampled`, `lastSampledAt`, `sampleClock`), which is
 * what staleness and the metrics read. O(log N) per draw for `softmax`; `rank` re-sorts after the
 * buffer's scores changed (O(N log N)) and is O(log N) per draw in between.
 */
export function sampleSlot(state: BufferState, params: SamplingParams, rng: Rng): number {
  checkParams(params);
  const n = state.entries.length;
  if (n === 0) throw new ConfigError('sampling: the buffer is empty; check |B| >= minSize before sampling (nextStart does).');
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
      if (weight && mixU < params.staleness && weight(1) > 0) slot = stalenessTrees(state, ix).occupied.find(u, weight);
      else slot = drawRank(state, ix, params, u);
      break;
    }
    default:
      return assertNever(params.prioritisation, 'prioritisation');
  }
  const e = state.entries[slot] as BufferEntry;
  state.sampleClock++;
  e.lastSampledAt = state.sampleClock;
  e.timesSampled++;
  ix.staleness?.lastSampled.set(slot, e.lastSampledAt);
  markSynced(ix, state);
  return slot;
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
      const { order, cumulative } = rankOrder(state, bufferIndex(state), params.rankTemperature);
      const total = cumulative[n - 1] as number;
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
