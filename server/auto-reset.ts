/**
 * Auto-reset (as Gymnasium's vector envs and EnvPool do it): a step that ends the episode also
 * resets the session and answers the next episode's first observation in the same response, so
 * an engine that plays one-step episodes (math) pays one request per step instead of two.
 *
 * Seeds are deterministic: an auto-reset uses the seed it is given, else the previous episode's
 * seed + 1, where an explicit reset without a seed counts as seed 0 (what the envs use then). So
 * the same explicit reset seed and the same actions always give the same sequence of episodes.
 */
import type { StartState } from '../core/types.js';
import type { RecurrentEnv, ResetResult, StepResult } from '../envs/types.js';
import { validateStartState } from '../core/start-state.js';
import type { OpenAITool } from '../envs/bfcl/openai-tools.js';
import { errorReply } from './errors.js';

/** The step body's `autoReset`: `true` (the same start again) or an object naming the start and/or seed (`false`: off). */
export type AutoResetRequest = boolean | { start?: StartState; seed?: number };

/** The start and seed of each env's current episode, for auto-reset's defaults and `GET …/tools`. */
const episodes = new WeakMap<RecurrentEnv, { start: StartState; seed: number }>();

/** Records the episode an explicit reset (or an auto-reset) started; a missing seed is the envs' default, 0. */
export function recordEpisode(env: RecurrentEnv, start: StartState, seed: number | undefined): void {
  episodes.set(env, { start, seed: seed ?? 0 });
}

/** The task id of the env's current episode, or undefined before its first reset. */
export function currentTaskId(env: RecurrentEnv): string | undefined {
  return episodes.get(env)?.start.taskId;
}

/** The seed after `seed`: + 1, wrapping to 0 past the largest exact integer so it stays exact. */
export function nextSeed(seed: number): number {
  return seed < Number.MAX_SAFE_INTEGER ? seed + 1 : 0;
}

/**
 * Checks an `autoReset` request's start state before the step runs, so a malformed one is a 400
 * with nothing run. Returns the request with the start validated.
 */
export function checkAutoReset(req: AutoResetRequest, where: string): true | { start?: StartState; seed?: number } | undefined {
  if (req === false) return undefined;
  if (req === true || req.start === undefined) return req;
  return { ...req, start: validateStartState(req.start, `${where} autoReset`) };
}

/** What an auto-reset adds to a step response: the new episode's reset result and its seed, or why it failed. */
export type AutoResetOutcome =
  | { reset: ResetResult & { seed: number; tools?: OpenAITool[] } }
  | { resetError: { code: string; message: string } };

/**
 * After `step` returned `result`: when the episode ended, resets the env per `req` and returns the
 * fields to add to the step response. A failed reset (say, an unknown task id) does not void the
 * step's reward: the step answers normally with `resetError`, and the session needs an explicit
 * reset. Nothing is added when the episode goes on.
 */
export async function autoReset(
  env: RecurrentEnv,
  result: StepResult,
  req: true | { start?: StartState; seed?: number },
  toolsFor: (env: RecurrentEnv, taskId: string) => Promise<OpenAITool[] | undefined>,
): Promise<AutoResetOutcome | undefined> {
  if (!result.terminated && !result.truncated) return undefined;
  const previous = episodes.get(env);
  const start = (req === true ? undefined : req.start) ?? previous?.start;
  if (!start) return { resetError: { code: 'reset_needed', message: 'autoReset: this session has no previous start to repeat; send autoReset: {start} or call reset.' } };
  const seed = (req === true ? undefined : req.seed) ?? nextSeed(previous?.seed ?? 0);
  try {
    const out = await env.reset(start, { seed });
    recordEpisode(env, start, seed);
    const tools = await toolsFor(env, start.taskId);
    return { reset: tools ? { ...out, seed, tools } : { ...out, seed } };
  } catch (e) {
    // The step's result stands; the env is left un-reset, so the next step answers 409 reset_needed.
    const r = errorReply(e);
    return { resetError: { code: r.code, message: `autoReset: ${r.message}` } };
  }
}
