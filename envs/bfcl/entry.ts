/**
 * The `bfcl` registry entry. The factory imports the env lazily so that listing envs never loads
 * the BFCL APIs.
 */
import { loadBfcl } from '../../datasets/bfcl.js';
import type { EnvEntry } from '../registry.js';
import { BFCL_OPTIONS_SCHEMA, bfclOptions } from './options.js';
import { BFCL_BUDGETS, splitName, splitTaskIds } from './tasks.js';

export const BFCL_ENV: EnvEntry = {
  id: 'bfcl',
  domain: 'bfcl',
  description: 'BFCL v3 multi_turn_base: multi-turn tool use on 8 simulated APIs (options: split train|test|all, config train|test, bespokeCompat).',
  qualityRange: [0, 1],
  budgets: { ...BFCL_BUDGETS },
  optionsSchema: BFCL_OPTIONS_SCHEMA,
  async tasks(options) {
    const { dataDir, split } = bfclOptions(options);
    const data = await loadBfcl(dataDir !== undefined ? { dataDir } : {});
    return splitTaskIds(data, splitName(split));
  },
  async create(options) {
    const { createBfclEnv } = await import('./env.js');
    return createBfclEnv(bfclOptions(options));
  },
};
