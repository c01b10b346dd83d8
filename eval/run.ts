import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { appendJsonLine, readJsonLines, writeFileAtomic, writeJsonAtomic } from '../core/atomic-write.js';
import { ConfigError } from '../core/errors.js';
import { canonicalJson } from '../core/hash.js';
import type { EvalMetric, EvalScaffold, RecurrentEnv } from '../envs/types.js';
import { EnvPool } from '../rollout/group.js';
import type { PolicyClient, SamplingOptions } from '../rollout/types.js';
import { EffectiveSampling } from './effective-sampling.js';
import { headline, summariseSelfImprovement, type Headline, type SelfImprovementSummary } from './metrics.js';
import { accuracySvg, kStepSeries, markdownTable, plotTitle } from './report.js';
import { FirstCallGroups } from './first-call-groups.js';
import { fmt } from './format.js';
import { runGreedyChain } from './greedy-chain.js';
import { runSelfImprovementChain, type ChainStepRecord, type TruncationPolicy } from './self-improve.js';

/** What identifies an eval run; a resumed run must match it exactly. */
export interface EvalRunConfig {
  env: string;
  envOptions: Record<string, unknown>;
  split: string;
  model: string;
  steps: number;
  samples: number;
  seed: number;
  tasks: number;
  /** The sampling parameters sent with every call: only those the user set (the backend fills in the rest). */
  sampling: SamplingOptions;
  /** Scoring or retrying responses cut off at the token limit (`ChainOptions.truncation`). */
  truncation: TruncationPolicy;
  /** The headline metric (`EnvEntry.evalMetric`): accuracy, or the mean normalised score. */
  metric: EvalMetric;
  /** Quality at which an answer counts as correct (1 for binary domains). */
  correctAt: number;
  /** How a chain is run: the env's declared scaffold (`EnvEntry.evalScaffold`). */
  scaffold: EvalScaffold;
}

export interface EvalRunOptions {
  config: EvalRunConfig;
  taskIds: string[];
  client: PolicyClient;
  makeEnv: () => Promise<RecurrentEnv>;
  outputDir: string;
  resume: boolean;
  /** Chains in flight at once. */
  concurrency: number;
  /** Stop when this many records have failed (default 50). */
  maxFailures?: number;
  onProgress?: (doneSteps: number, totalSteps: number, status: string) => void;
}

export interface EvalRunResult {
  summary: SelfImprovementSummary;
  /** The headline metric per step and its Δ_K. */
  headline: Headline;
  /** Sampling configurations the backend reported applying (empty when it reports none). */
  effectiveSampling: Record<string, unknown>[];
  records: ChainStepRecord[];
  outputDir: string;
  /** Set when the run stopped early on a failure that would repeat (bad endpoint or key). */
  aborted?: string;
}

export const EVAL_FILES = { config: 'run.json', results: 'results.jsonl', summary: 'summary.json', table: 'table.md', plot: 'plot.svg' } as const;

/**
 * What a record of `results.jsonl` means, stamped into `run.json`. Bump it when the meaning of
 * `step` changes, so `--resume` never mixes records of two protocols (format 1 improved every turn
 * once per step; format 2 gives each turn k improve steps after the earlier turns' final answers;
 * format 3 asks the samples of a task their first question as one group, with one seed).
 */
export const EVAL_RECORD_FORMAT = 3;

/**
 * Runs (or resumes) a K-step self-improvement eval: every (task, sample) chain, records streamed
 * to `results.jsonl` one line per (task, sample, step), then `summary.json`, `table.md` and
 * `plot.svg`. A resumed run skips finished chains and continues unfinished ones from their last
 * good step; with the same seed it ends with the same summary as an uninterrupted run.
 */
