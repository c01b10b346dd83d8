/**
 * A training run (`exitgym train`, or `train()` from code): starts, or resumes from the newest
 * checkpoint of the run folder when it holds a run of the same config; runs the iterations of
 * Algorithm 1 (iteration.ts), validation every V, a checkpoint every `checkpointEvery`, at the
 * end and when asked to stop; writes one metrics line per iteration.
 *
 *   RUN_DIR/config.json        the resolved config (resume compares it field by field)
 *   RUN_DIR/metrics.jsonl      {"iteration", "time", …namespaced metrics} per iteration
 *   RUN_DIR/checkpoints/<n>/   see trainer/checkpoint.ts
 *   RUN_DIR/eval/<n>/          validation results (the eval's own files)
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { appendJsonLine, readJsonLines, writeFileAtomic, writeJsonAtomic } from '../../core/atomic-write.js';
import { ConfigError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { curriculumPreset, type CurriculumConfig } from '../../curriculum/config.js';
import { HashedNgramEmbedder } from '../../curriculum/embedder.js';
import { createCurriculum } from '../../curriculum/episode-start.js';
import { checkEnvOptions, envEntry, envTasks, makeEnv, type EnvEntry } from '../../envs/registry.js';
import { EnvPool, type BatchSampler } from '../../rollout/group.js';
import { cleanPartialCheckpoints, listCheckpoints, loadCheckpoint, saveCheckpoint, savePolicyFolder, type CheckpointState, type TrainingState } from '../checkpoint.js';
import { loadPolicy } from '../policy/policy.js';
import { createOptimizer } from '../train-step.js';
import { RUN_FILES } from '../run-files.js';
import { configDifference, configHash, type TrainConfig } from './config.js';
import { runIteration, type LoopContext } from './iteration.js';
import { LocalBatchSampler } from './sampler.js';
import { ServerBatchSampler } from './server-sampler.js';
import { validate } from './validation.js';

export interface TrainOptions {
  /** A resolved config (`resolveTrainConfig`). */
  config: TrainConfig;
  runDir: string;
  /** Log lines (backend choice, resume point, checkpoints). Default: none. */
  log?: (line: string) => void;
  /** Called after every iteration with its metrics line. */
  onIteration?: (line: MetricsLine, total: number) => void;
  /** Checked after every iteration: when it returns true the run checkpoints and returns. */
  shouldStop?: () => boolean;
}

export type MetricsLine = { iteration: number; time: number } & Record<string, number>;

export interface TrainResult {
  /** Iterations completed (all of them unless stopped). */
  iteration: number;
  resumedFrom: number | null;
  stopped: boolean;
  lastCheckpoint: string | null;
}

export { RUN_FILES };

/** The domain's overlong filter (PAPER.md §1.9): a BFCL reply without any valid response type carries no loss. */
function overlongFilter(entry: EnvEntry): ((text: string) => boolean) | undefined {
  if (entry.domain !== 'bfcl') return undefined;
  return (text) => /<tool>[\s\S]*<\/tool>|<TASK_FINISHED>|<TASK_ERROR>/.test(text);
}

async function checkOrWriteConfig(runDir: string, config: TrainConfig): Promise<void> {
  const path = join(runDir, RUN_FILES.config);
  if (existsSync(path)) {
    const saved = JSON.parse(await readFile(path, 'utf8')) as unknown;
    const d = configDifference(saved, config);
    if (d) {
      throw new ConfigError(
        `${runDir} holds a run with a different config: field "${d.field}" was ${JSON.stringify(d.before)}, now ${JSON.stringify(d.after)}. ` +
          'Resume with the same config, or choose another --run-dir.',
      );
    }
    return;
  }
  await writeJsonAtomic(path, config);
}

