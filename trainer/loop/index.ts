/**
 * The training loop (the paper's Algorithm 1) as a library: `train` runs or resumes a run folder,
 * `resolveTrainConfig`/`trainPreset` build its config, `runIteration` is one iteration.
 *
 * @example
 * import { resolveTrainConfig, train } from 'exitgym/trainer';
 * const config = resolveTrainConfig({ env: 'math', strategy: 'exit', model: 'models/tiny', iterations: 20 }, () => 'math');
 * await train({ config, runDir: 'runs/math-exit', onIteration: (m) => console.log(m['rollout/reward_mean']) });
 */
export { train, RUN_FILES, type TrainOptions, type TrainResult, type MetricsLine } from './run.js';
export { runIteration, seedOf, type LoopContext } from './iteration.js';
export { TRAIN_CONFIG_SCHEMA, configHelp, configDifference, configHash, deepMerge, checkTrainConfigFile, type TrainConfig, type LearnabilityFrom } from './config.js';
export { trainPreset, resolveTrainConfig, presetNames, parsePresetName } from './presets.js';
export { LocalBatchSampler } from './sampler.js';
export { ServerBatchSampler, type ServerSamplerOptions } from './server-sampler.js';
export { episodeSequence, grpoSample, type EpisodeSequence } from './samples.js';
export { nextPromptIds, completionText, templateMessages, type TokenContext } from './tokens.js';
