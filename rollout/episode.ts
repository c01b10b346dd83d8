import { ProviderError } from '../core/errors.js';
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
  /** Set when a model call failed (infrastructure): the episode is incomplete, never scored. */
  failure?: { step: number; error: string; fatal: boolean };
  /** The last step's info (domain extras such as per-turn check results). */
  finalInfo?: StepInfo;
}

/**
 * Runs one episode: policy ↔ env until terminated or truncated (or `maxCalls` calls). Unparsable
 * model output is the env's business (reward 0 + feedback); a failed model call ends the episode
 * with `failure` set.
 */
export async function runEpisode(env: RecurrentEnv, client: PolicyClient, start: StartState, opts: EpisodeOptions): Promise<EpisodeResult> {
  const reset = await env.reset(start, { seed: opts.seed });
  const messages: Message[] = [...reset.observation];
  const steps: EpisodeStep[] = [];
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
      return { start, trace: env.trace(), steps, return: total, quality: undefined, terminated: false, truncated: false, failure: { step: i, error: e.message, fatal: e.fatal } };
    }
    const r = await env.step(completion.text);
    steps.push({ prompt, completion, reward: r.reward, info: r.info });
    total += r.reward;
    if (r.info.quality !== undefined) quality = r.info.quality;
    messages.push({ role: 'assistant', content: completion.text }, ...r.observation);
    if (r.terminated || r.truncated || (opts.maxCalls !== undefined && i + 1 >= opts.maxCalls)) {
      return { start, trace: env.trace(), steps, return: total, quality, terminated: r.terminated, truncated: r.truncated, finalInfo: r.info };
    }
  }
}
