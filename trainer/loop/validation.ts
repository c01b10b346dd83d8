/**
 * Validation during training: the K-step self-improvement eval (the same code as `exitgym eval`)
 * of the current policy on a held-out split, written to `RUN_DIR/eval/<iteration>/` and reported
 * as `eval/accuracy@k` and `eval/mean_quality@k` for k = 0..K.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { envTasks, makeEnv, type EnvEntry } from '../../envs/registry.js';
import { runEval } from '../../eval/run.js';
import { LocalPolicyClient } from '../policy-client.js';
import type { Policy } from '../policy/policy.js';
import type { TrainConfig } from './config.js';
import { seedOf } from './iteration.js';

export async function validate(policy: Policy, entry: EnvEntry, config: TrainConfig, runDir: string, iteration: number): Promise<Record<string, number>> {
  const v = config.validation;
  if (v.split === null) return {};
  const envOptions = { ...config.envOptions, split: v.split };
  const taskIds = (await envTasks(config.env, envOptions)).slice(0, v.limit);
  if (taskIds.length === 0) return {};
  const outputDir = join(runDir, 'eval', String(iteration));
  // A run killed during validation reruns it whole (it is seeded, so it gives the same numbers).
  await rm(outputDir, { recursive: true, force: true });
  const { summary } = await runEval({
    config: {
      env: config.env,
      envOptions,
      split: v.split,
      model: `train@${iteration}`,
      steps: v.steps,
      samples: 1,
      seed: seedOf(config.seed, 'validation'),
      tasks: taskIds.length,
      sampling: { maxTokens: config.maxTokens, temperature: config.temperature },
      truncation: 'score',
      metric: entry.evalMetric ?? 'accuracy',
      correctAt: 1,
      scaffold: entry.evalScaffold ?? 'self-improve',
    },
    taskIds,
    client: new LocalPolicyClient(policy, { maxTokens: config.maxTokens, name: `train@${iteration}` }),
    makeEnv: () => makeEnv(config.env, envOptions),
    outputDir,
    resume: false,
    concurrency: 1,
  });
  const out: Record<string, number> = {};
  for (const s of summary.steps) {
    if (s.accuracy !== null) out[`eval/accuracy@${s.step}`] = s.accuracy;
    if (s.meanQuality !== null) out[`eval/mean_quality@${s.step}`] = s.meanQuality;
  }
  return out;
}
