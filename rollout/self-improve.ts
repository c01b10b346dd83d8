import { Rng } from '../core/rng.js';
import type { Message, StartState, Turn } from '../core/types.js';
import { baseStart } from '../envs/start-state.js';
import { runEpisode, type EpisodeResult } from './episode.js';
import type { EnvPool } from './group.js';
import type { PolicyClient, SamplingOptions } from './types.js';

/** One step of one self-improvement chain: what `exitgym eval` writes per line. */
export interface ChainStepRecord {
  taskId: string;
  sample: number;
  step: number;
  /** Episode quality after this step; null when a model call failed (never scored as wrong). */
  quality: number | null;
  error?: string;
  /** True when the failure will repeat on every call (bad endpoint or key). */
  fatal?: boolean;
  feedback?: string;
  /** Text of the last iterate of the last turn, for reading results. */
  response?: string;
  medal?: boolean;
  firstTurnCorrect?: boolean;
  /** Small scalar extras from the env's final info (score, error kind, …). */
  info?: Record<string, string | number | boolean>;
  /** The history after this step: the resume point of the chain. */
  trace: Turn[];
}

export interface ChainOptions {
  pool: EnvPool;
  client: PolicyClient;
  taskId: string;
  sample: number;
  /** K: improve steps after the initial answer. */
  steps: number;
  seed: number;
  sampling?: SamplingOptions;
  /** Records of this chain from an interrupted run; the chain continues after the last good one. */
  resume?: ChainStepRecord[];
  /** Called with each record as soon as it exists (for streaming results to disk). */
  onRecord?: (record: ChainStepRecord) => void | Promise<void>;
}

const text = (messages: Message[]): string => messages.map((m) => m.content).join('\n');

function scalarInfo(info: Record<string, unknown> | undefined): Record<string, string | number | boolean> | undefined {
  if (!info) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(info)) {
    if (k === 'feedback' || k === 'turn' || k === 'quality') continue;
    if (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 200)) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function toRecord(base: { taskId: string; sample: number; step: number }, ep: EpisodeResult): ChainStepRecord {
  if (ep.failure) return { ...base, quality: null, error: ep.failure.error, fatal: ep.failure.fatal, trace: ep.trace };
  const lastTurn = ep.trace[ep.trace.length - 1];
  const last = lastTurn?.iterates[lastTurn.iterates.length - 1];
  const quality = ep.quality ?? last?.quality ?? 0;
  const info = ep.finalInfo;
  const rec: ChainStepRecord = { ...base, quality, trace: ep.trace };
  if (last?.feedback) rec.feedback = last.feedback;
  if (last) rec.response = text(last.response);
  if (typeof info?.medal === 'boolean') rec.medal = info.medal;
  else if (typeof info?.medal === 'string') rec.medal = info.medal !== 'none';
  if (typeof info?.firstTurnCorrect === 'boolean') rec.firstTurnCorrect = info.firstTurnCorrect;
  const extras = scalarInfo(info);
  if (extras) rec.info = extras;
  return rec;
}

/**
 * Runs one K-step self-improvement chain the way the paper evaluates it. Step 0 is the base
 * episode. At step k ≥ 1 each turn t, in order, is improved once: the policy gets the original
 * request with its latest iterate, after the already-improved iterates of the earlier turns
 * (`reset` rebuilds their world state); the quality after step k is that of the episode in which
 * the last turn was improved. For single-turn tasks this is exactly "improve the last answer K
 * times". A failed model call ends the chain with a `quality: null` record.
 */
export async function runSelfImprovementChain(opts: ChainOptions): Promise<ChainStepRecord[]> {
  const { taskId, sample } = opts;
  const records: ChainStepRecord[] = [];
  const seedFor = (step: number, turn: number): number => Rng.fromSeed(opts.seed).fork(`${taskId}#${sample}#${step}#${turn}`).uint32() % 2_000_000_000;
  const emit = async (r: ChainStepRecord): Promise<void> => {
    records.push(r);
    await opts.onRecord?.(r);
  };
  const done = (opts.resume ?? []).filter((r) => r.quality !== null).sort((a, b) => a.step - b.step);
  // Only a contiguous run of good steps from 0 can be continued.
  let history: Turn[] | undefined;
  let next = 0;
  for (const r of done) {
    if (r.step !== next) break;
    history = r.trace;
    next++;
  }
  if (next === 0) {
    const ep = await opts.pool.use((env) => runEpisode(env, opts.client, baseStart(taskId), { seed: seedFor(0, 0), sampling: opts.sampling }));
    const rec = toRecord({ taskId, sample, step: 0 }, ep);
    await emit(rec);
    if (rec.quality === null) return records;
    history = ep.trace;
    next = 1;
  }
  for (let k = next; k <= opts.steps; k++) {
    const previous = history as Turn[];
    const improved: Turn[] = [];
    let last: EpisodeResult | undefined;
    for (let t = 0; t < previous.length; t++) {
      const start: StartState = { taskId, turns: [...improved, previous[t] as Turn], mode: 'improve', depth: k };
      last = await opts.pool.use((env) => runEpisode(env, opts.client, structuredClone(start), { seed: seedFor(k, t), sampling: opts.sampling }));
      if (last.failure) break;
      improved.push(last.trace[t] as Turn);
    }
    const ep = last as EpisodeResult;
    const rec = toRecord({ taskId, sample, step: k }, ep);
    await emit(rec);
    if (rec.quality === null) return records;
    history = ep.trace;
  }
  return records;
}
