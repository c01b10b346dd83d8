/**
 * The `math` registry entry. The factory imports the env lazily so that listing envs never loads
 * the LaTeX engine.
 */
import { loadMathSplit, MATH_SPLITS } from '../../datasets/math.js';
import type { EnvEntry } from '../registry.js';
import { MATH_OPTIONS_SCHEMA, mathOptions } from './options.js';
import { mathTaskId } from './tasks.js';

export const MATH_ENV: EnvEntry = {
  id: 'math',
  domain: 'math',
  description: `Competition math, single turn, reward 1/0 by answer verification (options: split ${MATH_SPLITS.join('|')}, dataDir).`,
  qualityRange: [0, 1],
  budgets: { default: { maxSteps: 1 } },
  optionsSchema: MATH_OPTIONS_SCHEMA,
  async tasks(options) {
    const { split = 'train', dataDir } = mathOptions(options);
    const tasks = await loadMathSplit(split, dataDir !== undefined ? { dataDir } : {});
    return tasks.map(mathTaskId);
  },
  async create(options) {
    const { createMathEnv } = await import('./env.js');
    return createMathEnv(mathOptions(options));
  },
};
