/**
 * The in-process rollout sampler: one batched `generate` call per step of a GRPO group, prompts
 * built token in, token out (tokens.ts), completions carrying the prompt ids, sampled ids and
 * their logprobs that the GRPO update trains on.
 */
import type { BatchCompletion, BatchRow, BatchSampler } from '../../rollout/group.js';
import type { SamplingOptions } from '../../rollout/types.js';
import type { Policy } from '../policy/policy.js';
import { completionText, nextPromptIds, type TokenContext } from './tokens.js';

export class LocalBatchSampler implements BatchSampler {
  readonly id = 'local-policy';
  constructor(private readonly policy: Policy) {}

  async sampleBatch(rows: readonly BatchRow[], opts: SamplingOptions & { seed: number }): Promise<BatchCompletion[]> {
    const { tokenizer, config } = this.policy;
    const prompts = rows.map((r) => nextPromptIds(tokenizer, r.messages, r.context as TokenContext | undefined));
    // Row r draws from Rng.fromSeed(seed).fork(r) (generate's contract); identical first-call
    // prompts of a group are passed repeated until generate takes `n`.
    const gens = await this.policy.generate(
      prompts.map((promptIds) => ({ promptIds })),
      {
        maxTokens: opts.maxTokens ?? 256,
        seed: opts.seed,
        ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
        ...(opts.topP !== undefined ? { topP: opts.topP } : {}),
        ...(opts.topK !== undefined ? { topK: opts.topK } : {}),
        ...(opts.stop?.length ? { stop: opts.stop } : {}),
      },
    );
    const eot = new Set(config.eosTokenIds);
    return gens.map((g, r) => {
      const last = g.tokenIds[g.tokenIds.length - 1];
      const context: TokenContext = { ids: [...g.promptIds, ...g.tokenIds], covered: (rows[r] as BatchRow).messages.length + 1, endedWithEot: last !== undefined && eot.has(last) };
      return {
        completion: {
          text: completionText(tokenizer, g.tokenIds),
          finishReason: g.finishReason,
          promptIds: g.promptIds,
          tokenIds: g.tokenIds,
          logprobs: g.logprobs,
          usage: { promptTokens: g.promptIds.length, completionTokens: g.tokenIds.length },
        },
        context,
      };
    });
  }
}
