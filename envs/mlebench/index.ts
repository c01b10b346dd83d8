/**
 * The MLE-bench domain's public surface: the env, the graders, the sandboxes and the competition registry.
 *
 * @example
 * import { gradeSubmission, competition } from 'exitgym/envs/mlebench';
 */
export { MleBenchEnv } from './env.js';
export { MLEBENCH_OPTIONS_SCHEMA, type MleBenchEnvOptions } from './options.js';
export * from './grading/index.js';
export { createSandbox, describeSandboxFailure, LocalSandbox, DockerSandbox, SANDBOX_KINDS, type Sandbox, type SandboxKind, type SandboxLimits, type SandboxResult } from './sandbox/index.js';
export { COMPETITIONS, competition, competitionIds, scoreRange, type Competition } from '../../datasets/mlebench/competitions.js';