/** Keeps the first `lines` lines of metrics.jsonl (the iterations a checkpoint covers). */
async function truncateMetrics(path: string, lines: number): Promise<void> {
  if (!existsSync(path)) return;
  const kept = (await readJsonLines(path)).slice(0, lines);
  await writeFileAtomic(path, kept.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

/**
 * Trains. Resumes exactly: the metrics of the iterations after the resume point equal those of an
 * uninterrupted run with the same config (timings aside).
 *
 * @example
 * const config = resolveTrainConfig({ env: 'math', strategy: 'exit', model: 'models/tiny' }, (id) => envEntry(id).domain);
 * await train({ config, runDir: 'runs/math-exit' });
 */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { config, runDir } = opts;
  const log = opts.log ?? (() => {});
  await mkdir(runDir, { recursive: true });
  await checkOrWriteConfig(runDir, config);
  await cleanPartialCheckpoints(runDir);
  const entry = envEntry(config.env);
  // Both option sets are checked against the env's schema before anything loads (a typo fails now, naming the option).
  if (config.validation.split !== null) checkEnvOptions(config.env, { ...config.envOptions, split: config.validation.split });
  const taskIds = await envTasks(config.env, config.envOptions);
  const { domain, learnabilityFrom: _l, ...knobs } = config.curriculum;
  const curriculumConfig: CurriculumConfig = curriculumPreset(domain, config.strategy, knobs);
  const hash = configHash(config);
  const hasReference = config.grpo.beta > 0;
  const makeOptimizer = () => createOptimizer({ learningRate: config.grpo.learningRate });
  const metricsPath = join(runDir, RUN_FILES.metrics);

  const checkpoints = await listCheckpoints(runDir);
  const latest = checkpoints[checkpoints.length - 1];
  let t: TrainingState;
  let rngs: LoopContext['rngs'];
  if (latest !== undefined) {
    t = await loadCheckpoint(runDir, latest, { makeOptimizer, hasReference, load: { backend: config.backend, log } });
    if (t.state.configHash !== hash) throw new ConfigError(`${runDir}/checkpoints/${latest} was written by a run with another config (hash ${t.state.configHash}, now ${hash}); use another --run-dir.`);
    rngs = { curriculum: Rng.fromState(t.state.rng.curriculum!), shuffle: Rng.fromState(t.state.rng.shuffle!) };
    await truncateMetrics(metricsPath, t.state.metricsLines);
    log(`resuming ${runDir} after iteration ${latest}`);
  } else {
    await rm(metricsPath, { force: true });
    const policy = await loadPolicy(config.model, { backend: config.backend, log });
    const root = Rng.fromSeed(config.seed);
    rngs = { curriculum: root.fork('curriculum'), shuffle: root.fork('shuffle') };
    t = {
      policy,
      reference: hasReference ? policy.clone() : null,
      optimizer: makeOptimizer(),
      curriculum: createCurriculum(curriculumConfig, taskIds),
      state: { kind: 'exitgym-train-checkpoint', iteration: 0, configHash: hash, rng: {}, metricsLines: 0, weightsVersion: 0 },
    };
  }

  const pool = new EnvPool(() => makeEnv(config.env, config.envOptions));
  let sampler: BatchSampler;
  let afterUpdate: LoopContext['afterUpdate'];
  if (config.rollout.server) {
    const server = new ServerBatchSampler({ baseURL: config.rollout.server, modelName: config.rollout.modelName, policy: t.policy, version: t.state.weightsVersion });
    sampler = server;
    afterUpdate = async () => {
      t.state.weightsVersion++;
      const dir = join(runDir, 'weights', String(t.state.weightsVersion % 2));
      await rm(dir, { recursive: true, force: true });
      await savePolicyFolder(t.policy, dir, config.model);
      return server.pushWeights(dir);
    };
  } else {
    sampler = new LocalBatchSampler(t.policy);
  }
  const filter = overlongFilter(entry);
  const ctx: LoopContext = {
    config,
    curriculumConfig,
    curriculum: t.curriculum,
    policy: t.policy,
    reference: t.reference,
    optimizer: t.optimizer,
    sampler,
    pool,
    embedder: new HashedNgramEmbedder(),
    rngs,
    ...(filter ? { isValidResponse: filter } : {}),
    ...(afterUpdate ? { afterUpdate } : {}),
  };
  const resumedFrom = latest ?? null;
  let lastCheckpoint: string | null = null;
  const checkpoint = async (iteration: number): Promise<void> => {
    const state: CheckpointState = { ...t.state, iteration, rng: { curriculum: rngs.curriculum.state(), shuffle: rngs.shuffle.state() } };
    t.state = state;
    lastCheckpoint = await saveCheckpoint(runDir, config.model, t);
    log(`checkpoint ${lastCheckpoint}`);
  };
  let iteration = t.state.iteration;
  let stopped = false;
  try {
    while (iteration < config.iterations) {
      iteration++;
      const metrics = await runIteration(ctx, iteration);
      const v = config.validation;
      const evalMetrics = v.split !== null && v.every > 0 && iteration % v.every === 0 ? await validate(t.policy, entry, config, runDir, iteration) : {};
      const line = { iteration, time: Date.now() / 1000, ...metrics, ...evalMetrics } as MetricsLine;
      await appendJsonLine(metricsPath, line);
      t.state.metricsLines++;
      opts.onIteration?.(line, config.iterations);
      stopped = Boolean(opts.shouldStop?.());
      if (stopped || iteration % config.checkpointEvery === 0 || iteration === config.iterations) await checkpoint(iteration);
      if (stopped) break;
    }
  } finally {
    await pool.close();
  }
  return { iteration, resumedFrom, stopped, lastCheckpoint };
}
