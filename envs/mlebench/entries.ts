/** Registry entries of the MLE-bench envs: `mlebench-<competition-id>`, one per competition. */
import { COMPETITIONS } from '../../datasets/mlebench/competitions.js';
import type { EnvEntry } from '../registry.js';
import { MLEBENCH_OPTIONS_SCHEMA, mlebenchOptions } from './options.js';

export const MLEBENCH_ENVS: EnvEntry[] = COMPETITIONS.map((c) => ({
  id: `mlebench-${c.id}`,
  domain: 'mlebench',
  description: `MLE-bench ${c.name} (${c.split} split): write solution.py, graded in TypeScript; options sandbox, dataRoot, synthetic, seed, limits, paperSpookyRange.`,
  qualityRange: [0, 1],
  budgets: { default: { maxSteps: 1, maxSeconds: 300 } },
  optionsSchema: MLEBENCH_OPTIONS_SCHEMA,
  // One task per competition; eval runs several greedy-search chains on it (--samples).
  tasks: async (options) => {
    mlebenchOptions(`mlebench-${c.id}`, options);
    return [c.id];
  },
  evalScaffold: 'greedy',
  // Mean normalised score per step, as the paper plots MLE-bench; accuracy (score = best) is ~0.
  evalMetric: 'score',
  create: async (options) => new (await import('./env.js')).MleBenchEnv(c.id, mlebenchOptions(`mlebench-${c.id}`, options)),
}));
