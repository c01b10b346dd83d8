/**
 * exitgym's own envs. Each domain adds its entries here; factories import lazily so that listing
 * envs or using one domain never loads another domain's dependencies.
 */
import { BFCL_ENV } from './bfcl/entry.js';
import { MATH_ENV } from './math/entry.js';
import { MLEBENCH_ENVS } from './mlebench/entries.js';
import { registerEnv, type EnvEntry } from './registry.js';

export const BUILTIN_ENVS: EnvEntry[] = [MATH_ENV, BFCL_ENV, ...MLEBENCH_ENVS];

for (const entry of BUILTIN_ENVS) registerEnv(entry);
