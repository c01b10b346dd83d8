import { ProviderError, SandboxError } from '../core/errors.js';
import type { Message, StartState, Turn } from '../core/types.js';
import type { RecurrentEnv, StepInfo } from '../envs/types.js';
import type { Completion, PolicyClient, SamplingOptions } from './types.js';

export interface EpisodeOptions {
  /** Seeds the env reset; step i of the episode asks the model with seed `seed + i`. */
  seed: number;
  sampling?: SamplingOptions;
  /** Ask the client for token ids and logprobs (training needs them). */
  logprobs?: boolean;
  /**
   * Stop after this many policy calls even if the episode goes on (the K-step eval plays one
   * iterate at a time). The result then has `terminated` and `truncated` both false.
   */
  maxCalls?: number;
}

/** An infrastructure failure that ended an episode. */
export interface EpisodeFailure {
  /** The policy call it happened at (0-based); -1 = the env's reset. */
  step: number;
  error: string;
  /** True when it will repeat on every call (bad endpoint or key). */
  fatal: boolean;
  /** Who failed: the model endpoint, or the env (`SandboxError`/`ProviderError` thrown by reset/step). */
  source: 'model' | 'env';
}

/**
 * Whether an error thrown by an env is an infrastructure failure (its sandbox or a service it
 * calls), which makes the episode unscorable rather than crashing the run. Anything else is a
 * bug and propagates.
 */
export function isInfraError(e: unknown): e is SandboxError | ProviderError {
  return e instanceof SandboxError || e instanceof ProviderError;
}

/** One policy call and what the env made of it. */
export interface EpisodeStep {
  /** The messages the policy saw for this call. */
  prompt: Message[];
  completion: Completion;
  reward: number;
  info: StepInfo;
}

export interface EpisodeResult {
  start: StartState;
  trace: Turn[];
  steps: EpisodeStep[];
  /** Sum of rewards. */
  return: number;
  /** Normalised quality of the episode (the last `info.quality` reported), if known. */
  quality: number | undefined;
  terminated: boolean;
  truncated: boolean;
  /**
   * Set when the infrastructure failed (a model call, or the env's sandbox/provider): the episode
   * is incomplete and never scored (a null reward, not 0).
   */
  failure?: EpisodeFailure;
  /** The last step's info (domain extras such as per-turn check results). */
  finalInfo?: StepInfo;
}

/**
 * Runs one episode: policy ↔ env until terminated or truncated (or `maxCalls` calls). Unparsable
 * model output is the env's business (reward 0 + feedback); a failed model call ends the episode
 * with `failure` set.
 */
export async function runEpisode(env: RecurrentEnv, client: PolicyClient, start: StartState, opts: EpisodeOptions): Promise<EpisodeResult> {
  const steps: EpisodeStep[] = [];
  const envFailed = (step: number, e: SandboxError | ProviderError): EpisodeResult => ({
    start,
    trace: safeTrace(env),
    steps,
    return: 0,
    quality: undefined,
    terminated: false,
    truncated: false,
    failure: { step, error: `${e.name}: ${e.message}`, fatal: false, source: 'env' },
  });
  let reset;
  try {
    reset = await env.reset(start, { seed: opts.seed });
  } catch (e) {
    if (isInfraError(e)) return envFailed(-1, e);
    throw e;
  }
  const messages: Message[] = [...reset.observation];
  const sampling: SamplingOptions = { ...(env.spec.stop ? { stop: env.spec.stop } : {}), ...opts.sampling };
  let total = 0;
  let quality: number | undefined;
  for (let i = 0; ; i++) {
    const prompt = [...messages];
    let completion: Completion;
    try {
      completion = await client.complete({ messages: prompt, ...sampling, seed: opts.seed + i, ...(opts.logprobs ? { logprobs: true } : {}) });
    } catch (e) {
      if (!(e instanceof ProviderError)) throw e;
      return { start, trace: env.trace(), steps, return: total, quality: undefined, terminated: false, truncated: false, failure: { step: i, error: e.message, fatal: e.fatal, source: 'model' } };
    }
    if (completion.stopString && !completion.text.endsWith(completion.stopString)) completion = { ...completion, text: completion.text + completion.stopString };
    let r;
    try {
      r = await env.step(completion.text);
    } catch (e) {
      if (isInfraError(e)) return envFailed(i, e);
      throw e;
    }
    steps.push({ prompt, completion, reward: r.reward, info: r.info });
    total += r.reward;
    if (r.info.quality !== undefined) quality = r.info.quality;
    messages.push({ role: 'assistant', content: completion.text }, ...r.observation);
    if (r.terminated || r.truncated || (opts.maxCalls !== undefined && i + 1 >= opts.maxCalls)) {
      return { start, trace: env.trace(), steps, return: total, quality, terminated: r.terminated, truncated: r.truncated, finalInfo: r.info };
    }
  }
}

/** The env's trace, or [] when the env cannot give one after a failure. */
export function safeTrace(env: RecurrentEnv): Turn[] {
  try {
    return env.trace();
  } catch {
    return [];
  }
}
