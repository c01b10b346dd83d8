/**
 * Test helpers for env authors and trainers: `runEnvConformance` registers one `node:test` test
 * per conformance check, so a broken env shows exactly which check failed and why;
 * `writeTinyModel` writes a tiny random checkpoint to load, train and serve without a download.
 *
 * @example
 * // my-env.test.ts
 * import { runEnvConformance } from 'exitgym/testing';
 * runEnvConformance({ name: 'my-env', makeEnv: () => new MyEnv(), start: baseStart('t1'), actions: ['42'] });
 */
import { describe, test } from 'node:test';
import { CHECK_NAMES, checkEnv, type CheckEnvOptions, type CheckName } from '../envs/check-env.js';
import type { RecurrentEnv } from '../envs/types.js';

export { checkEnv, CHECK_NAMES } from '../envs/check-env.js';
export { writeTinyModel, writeToolCallingModel, type TinyModelOptions } from './tiny-model.js';
export type { CheckEnvOptions, CheckEnvReport, CheckName } from '../envs/check-env.js';

export interface ConformanceOptions extends Omit<CheckEnvOptions, 'skip'> {
  /** Suite name shown by the test runner. */
  name: string;
  /** Builds a fresh, never-reset env. */
  makeEnv: () => RecurrentEnv | Promise<RecurrentEnv>;
  /** Checks to skip; each needs a reason. */
  skip?: { check: CheckName; reason: string }[];
}

/**
 * Registers the conformance suite for an env: one test runs `checkEnv` end to end (the checks
 * share one episode), and a second confirms that every check ran or was skipped with a reason.
 */
export function runEnvConformance(opts: ConformanceOptions): void {
  describe(`conformance: ${opts.name}`, () => {
    test('checkEnv passes every check', async () => {
      const env = await opts.makeEnv();
      try {
        const report = await checkEnv(env, { start: opts.start, actions: opts.actions, seed: opts.seed, skip: opts.skip });
        const accounted = new Set<CheckName>([...report.passed, ...report.skipped.map((s) => s.check)]);
        const missing = CHECK_NAMES.filter((c) => !accounted.has(c));
        if (missing.length > 0) throw new Error(`checks neither passed nor skipped: ${missing.join(', ')}`);
      } finally {
        await env.close();
      }
    });
  });
}
