/**
 * Training samples from rollout records, exactly as sampled: an episode of one or more policy
 * calls becomes one sequence — the first call's prompt ids, then for each call its sampled ids
 * (loss on, π_old = the sampling logprobs) and the env tokens that follow them (loss off). Later
 * calls' prompts must extend the earlier ones (the sampler builds them that way, tokens.ts); a
 * record that breaks this was not sampled token in, token out and is refused.
 */
import { ConfigError } from '../../core/errors.js';
import type { EpisodeResult } from '../../rollout/episode.js';
import type { GrpoSample } from '../train-step.js';

/** One episode as a single token sequence. */
export interface EpisodeSequence {
  promptIds: number[];
  completionIds: number[];
  /** 1 on sampled tokens, 0 on env tokens; aligned with `completionIds`. */
  lossMask: Uint8Array;
  /** Sampling logprobs on sampled tokens, 0 on env tokens. */
  oldLogprobs: number[];
  /** Sampled tokens (the |o_i| before overlong filtering). */
  sampledTokens: number;
}

const startsWith = (a: readonly number[], prefix: readonly number[]): boolean => prefix.length <= a.length && prefix.every((x, i) => a[i] === x);

/**
 * The sequence of an episode. `isValidResponse`, when given, is the domain's overlong filter
 * (DAPO, PAPER.md §1.9): a reply with none of the valid response types keeps its tokens but
 * carries no loss.
 */
export function episodeSequence(ep: EpisodeResult, isValidResponse?: (text: string) => boolean): EpisodeSequence {
  if (ep.steps.length === 0) throw new ConfigError(`episode of ${ep.start.taskId} has no policy call; nothing to train on.`);
  const first = ep.steps[0]!.completion;
  if (!first.promptIds) throw new ConfigError('rollout records carry no prompt ids; training needs a sampler that returns them (the in-process policy or an exitgym server).');
  const promptIds = [...first.promptIds];
  const seq: number[] = [...promptIds];
  const mask: number[] = [];
  const old: number[] = [];
  let sampled = 0;
  for (const [k, step] of ep.steps.entries()) {
    const c = step.completion;
    if (!c.promptIds || !c.tokenIds || !c.logprobs || c.logprobs.length !== c.tokenIds.length) {
      throw new ConfigError(`episode of ${ep.start.taskId}, call ${k}: the completion lacks prompt ids, sampled ids or their logprobs; π_old must be the sampling logprobs.`);
    }
    if (!startsWith(c.promptIds, seq)) {
      throw new ConfigError(`episode of ${ep.start.taskId}, call ${k}: its prompt ids do not extend the ids of the calls before it; the sampler re-tokenised the conversation instead of keeping the sampled ids.`);
    }
    const env = c.promptIds.slice(seq.length);
    seq.push(...env, ...c.tokenIds);
    mask.push(...env.map(() => 0));
    old.push(...env.map(() => 0));
    const keep = isValidResponse && !isValidResponse(c.text) ? 0 : 1;
    mask.push(...c.tokenIds.map(() => keep));
    old.push(...c.logprobs);
    sampled += c.tokenIds.length;
  }
  return { promptIds, completionIds: seq.slice(promptIds.length), lossMask: Uint8Array.from(mask), oldLogprobs: old, sampledTokens: sampled };
}

/** A `GrpoSample` (π_old = the sampling logprobs, always). */
export function grpoSample(seq: EpisodeSequence, advantage: number): GrpoSample {
  return { promptIds: seq.promptIds, completionIds: seq.completionIds, oldLogprobs: seq.oldLogprobs, lossMask: seq.lossMask, advantage };
}
