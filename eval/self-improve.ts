import { ConfigError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { answerText, baseStart, continueStart, improveStart, latestIterate } from '../core/start-state.js';
import type { StartState, Turn } from '../core/types.js';
import { runEpisode, type EpisodeResult } from '../rollout/episode.js';
import type { EnvPool } from '../rollout/group.js';
import type { PolicyClient, SamplingOptions } from '../rollout/types.js';

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
  /** Which model call failed: the turn, and the iterate of that turn (0 = initial answer). */
  failedCall?: { turn: number; iterate: number };
  feedback?: string;
  /** Text of the last iterate of the last turn, for reading results. */
  response?: string;
  medal?: boolean;
  firstTurnCorrect?: boolean;
  /** Model calls of this step that were cut off at the token limit (after any retries). */
  truncated?: number;
  /** Small scalar extras from the env's final info (score, error kind, …). */
  info?: Record<string, string | number | boolean>;
  /** The history after this step: the resume point of the chain. */
  trace: Turn[];
}

/** See `ChainOptions.truncation`. */
export type TruncationPolicy = 'score' | 'retry';

/** Whether any model call of the episode stopped at the token limit. */
export function wasTruncated(ep: EpisodeResult): boolean {
  return ep.steps.some((s) => s.completion.finishReason === 'length');
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
  /**
   * The client of the chain's first question (turn 0's initial answer), shared by the task's
   * samples (`FirstCallGroups`): that question is then asked with the same seed in every sample.
   */
  firstCall?: PolicyClient;
  /**
   * What to do with a response cut off at the token limit: `score` it as it is (the paper's
   * protocol, and the default), or `retry` the call with a fresh seed up to `truncationRetries`
   * times (default 2) and score the last attempt. Either way the step counts its truncated calls.
   */
  truncation?: TruncationPolicy;
  truncationRetries?: number;
  /** Records of this chain from an interrupted run; the chain continues after the last good one. */
  resume?: ChainStepRecord[];
  /** Called with each record as soon as it exists (for streaming results to disk). */
  onRecord?: (record: ChainStepRecord) => void | Promise<void>;
}

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
  const last = latestIterate(ep.trace);
  const quality = ep.quality ?? last?.quality ?? 0;
  const info = ep.finalInfo;
  const rec: ChainStepRecord = { ...base, quality, trace: ep.trace };
  if (last?.feedback) rec.feedback = last.feedback;
  if (last) rec.response = answerText(last.response, 'transcript');
  if (typeof info?.medal === 'boolean') rec.medal = info.medal;
  else if (typeof info?.medal === 'string') rec.medal = info.medal !== 'none';
  if (typeof info?.firstTurnCorrect === 'boolean') rec.firstTurnCorrect = info.firstTurnCorrect;
  const extras = scalarInfo(info);
  if (extras) rec.info = extras;
  return rec;
}

/**
 * Runs one K-step self-improvement chain the way the paper evaluates it (Sec. 5.3). For each turn
 * t in order the policy gives an initial answer y_t^0, then k improve steps y_t^1 … y_t^k; each
 * improve step gets the env's improve prompt around the original request of turn t and its latest
 * iterate, after the earlier turns at their final iterates (`reset` rebuilds their world state).
 * The final iterate y_t^k is played, and turn t + 1 starts from a plain (`mode: 'base'`) history
 * holding every earlier turn's final iterate. Record k (k = 0..K) is the outcome of that episode
 * with k improve steps per turn: the accuracy after step k.
 *
 * Budgets k − 1 and k ask turn 0 the same first k questions with the same seeds, so record k reuses
 * record k − 1's turn-0 iterates and adds one improve call there (a single-turn task such as math is
 * therefore exactly "improve the last answer K times", K + 1 calls in all); later turns are played
 * afresh, since their history differs. A failed model call ends the chain with a `quality: null`
 * record naming the call (`failedCall`); with `resume` the chain continues after the last good step.
 * Multi-turn envs must continue after a history in `mode: 'base'` (BFCL does).
 */
