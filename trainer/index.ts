/**
 * Public API of `exitgym/trainer`: the pure GRPO maths, the TensorFlow.js policy (load, generate,
 * score, save), the GRPO loss and optimiser step, and backend selection. This entry point is the
 * only one that loads TensorFlow.js.
 */
export { groupAdvantages, batchAdvantages, type AdvantageOptions, type AdvantageScaling } from './advantages.js';
export { lossMask, overlongFilter, maskedLength, type MessageSpan, type LossMask, type LossMaskOptions } from './masks.js';
export { shouldUpdate, blend, blendInto } from './reference-update.js';
export { grpoObjective, tokenTerms, type ObjectiveConfig, type ObjectiveNormaliser, type ObjectiveResult, type SequenceTokens } from './objective-reference.js';
export { selectBackend, BACKEND_NAMES, tf, type BackendName, type BackendPreference, type BackendChoice, type SelectBackendOptions } from './backend.js';
export { grpoLoss, type GrpoLossInputs, type GrpoLossOutput } from './loss.js';
export { trainStep, updateReference, createOptimizer, DEFAULT_TRAIN_STEP, type GrpoSample, type TrainStepConfig, type TrainStepMetrics } from './train-step.js';
export { Policy, loadPolicy, type LoadPolicyOptions, type ScoreSequence, type TokenStatsOptions } from './policy/policy.js';
export { headTokenStats, DEFAULT_HEAD_CHUNK } from './policy/token-stats.js';
export { generate, encodePrompt, type GenerateOptions, type Generation, type PromptInput } from './policy/generate.js';
export { PolicyTokenizer } from './policy/tokenizer.js';
export { encodeConversation, type EncodedConversation, type EncodeConversationOptions } from './policy/conversation.js';
export { parseDecoderConfig, ropeInvFreq, SUPPORTED_ROPE_TYPES, type DecoderConfig, type RopeScaling } from './policy/config.js';
export { sampleToken, samplingDistribution, logSoftmax, DEFAULT_SAMPLING, type SamplingOptions } from './policy/sampling.js';
export { loadSafetensorsDir, saveSafetensorsDir, parseSafetensors, readSafetensorsFile, serializeSafetensors, type FloatDtype, type NamedTensor, type TensorMap } from './safetensors.js';
export { writeSafetensorsFile, type TensorSource } from './safetensors-write.js';
export { LocalPolicyClient } from './policy-client.js';
export * from './loop/index.js';
export { saveCheckpoint, loadCheckpoint, listCheckpoints, savePolicyFolder, type CheckpointState, type TrainingState } from './checkpoint.js';
export { writeReport, buildReport, type ReportSummary } from './report.js';
export { readRun, parseMetrics, type RunData, type MetricsRow, type ParsedMetrics } from './report-data.js';
