/**
 * exitgym: recurrent self-improvement envs (math, BFCL multi-turn, MLE-bench), the ExIt
 * curriculum and a GRPO trainer. This entry point holds the envs, the core values and the eval
 * machinery; the curriculum, the trainer (TensorFlow.js), the HTTP server and test helpers have
 * their own entry points (`exitgym/curriculum`, `exitgym/trainer`, `exitgym/server`, `exitgym/testing`).
 *
 * @example
 * import { makeEnv, baseStart } from 'exitgym';
 * const env = await makeEnv('math', { split: 'math500' });
 * const { observation } = await env.reset(baseStart('math500/0'));
 */
export * from './envs/index.js';
export type { JsonValue, IterateKind, Role, StartMode } from './core/types.js';
export {
  ExitgymError,
  ConfigError,
  UnknownIdError,
  ValidationError,
  DatasetMissingError,
  SandboxError,
  ProviderError,
  ResetNeededError,
  EpisodeEndedError,
  EnvCheckError,
  type ErrorCode,
  type ProviderFailure,
} from './core/errors.js';
export { Rng, type RngState } from './core/rng.js';
export { taskKey, contentHash, canonicalJson } from './core/hash.js';
export { writeFileAtomic, writeJsonAtomic, appendJsonLine, readJsonLines } from './core/atomic-write.js';
export type { Result } from './core/result.js';

export type { PolicyClient, Completion, CompletionRequest, SamplingOptions } from './rollout/types.js';
export { OpenAIPolicyClient, type OpenAIClientOptions } from './rollout/openai-client.js';
export { ScriptedClient, type ScriptContext } from './rollout/scripted-client.js';
export { runEpisode, type EpisodeOptions, type EpisodeResult, type EpisodeStep } from './rollout/episode.js';
export { runGroup, EnvPool, type GroupOptions } from './rollout/group.js';
export { runSelfImprovementChain, type ChainOptions, type ChainStepRecord } from './eval/self-improve.js';
export { greedySearch, nextAction, type GreedySearchOptions, type GreedySearchResult, type SearchGoal, type SearchNode, type SearchStep } from './eval/greedy-search.js';
export { summariseSelfImprovement, type OutcomeRecord, type SelfImprovementSummary, type StepSummary } from './eval/metrics.js';
export { runEval, type EvalRunConfig, type EvalRunOptions, type EvalRunResult } from './eval/run.js';