export async function runSelfImprovementChain(opts: ChainOptions): Promise<ChainStepRecord[]> {
  const { taskId, sample } = opts;
  const records: ChainStepRecord[] = [];
  // Turn 0's seeds do not depend on the budget: that is what lets budget k extend budget k − 1.
  // A shared first question has one seed for all samples (they differ by their place in its group).
  const seedFor = (budget: number, turn: number, iterate: number): number =>
    Rng.fromSeed(opts.seed)
      .fork(opts.firstCall && turn === 0 && iterate === 0 ? `${taskId}#first` : `${taskId}#${sample}#${turn}#${iterate}${turn === 0 ? '' : `#${budget}`}`)
      .uint32() % 2_000_000_000;
  const emit = async (r: ChainStepRecord): Promise<void> => {
    records.push(r);
    await opts.onRecord?.(r);
  };
  const done = (opts.resume ?? []).filter((r) => r.quality !== null).sort((a, b) => a.step - b.step);
  // Only a contiguous run of good steps from 0 can be continued.
  let previous: ChainStepRecord | undefined;
  for (const r of done) {
    if (r.step !== (previous ? previous.step + 1 : 0)) break;
    previous = r;
  }
  for (let k = previous ? previous.step + 1 : 0; k <= opts.steps; k++) {
    const shared = previous?.trace[0];
    const rec = await runBudget(opts, k, shared && shared.iterates.length === k ? shared : undefined, seedFor);
    await emit(rec);
    if (rec.quality === null) return records;
    previous = rec;
  }
  return records;
}

const MAX_TURNS = 10_000;

/** Plays one episode with k improve steps per turn; `shared` = turn 0 with its first k iterates. */
async function runBudget(
  opts: ChainOptions,
  k: number,
  shared: Turn | undefined,
  seedFor: (budget: number, turn: number, iterate: number) => number,
): Promise<ChainStepRecord> {
  const { taskId, sample } = opts;
  const base = { taskId, sample, step: k };
  const playOnce = (start: StartState, seed: number, client = opts.client): Promise<EpisodeResult> =>
    opts.pool.use((env) => runEpisode(env, client, start, { seed, ...(opts.sampling ? { sampling: opts.sampling } : {}), maxCalls: 1 }));
  let truncated = 0;
  const play = async (start: StartState, seed: number, client = opts.client): Promise<EpisodeResult> => {
    let ep = await playOnce(start, seed, client);
    const retries = opts.truncation === 'retry' ? (opts.truncationRetries ?? 2) : 0;
    // A retry has a seed of its own, so it is this sample's call, never the task's shared first call.
    for (let a = 1; a <= retries && !ep.failure && wasTruncated(ep); a++) {
      ep = await playOnce(start, Rng.fromSeed(seed).fork(`truncation-retry#${a}`).uint32() % 2_000_000_000);
    }
    if (!ep.failure && wasTruncated(ep)) truncated++;
    return ep;
  };
  const withTruncated = (r: ChainStepRecord): ChainStepRecord => (truncated > 0 ? { ...r, truncated } : r);
  const failed = (ep: EpisodeResult, turn: number, iterate: number): ChainStepRecord => ({
    ...toRecord(base, ep),
    failedCall: { turn, iterate },
  });
  let history: Turn[] = [];
  for (let t = 0; ; t++) {
    // Envs end episodes through their step budget; an env without one would loop here forever.
    if (t >= MAX_TURNS) throw new ConfigError(`task ${taskId}: the episode did not end within ${MAX_TURNS} turns; give the env a step budget (spec.budgets.maxSteps).`);
    let turn: Turn;
    let ep: EpisodeResult | undefined;
    let first = 0;
    if (t === 0 && shared) {
      turn = shared;
      first = shared.iterates.length;
    } else {
      const start = t === 0 ? baseStart(taskId) : continueStart({ taskId, turns: history });
      ep = await play(start, seedFor(k, t, 0), t === 0 ? opts.firstCall : undefined);
      if (ep.failure) return failed(ep, t, 0);
      if (t > 0) checkContinued(ep, history);
      turn = turnAt(ep, t);
      first = 1;
    }
    for (let j = first; j <= k; j++) {
      // Depth j: this is the j-th improve step of turn t (the eval's count, kept in its records).
      ep = await play(improveStart({ taskId, turns: [...history, turn] }, j), seedFor(k, t, j));
      if (ep.failure) return failed(ep, t, j);
      turn = turnAt(ep, t);
    }
    const last = ep as EpisodeResult;
    if (last.terminated || last.truncated) return withTruncated(toRecord(base, last));
    history = [...history, turn];
  }
}

/** Turn t of an episode's trace, which the step just played must have written. */
function turnAt(ep: EpisodeResult, t: number): Turn {
  const turn = ep.trace[t];
  if (!turn || turn.iterates.length === 0) {
    throw new ConfigError(`task ${ep.start.taskId}: after a step on turn ${t} the env's trace has ${ep.trace.length} turn(s) and no iterate for turn ${t}; trace() must record every step as an iterate of its turn.`);
  }
  return turn;
}

/** A multi-turn env asked to continue after a history must keep it, not restart the task. */
function checkContinued(ep: EpisodeResult, history: Turn[]): void {
  const kept = history.every((turn, i) => ep.trace[i]?.iterates.length === turn.iterates.length) && ep.trace.length > history.length;
  if (!kept) {
    throw new ConfigError(
      `task ${ep.start.taskId}: the env did not continue after a ${history.length}-turn history in mode "base" (its trace has ${ep.trace.length} turn(s) with ` +
        `${ep.trace.map((t) => t.iterates.length).join('/')} iterates); the K-step eval of a multi-turn task needs reset({ turns, mode: 'base' }) to replay those turns and go on after them.`,
    );
  }
}
