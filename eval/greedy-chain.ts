import { ProviderError } from '../core/errors.js';
import type { StepInfo } from '../envs/types.js';
import { greedySearch } from './greedy-search.js';
import type { ChainOptions, ChainStepRecord } from './self-improve.js';

/**
 * One greedy-search chain (SPEC.md §7) as eval records: step k's quality is the best normalised
 * score among valid solutions after k steps, with that solution's medal. A failed model call ends
 * the chain with a `quality: null` record. Chains are not resumed mid-way: an unfinished chain is
 * searched again from its draft (its seeds make it the same search).
 */
export async function runGreedyChain(opts: ChainOptions): Promise<ChainStepRecord[]> {
  const records: ChainStepRecord[] = [];
  const base = { taskId: opts.taskId, sample: opts.sample };
  // The step whose model call is in flight: where a ProviderError is recorded.
  let step = 0;
  const infos: StepInfo[] = [];
  try {
    await opts.pool.use((env) =>
      greedySearch({
        env,
        client: opts.client,
        ...(opts.sampling ? { sampling: opts.sampling } : {}),
        taskId: opts.taskId,
        steps: opts.steps,
        seed: opts.seed + 100_003 * opts.sample,
        onStep: async (s) => {
          step = s.step + 1;
          infos.push(s.info);
          const medal = s.bestStep >= 0 ? infos[s.bestStep]?.medal : undefined;
          const rec: ChainStepRecord = {
            ...base,
            step: s.step,
            quality: s.bestQuality,
            ...(typeof medal === 'string' ? { medal: medal !== 'none' } : {}),
            feedback: s.feedback,
            info: { goal: s.goal, valid: s.valid, ...(s.bestScore !== null ? { bestScore: s.bestScore } : {}), ...(s.score !== null ? { score: s.score } : {}) },
            trace: [],
          };
          records.push(rec);
          await opts.onRecord?.(rec);
        },
      }),
    );
  } catch (e) {
    if (!(e instanceof ProviderError)) throw e;
    const rec: ChainStepRecord = { ...base, step, quality: null, error: e.message, fatal: e.fatal, trace: [] };
    records.push(rec);
    await opts.onRecord?.(rec);
  }
  return records;
}
