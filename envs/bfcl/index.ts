/**
 * The BFCL domain's public surface: the env, the eight simulated APIs, the checkers and replay.
 *
 * @example
 * import { createBfclEnv } from 'exitgym/envs/bfcl';
 * const env = await createBfclEnv({ split: 'test' });
 */
export { BfclEnv, createBfclEnv } from './env.js';
export { BFCL_OPTIONS_SCHEMA, type BfclEnvOptions } from './options.js';
export { perfectActions, toolAction, callStringAction } from './scripted-agent.js';
export { checkTurn, type TurnCheck, type TurnCheckInput } from './checker.js';
export { exitReward, type ExitRewardResult, type CallRecord } from './reward.js';
export { replayScenario, groundTruthScenarios, parseScenarios, type ReplayScenario, type ReplayLine } from './replay.js';
export { createApi, apiClass, routeMethod, methodRouting } from './apis/index.js';
export { loadBfcl, BFCL_CLASSES, type BfclClassName, type BfclData, type BfclTask } from '../../datasets/bfcl.js';
