/**
 * `checkEnv`: the public conformance checker, built from small named checks (after Gymnasium's
 * `env_checker`). Each failure throws an `EnvCheckError` naming the check and saying expected vs
 * found, so people plugging in their own env get the same verdict as exitgym's own envs.
 */
import { isDeepStrictEqual } from 'node:util';
import { EnvCheckError, ExitgymError } from '../core/errors.js';
import { checkSchema } from '../core/schema.js';
import type { StartState, Turn } from '../core/types.js';
import { iterateStart, turnSchema } from '../core/start-state.js';
import type { RecurrentEnv, ResetResult, StepResult } from './types.js';

/** What the checks run the env with. */
export interface CheckEnvOptions {
  /** A base start state of one of the env's tasks. */
  start: StartState;
  /** Actions to step with, cycled until the episode ends (e.g. one right and one wrong answer). */
  actions: string[];
  /** Seed for the determinism checks (default 0). */
  seed?: number;
  /** Names of checks to skip, each with a reason (shown in reports). */
  skip?: { check: CheckName; reason: string }[];
}

/** The checks, in the order they run. */
export const CHECK_NAMES = [
  'stepBeforeResetThrows',
  'specIsValid',
  'resetReturnsMessages',
  'seededResetIsDeterministic',
  'rewardsAreFiniteAndInRange',
  'stepAfterEndThrows',
  'traceRoundTripsJson',
  'resetFromOwnHistory',
  'closeResolves',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckEnvReport {
  passed: CheckName[];
  skipped: { check: CheckName; reason: string }[];
}

interface Ctx {
  env: RecurrentEnv;
  opts: CheckEnvOptions;
  seed: number;
  /** The trace of the first full episode, for the history checks. */
  trace?: Turn[];
  ended?: boolean;
}

function show(value: unknown, max = 160): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function fail(check: CheckName, message: string): never {
  throw new EnvCheckError(check, message);
}

/** Runs the episode from reset to its end, cycling through the actions. */
async function runEpisode(ctx: Ctx, check: CheckName, start: StartState): Promise<{ reset: ResetResult; steps: StepResult[] }> {
  const { env, opts } = ctx;
  const reset = await env.reset(start, { seed: ctx.seed });
  const steps: StepResult[] = [];
  const limit = env.spec.budgets.maxSteps;
  for (let i = 0; i < limit; i++) {
    const r = await env.step(opts.actions[i % opts.actions.length] as string);
    steps.push(r);
    if (r.terminated || r.truncated) return { reset, steps };
  }
  fail(check, `expected the episode to end (terminated or truncated) within spec.budgets.maxSteps = ${limit} steps; found it still running after ${limit} steps.`);
}

function isMessageList(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `an array of messages; found ${show(value)}`;
  for (const [i, m] of value.entries()) {
    const msg = m as { role?: unknown; content?: unknown };
    if (!msg || typeof msg !== 'object' || !['system', 'user', 'assistant', 'tool'].includes(msg.role as string) || typeof msg.content !== 'string') {
      return `messages {role: system|user|assistant|tool, content: string}; found at index ${i}: ${show(m)}`;
    }
  }
  return undefined;
}

const checks: Record<CheckName, (ctx: Ctx) => Promise<void>> = {
  async stepBeforeResetThrows({ env, opts }) {
    let result: unknown;
    try {
      result = await env.step(opts.actions[0] as string);
    } catch (e) {
      if (e instanceof ExitgymError && e.code === 'reset_needed') return;
      fail('stepBeforeResetThrows', `expected step() before reset() to throw ResetNeededError (code "reset_needed"); found ${(e as Error)?.name}: ${(e as Error)?.message}`);
    }
    fail('stepBeforeResetThrows', `expected step() before reset() to throw ResetNeededError (code "reset_needed"); found it returned ${show(result)}`);
  },

  async specIsValid({ env }) {
    const s = env.spec;
    if (!s || typeof s.id !== 'string' || s.id === '') fail('specIsValid', `expected spec.id to be a non-empty string; found ${show(s?.id)}`);
    for (const key of ['qualityRange', 'rewardRange'] as const) {
      const r = s[key];
      if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || !(r[0] < r[1])) {
        fail('specIsValid', `expected spec.${key} to be [lo, hi] with finite lo < hi; found ${show(r)}`);
      }
    }
    const b = s.budgets;
    if (!b || !Number.isInteger(b.maxSteps) || b.maxSteps < 1) fail('specIsValid', `expected spec.budgets.maxSteps to be a positive integer; found ${show(b?.maxSteps)}`);
    if (b.maxSeconds !== undefined && !(b.maxSeconds > 0)) fail('specIsValid', `expected spec.budgets.maxSeconds to be > 0 when set; found ${show(b.maxSeconds)}`);
  },

  async resetReturnsMessages({ env, opts, seed }) {
    const r = await env.reset(opts.start, { seed });
    if (!r || typeof r !== 'object') fail('resetReturnsMessages', `expected reset() to return {observation, info}; found ${show(r)}`);
    const bad = isMessageList(r.observation);
    if (bad) fail('resetReturnsMessages', `expected observation to be ${bad}`);
    if (r.observation.length === 0) fail('resetReturnsMessages', 'expected a non-empty observation (the task for the policy); found []');
    if (!r.info || typeof r.info !== 'object' || Array.isArray(r.info)) fail('resetReturnsMessages', `expected info to be an object; found ${show(r.info)}`);
  },

  async seededResetIsDeterministic(ctx) {
    const a = await runEpisode(ctx, 'seededResetIsDeterministic', ctx.opts.start);
    const traceA = ctx.env.trace();
    const b = await runEpisode(ctx, 'seededResetIsDeterministic', ctx.opts.start);
    if (!isDeepStrictEqual(a.reset.observation, b.reset.observation)) {
      fail('seededResetIsDeterministic', `expected two resets with seed ${ctx.seed} to give the same observation; found ${show(a.reset.observation)} vs ${show(b.reset.observation)}`);
    }
    const pick = (s: StepResult): unknown => ({ observation: s.observation, reward: s.reward, terminated: s.terminated, truncated: s.truncated });
    if (!isDeepStrictEqual(a.steps.map(pick), b.steps.map(pick))) {
      fail('seededResetIsDeterministic', `expected the same actions after the same seeded reset to give the same steps; found ${show(a.steps.map(pick))} vs ${show(b.steps.map(pick))}`);
    }
    if (!isDeepStrictEqual(traceA, ctx.env.trace())) {
      fail('seededResetIsDeterministic', `expected the same episode to give the same trace; found ${show(traceA)} vs ${show(ctx.env.trace())}`);
    }
  },

  async rewardsAreFiniteAndInRange(ctx) {
    const { env } = ctx;
    const { steps } = await runEpisode(ctx, 'rewardsAreFiniteAndInRange', ctx.opts.start);
    const [lo, hi] = env.spec.rewardRange;
    const [qlo, qhi] = env.spec.qualityRange;
    for (const [i, s] of steps.entries()) {
      if (typeof s.reward !== 'number' || !Number.isFinite(s.reward) || s.reward < lo || s.reward > hi) {
        fail('rewardsAreFiniteAndInRange', `expected step ${i} reward to be a finite number in rewardRange [${lo}, ${hi}]; found ${show(s.reward)}`);
      }
      if (typeof s.terminated !== 'boolean' || typeof s.truncated !== 'boolean') {
        fail('rewardsAreFiniteAndInRange', `expected step ${i} terminated/truncated to be booleans; found ${show({ terminated: s.terminated, truncated: s.truncated })}`);
      }
      if (!s.info || !Number.isInteger(s.info.turn) || s.info.turn < 0) fail('rewardsAreFiniteAndInRange', `expected step ${i} info.turn to be an integer >= 0; found ${show(s.info?.turn)}`);
      const q = s.info.quality;
      if (q !== undefined && (!Number.isFinite(q) || q < qlo || q > qhi)) {
        fail('rewardsAreFiniteAndInRange', `expected step ${i} info.quality to be in qualityRange [${qlo}, ${qhi}]; found ${show(q)}`);
      }
      const bad = isMessageList(s.observation);
      if (bad) fail('rewardsAreFiniteAndInRange', `expected step ${i} observation to be ${bad}`);
    }
    ctx.trace = env.trace();
    ctx.ended = true;
  },

  async stepAfterEndThrows({ env, opts, ended }) {
    if (!ended) fail('stepAfterEndThrows', 'expected a finished episode from rewardsAreFiniteAndInRange; found none (that check did not run)');
    try {
      const r = await env.step(opts.actions[0] as string);
      fail('stepAfterEndThrows', `expected step() after the episode ended to throw EpisodeEndedError (code "episode_ended"); found it returned ${show(r)}`);
    } catch (e) {
      if (e instanceof EnvCheckError) throw e;
      if (e instanceof ExitgymError && e.code === 'episode_ended') return;
      fail('stepAfterEndThrows', `expected step() after the episode ended to throw EpisodeEndedError (code "episode_ended"); found ${(e as Error)?.name}: ${(e as Error)?.message}`);
    }
  },

  async traceRoundTripsJson({ trace }) {
    if (!trace) fail('traceRoundTripsJson', 'expected a trace from a finished episode; found none');
    const copy: unknown = JSON.parse(JSON.stringify(trace));
    if (!isDeepStrictEqual(copy, trace)) fail('traceRoundTripsJson', `expected trace() to survive JSON.stringify/parse unchanged; found ${show(trace)} vs ${show(copy)}`);
    if (trace.length === 0) fail('traceRoundTripsJson', 'expected a non-empty trace after an episode; found []');
    for (const [i, turn] of trace.entries()) {
      const r = checkSchema(turnSchema, turn);
      if (!r.ok) fail('traceRoundTripsJson', `expected trace turn ${i} to be a valid Turn; found ${r.reason}`);
    }
    const last = trace[trace.length - 1] as Turn;
    if (last.iterates.length === 0) fail('traceRoundTripsJson', 'expected the last turn of a finished episode to have at least one iterate; found none');
  },

  async resetFromOwnHistory({ env, opts, seed, trace }) {
    if (!trace) fail('resetFromOwnHistory', 'expected a trace from a finished episode; found none');
    for (const mode of ['improve', 'diverge'] as const) {
      const start = iterateStart(mode, { taskId: opts.start.taskId, turns: trace }, opts.start.depth + 1);
      const a = await env.reset(structuredClone(start), { seed });
      const b = await env.reset(structuredClone(start), { seed });
      const bad = isMessageList(a.observation);
      if (bad) fail('resetFromOwnHistory', `expected the ${mode} observation to be ${bad}`);
      if (a.observation.length === 0) fail('resetFromOwnHistory', `expected a non-empty ${mode} observation; found []`);
      if (!isDeepStrictEqual(a.observation, b.observation)) {
        fail('resetFromOwnHistory', `expected resetting twice from the same partial history (${mode}) to give the same observation; found ${show(a.observation)} vs ${show(b.observation)}`);
      }
      const before = env.trace();
      if (!isDeepStrictEqual(before.slice(0, trace.length - 1), trace.slice(0, trace.length - 1))) {
        fail('resetFromOwnHistory', `expected trace() right after a ${mode} reset to keep the earlier turns of the partial history; found ${show(before)}`);
      }
    }
    const base = await env.reset(opts.start, { seed });
    if (base.observation.length === 0) fail('resetFromOwnHistory', 'expected a base reset after history resets to work; found an empty observation');
  },

  async closeResolves({ env }) {
    await env.close();
  },
};

/**
 * Runs every conformance check on an env that has not been reset yet, in order, and throws an
 * `EnvCheckError` at the first failure.
 *
 * @example
 * await checkEnv(await makeEnv('math', { split: 'math500' }), {
 *   start: baseStart('math500/0'),
 *   actions: ['The answer is $\\boxed{42}$.'],
 * });
 */
export async function checkEnv(env: RecurrentEnv, opts: CheckEnvOptions): Promise<CheckEnvReport> {
  if (!opts || opts.actions.length === 0) throw new EnvCheckError('options', 'expected at least one action to step with; found none');
  const ctx: Ctx = { env, opts, seed: opts.seed ?? 0 };
  const report: CheckEnvReport = { passed: [], skipped: [] };
  for (const name of CHECK_NAMES) {
    const skip = opts.skip?.find((s) => s.check === name);
    if (skip) {
      report.skipped.push(skip);
      continue;
    }
    try {
      await checks[name](ctx);
    } catch (e) {
      if (e instanceof EnvCheckError) throw e;
      throw new EnvCheckError(name, `the env threw ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
    }
    report.passed.push(name);
  }
  return report;
}