export async function runEval(opts: EvalRunOptions): Promise<EvalRunResult> {
  const { config, outputDir } = opts;
  const resultsPath = join(outputDir, EVAL_FILES.results);
  const configPath = join(outputDir, EVAL_FILES.config);
  let previous: ChainStepRecord[] = [];
  if (existsSync(resultsPath) || existsSync(configPath)) {
    if (!opts.resume) {
      throw new ConfigError(`${outputDir} already holds an eval run; pass --resume to continue it, or choose another --output.`);
    }
    if (existsSync(configPath)) {
      const { format = 1, ...saved } = JSON.parse(await readFile(configPath, 'utf8')) as { format?: number };
      if (format !== EVAL_RECORD_FORMAT) {
        throw new ConfigError(`--resume: the run in ${outputDir} was written in record format ${format} by another exitgym version; this one writes format ${EVAL_RECORD_FORMAT}, and the two cannot be mixed. Rerun into another --output.`);
      }
      if (canonicalJson(saved) !== canonicalJson(config)) {
        throw new ConfigError(`--resume: the run in ${outputDir} was started with different settings (${canonicalJson(saved)}); now ${canonicalJson(config)}. Use the same flags, or another --output.`);
      }
    }
    if (existsSync(resultsPath)) previous = await readJsonLines<ChainStepRecord>(resultsPath);
  }
  await writeJsonAtomic(configPath, { ...config, format: EVAL_RECORD_FORMAT });

  const byChain = new Map<string, ChainStepRecord[]>();
  for (const r of previous) {
    const key = `${r.taskId}\u0000${r.sample}`;
    byChain.set(key, [...(byChain.get(key) ?? []), r]);
  }
  const good = (rs: ChainStepRecord[] | undefined): number => new Set((rs ?? []).filter((r) => r.quality !== null).map((r) => r.step)).size;
  const totalSteps = opts.taskIds.length * config.samples * (config.steps + 1);
  let doneSteps = 0;
  for (const rs of byChain.values()) doneSteps += Math.min(config.steps + 1, good(rs));

  const fresh: ChainStepRecord[] = [];
  let failures = 0;
  let aborted: string | undefined;
  const maxFailures = opts.maxFailures ?? 50;
  // Summarising every record costs O(records): redo it at most once a second, so a large run
  // (MATH500 × avg@8 × 17 steps = 68k records) does not spend its time on the progress line.
  let statusAt = -Infinity;
  let statusText = '';
  const status = (): string => {
    const now = Date.now();
    if (now - statusAt < 1000 && doneSteps < totalSteps) return statusText;
    statusAt = now;
    const s = summariseSelfImprovement(keep([...previous, ...fresh]), config.steps, { correctAt: config.correctAt });
    const first = s.steps[0]?.accuracy;
    const latest = [...s.steps].reverse().find((x) => x.n > 0);
    statusText = `acc@0 ${fmt(first)} acc@${latest?.step ?? 0} ${fmt(latest?.accuracy)}${failures ? ` failed ${failures}` : ''}`;
    return statusText;
  };
  opts.onProgress?.(doneSteps, totalSteps, status());

  const pool = new EnvPool(opts.makeEnv);
  const effective = new EffectiveSampling();
  const client = effective.wrap(opts.client);
  const runChain = config.scaffold === 'greedy' ? runGreedyChain : runSelfImprovementChain;
  const limit = pLimit(opts.concurrency);
  // The samples of a task share their first question: one request for all of them.
  const firstCalls = config.scaffold === 'self-improve' ? new FirstCallGroups(client, config.samples) : undefined;
  try {
    const jobs: Promise<void>[] = [];
    for (const taskId of opts.taskIds) {
      for (let sample = 0; sample < config.samples; sample++) {
        const prior = byChain.get(`${taskId}\u0000${sample}`);
        if (good(prior) >= config.steps + 1) continue;
        jobs.push(
          limit(async () => {
            if (aborted) return;
            await runChain({
              pool,
              client,
              truncation: config.truncation,
              taskId,
              sample,
              ...(firstCalls ? { firstCall: firstCalls.clientFor(taskId, sample) } : {}),
              steps: config.steps,
              seed: config.seed,
              sampling: config.sampling,
              ...(prior ? { resume: prior } : {}),
              onRecord: async (r) => {
                fresh.push(r);
                await appendJsonLine(resultsPath, r);
                if (r.quality === null) {
                  failures++;
                  if (r.fatal) aborted = r.error;
                  else if (failures >= maxFailures) aborted = `${failures} model calls failed (the last: ${r.error}); stopping. Fix the endpoint and rerun with --resume.`;
                } else {
                  doneSteps++;
                }
                opts.onProgress?.(doneSteps, totalSteps, status());
              },
            });
          }),
        );
      }
    }
    await Promise.all(jobs);
  } finally {
    await pool.close();
  }

  const records = keep([...previous, ...fresh]);
  const summary = summariseSelfImprovement(records, config.steps, { correctAt: config.correctAt });
  const head = headline(summary, config.metric);
  const effectiveSampling = effective.values();
  await writeJsonAtomic(join(outputDir, EVAL_FILES.summary), {
    config,
    headline: head,
    // What was sent, and what the backend says it applied (its generation config filled in).
    sampling: { requested: config.sampling, effective: effectiveSampling.length > 0 ? effectiveSampling : null },
    ...summary,
    ...(aborted ? { aborted } : {}),
  });
  const title = `${config.env} · ${config.split} · ${config.model}`;
  await writeFileAtomic(join(outputDir, EVAL_FILES.table), markdownTable(title, summary, config.metric));
  await writeFileAtomic(join(outputDir, EVAL_FILES.plot), await accuracySvg(plotTitle(head.label), [kStepSeries(config.split, head.values)], head.label, { metric: head.metric, subtitle: title }));
  return { summary, headline: head, effectiveSampling, records, outputDir, ...(aborted ? { aborted } : {}) };
}

/** The latest record per (task, sample, step): a resumed step replaces its failed attempt. */
function keep(records: ChainStepRecord[]): ChainStepRecord[] {
  const latest = new Map<string, ChainStepRecord>();
  for (const r of records) {
    const key = `${r.taskId}\u0000${r.sample}\u0000${r.step}`;
    const prev = latest.get(key);
    if (!prev || prev.quality === null || r.quality !== null) latest.set(key, r);
  }
  return [...latest.values()];
}

