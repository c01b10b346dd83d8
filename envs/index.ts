/**
 * `exitgym/envs`: the recurrent-task interface, the registry and the conformance checker.
 * Importing it registers exitgym's own envs (their heavy modules load only when built).
 */
import './builtin.js';

export type { Budgets, Domain, EnvSpec, EvalMetric, EvalScaffold, Message, RecurrentEnv, ResetOptions, ResetResult, StepInfo, StepResult, StartState, Turn, Iterate, Trace } from './types.js';
export { BaseEnv } from './base.js';
export { makeEnv, envTasks, checkEnvOptions, registerEnv, unregisterEnv, envIds, envEntries, envEntry, type EnvEntry } from './registry.js';
export { checkOptions, NO_OPTIONS, type FromSchema, type OptionsSchema } from '../core/schema.js';
export { checkEnv, CHECK_NAMES, type CheckEnvOptions, type CheckEnvReport, type CheckName } from './check-env.js';
export {
  baseStart,
  continueStart,
  improveStart,
  divergeStart,
  iterateStart,
  historyOf,
  historyDepth,
  lastTurn,
  latestIterate,
  iterateKind,
  answerText,
  startStateSchema,
  historySchema,
  validateStartState,
  type History,
  type IterationMode,
  type AnswerView,
} from '../core/start-state.js';
export { improvePrompt, divergePrompt, iterationPrompt, type IterationPromptInput } from './prompts.js';
export { normaliseQuality, improvementReward, stepReward, type ImproveRewardRule } from './reward.js';
