/**
 * exitgym/curriculum: the ExIt task buffer, learnability, sampling, episode starts, expansion,
 * the diversity bonus, embedders and metrics. Pure and seeded; no TensorFlow.js.
 *
 * @example
 * import { curriculumPreset, createCurriculum, nextStart, updateCurriculum } from 'exitgym/curriculum';
 * const config = curriculumPreset('math', 'exit', { kappa: 20 });
 * const state = createCurriculum(config, taskIds);
 * const episode = nextStart(state, config, rng);          // base task or a replayed history
 * // … run a GRPO group of G rollouts from episode.start …
 * updateCurriculum(state, config, { episode, traces });  // learnability → m′ and its children
 */
export * from './config.js';
export { learnability, MAX_LEARNABILITY } from './learnability.js';
export { createBuffer, insert, insertMany, getEntry, minEntry, bufferSize } from './buffer.js';
export type { BufferEntry, BufferInsert, BufferState, InsertOutcome, InsertResult } from './buffer-types.js';
export { sampleSlot, sampleSlots, sampleEntry, samplingProbabilities, samplingEntropy, type SamplingParams } from './sampling.js';
export {
  createCurriculum,
  nextStart,
  nextBaseTask,
  recordSeen,
  selectPrefix,
  answeredTurns,
  type CurriculumState,
  type BaseSamplerState,
  type EpisodeStart,
} from './episode-start.js';
export { expansionInserts, updateCurriculum, partialHistories, traceQuality, type GroupOutcome } from './expansion.js';
export { diversityCoefficients, applyDiversityBonus, centroidDistances, meanPairwiseDistances, DIVERSITY_EPSILON } from './diversity.js';
export { HashedNgramEmbedder, groupDiversity, type Embedder, type HashedNgramOptions } from './embedder.js';
export { TransformersEmbedder, type TransformersEmbedderOptions } from './transformers-embedder.js';
export { bufferMetrics, startMetrics, runMetrics, instanceText, quantile } from './metrics.js';
export { saveBuffer, loadBuffer, saveCurriculum, loadCurriculum, bufferToJsonLines, bufferFromJsonLines } from './persistence.js';
