/** Registry entries of the MLE-bench envs: `mlebench-<competition-id>`, one per competition. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPETITIONS } from '../../datasets/mlebench/competitions.js';
import { baseStart } from '../../core/start-state.js';
import type { EnvEntry } from '../registry.js';
import { MLEBENCH_OPTIONS_SCHEMA, mlebenchOptions } from './options.js';

export const MLEBENCH_ENVS: EnvEntry[] = COMPETITIONS.map((c) => ({
  id: `mlebench-${c.id}`,
  domain: 'mlebench',
  description: `MLE-bench ${c.name} (${c.split} split): write solution.py, graded in TypeScript; options sandbox, dataRoot, synthetic, seed, limits, paperSpookyRange.`,
  qualityRange: [0, 1],
  budgets: { default: { maxSteps: 1, maxSeconds: 300 } },
  // One task per competition; eval runs several greedy-search chains on it (--samples).
  optionsSchema: MLEBENCH_OPTIONS_SCHEMA,
  tasks: async (options) => {
    mlebenchOptions(`mlebench-${c.id}`, options);
    return [c.id];
  },
  evalScaffold: 'greedy',
  // Mean normalised score per step, as the paper plots MLE-bench; accuracy (score = best) is ~0.
  evalMetric: 'score',
  create: async (options) => new (await import('./env.js')).MleBenchEnv(c.id, mlebenchOptions(`mlebench-${c.id}`, options)),
  conformance: {
    // Under the temp dir: the local sandbox's unprivileged uid cannot read a cache inside a 0700 home.
    options: { syntheticRoot: join(tmpdir(), 'exitgym-mlebench-synthetic') },
    start: baseStart(c.id),
    // Cheap actions: copying the sample submission (valid, prior-level score) and prose with no code.
    actions: [
      `Copy the sample submission.\n\`\`\`python\nimport os, shutil\nshutil.copy(os.path.join(os.environ['PUBLIC_RESOURCE_PATH'], '${c.sampleSubmissionFile}'), 'submission.csv')\n\`\`\``,
      'I would train a gradient-boosted model on the training data.',
    ],
    requires: ['data', 'sandbox'],
  },
}));
