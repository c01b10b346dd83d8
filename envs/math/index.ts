/**
 * The math domain's public surface: the answer checker (`extract`, `verify`, `isEquivalent`),
 * the env, and the dataset loaders.
 *
 * @example
 * import { verify } from 'exitgym/envs/math';
 * verify('\\frac{1}{2}', 'so the answer is $\\boxed{0.5}$'); // { correct: true, extracted: '0.5', reason: 'equal', ... }
 */
export { extract, type Candidate } from './extract.js';
export { verify, isEquivalent, goldResponse, parseGold, type Verdict, type VerifyOptions } from './verify.js';
export { parseAnswer, type MathValue } from './value.js';
export { normalizeLatex } from './normalize.js';
export { MathEnv, createMathEnv, MATH_SPEC } from './env.js';
export { MATH_OPTIONS_SCHEMA, type MathEnvOptions } from './options.js';
export { mathPrompt, mathTaskId, findMathTask, MATH_PROMPT_SUFFIX } from './tasks.js';
export { loadMathSplit, MATH_SPLITS, MATH_TEST_SPLITS, solutionSteps, type MathTask, type MathSplit } from '../../datasets/math.js';
