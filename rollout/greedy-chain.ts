import { ProviderError } from '../core/errors.js';
import type { RecurrentEnv, StepResult } from '../envs/types.js';
import type { ChainOptions, ChainStepRecord } from './self-improve.js';

/** Records each step's info of an env, to read the medal of the best node afterwards. */
function recording(env: RecurrentEnv, infos: StepResult['info'][]): RecurrentEnv {
  return {
    spec: env.spec,
    reset: (start, opts) => env.reset(start, opts),
    step: async (action) => {
      const r = await env.step(action);
      infos.push(r.info);
      return r;
    },
    trace: () => env.trace(),
    close: () => env.close(),
  };
}

/**
 * One MLE-bench greedy-search chain (SPEC.md §7) as eval records: step k's quality is the best
 * normalised score among valid solutions after k steps, with that solution's medal. A failed
 * model call ends the chain with a `quality: null` record. Chains are not resumed mid-way: an
 * unfinished chain is searched again from its draft (its seeds make it the same search).
 */
export async function runGreedyChain(opts: ChainOptions): Promise<ChainStepRecord[]> {
  const { greedySearch } = await import('../envs/mlebench/greedy-search.js');
  const records: ChainStepRecord[] = [];
  const infos: StepResult['info'][] = [];
  const base = { taskId: opts.taskId, sample: opts.sample };
  let failedAt = 0;
  try {
    await opts.pool.use((env) =>
      greedySearch({
        env: recording(env, infos),
        taskId: opts.taskId,
        steps: opts.steps,
        seed: opts.seed + 100_003 * opts.sample,
        proposer: {
          complete: async (req) => {
            failedAt = infos.length;
            return opts.client.complete({ ...opts.sampling, messages: req.messages, ...(req.seed !== undefined ? { seed: req.seed } : {}) });
          },
        },
        onStep: async (s) => {
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
    const rec: ChainStepRecord = { ...base, step: failedAt, quality: null, error: e.message, fatal: e.fatal, trace: [] };
    records.push(rec);
    await opts.onRecord?.(rec);
  }
  return records;
}
