/**
 * Several K-step evals as one: the splits of a domain (pooled into one row, the paper's
 * "Math – All") and repeated seeds (mean ± std per step, as the paper reports over runs).
 * Each (split, seed) is an ordinary `runEval` run in its own folder, so each resumes on its own;
 * the suite adds `suite.json`, `table.md` and `plot.svg` at the top.
 */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic-write.js';
import { ConfigError } from '../core/errors.js';
import type { EvalMetric, RecurrentEnv } from '../envs/types.js';
import { aggregateSeeds, type SeedAggregate } from './aggregate.js';
import { formatMeanStd } from './format.js';
import { headline, summariseSelfImprovement, type Headline } from './metrics.js';
import { accuracySvg, kStepSeries, markdownGrid, plotTitle } from './report.js';
import { runEval, type EvalRunConfig, type EvalRunResult } from './run.js';
import type { PolicyClient } from '../rollout/types.js';

/** One split of the suite: its env options and the task ids to run. */
export interface SuiteSplit {
  split: string;
  envOptions: Record<string, unknown>;
  taskIds: string[];
}

export interface EvalSuiteOptions {
  /** Everything but the split, its options, the task count and the seed. */
  config: Omit<EvalRunConfig, 'split' | 'envOptions' | 'tasks' | 'seed'>;
  splits: SuiteSplit[];
  /** One run per seed (`--seeds N` gives seed, seed + 1, …). */
  seeds: number[];
  client: PolicyClient;
  makeEnv: (envOptions: Record<string, unknown>) => Promise<RecurrentEnv>;
  outputDir: string;
  resume: boolean;
  concurrency: number;
  onProgress?: (doneSteps: number, totalSteps: number, status: string) => void;
}

export interface SuiteRun {
  split: string;
  seed: number;
  dir: string;
  result: EvalRunResult;
}

/** A row of the suite table: one split, or `pooled` (every task of every split, each counted once). */
export interface SuiteRow {
  label: string;
  aggregate: SeedAggregate;
}

export interface EvalSuiteResult {
  runs: SuiteRun[];
  rows: SuiteRow[];
  /** Set when a run stopped early (the first such reason). */
  aborted?: string;
}

/** Where one (split, seed) run goes: the output folder itself when the suite is a single run. */
export function runDir(outputDir: string, split: string, seed: number, splits: number, seeds: number): string {
  const parts = [outputDir];
  if (splits > 1) parts.push(split.replace(/[^\w.-]+/g, '_'));
  if (seeds > 1) parts.push(`seed-${seed}`);
  return join(...parts);
}

/**
 * Runs every (split, seed), then pools and aggregates. With one split and one seed this is
 * exactly `runEval` into `outputDir`, and no suite files are written.
 */
export async function runEvalSuite(opts: EvalSuiteOptions): Promise<EvalSuiteResult> {
  if (opts.splits.length === 0) throw new ConfigError('runEvalSuite: no splits given; pass at least one split with its task ids.');
  if (opts.seeds.length === 0) throw new ConfigError('runEvalSuite: no seeds given; pass at least one seed.');
  const seen = new Set<string>();
  for (const s of opts.splits) {
    if (seen.has(s.split)) throw new ConfigError(`runEvalSuite: split "${s.split}" is listed twice; list each split once.`);
    seen.add(s.split);
  }
  const perRun = (s: SuiteSplit): number => s.taskIds.length * opts.config.samples * (opts.config.steps + 1);
  const total = opts.seeds.length * opts.splits.reduce((a, s) => a + perRun(s), 0);
  const runs: SuiteRun[] = [];
  let offset = 0;
  let aborted: string | undefined;
  for (const seed of opts.seeds) {
    for (const s of opts.splits) {
      const dir = runDir(opts.outputDir, s.split, seed, opts.splits.length, opts.seeds.length);
      const prefix = opts.splits.length > 1 || opts.seeds.length > 1 ? `${s.split}${opts.seeds.length > 1 ? ` seed ${seed}` : ''}: ` : '';
      const base = offset;
      const result = await runEval({
        config: { ...opts.config, split: s.split, envOptions: s.envOptions, tasks: s.taskIds.length, seed },
        taskIds: s.taskIds,
        client: opts.client,
        makeEnv: () => opts.makeEnv(s.envOptions),
        outputDir: dir,
        resume: opts.resume,
        concurrency: opts.concurrency,
        ...(opts.onProgress ? { onProgress: (done: number, _t: number, status: string) => opts.onProgress?.(base + done, total, prefix + status) } : {}),
      });
      offset += perRun(s);
      runs.push({ split: s.split, seed, dir, result });
      if (result.aborted) {
        aborted = result.aborted;
        return { runs, rows: [], aborted };
      }
    }
  }
  const rows = suiteRows(runs, opts.config.steps, opts.config.metric, opts.config.correctAt);
  if (opts.splits.length > 1 || opts.seeds.length > 1) await writeSuiteFiles(opts, runs, rows);
  return { runs, rows };
}

/**
 * One row per split and, with several splits, a pooled row: per seed, the records of all splits
 * summarised together (so a split counts by its number of chains), then mean ± std over seeds.
 */
export function suiteRows(runs: readonly SuiteRun[], steps: number, metric: EvalMetric, correctAt: number): SuiteRow[] {
  const splits = [...new Set(runs.map((r) => r.split))];
  const seeds = [...new Set(runs.map((r) => r.seed))];
  const rows: SuiteRow[] = splits.map((split) => ({
    label: split,
    aggregate: aggregateSeeds(runs.filter((r) => r.split === split).map((r) => r.result.headline)),
  }));
  if (splits.length > 1) {
    const pooled: Headline[] = seeds.map((seed) => {
      // Task ids carry their split (`math500/0`), but prefix them anyway: two splits may reuse ids.
      const records = runs.filter((r) => r.seed === seed).flatMap((r) => r.result.records.map((x) => ({ ...x, taskId: `${r.split}\u0000${x.taskId}` })));
      return headline(summariseSelfImprovement(records, steps, { correctAt }), metric);
    });
    rows.push({ label: 'pooled', aggregate: aggregateSeeds(pooled) });
  }
  return rows;
}

/** The suite table: value at step 0, at step K and Δ_K per row, mean ± std over seeds. */
export function suiteTable(title: string, rows: readonly SuiteRow[], steps: number, metric: EvalMetric): string {
  const percent = metric === 'accuracy';
  const label = rows[0]?.aggregate.label ?? metric;
  const runs = rows[0]?.aggregate.runs ?? 0;
  const head = ['split', `${label} @0`, `${label} @${steps}`, 'Δ_K'];
  return [
    `### ${title}`,
    '',
    ...markdownGrid(
      head,
      rows.map((r) => [
        r.label,
        formatMeanStd(r.aggregate.mean[0] ?? null, r.aggregate.std[0] ?? null, percent),
        formatMeanStd(r.aggregate.mean[steps] ?? null, r.aggregate.std[steps] ?? null, percent),
        formatMeanStd(r.aggregate.deltaK.mean, r.aggregate.deltaK.std, percent),
      ]),
    ),
    '',
    runs > 1 ? `mean ± std over ${runs} seeds (sample std)` : '',
    '',
  ].join('\n');
}

async function writeSuiteFiles(opts: EvalSuiteOptions, runs: readonly SuiteRun[], rows: readonly SuiteRow[]): Promise<void> {
  const { config } = opts;
  await writeJsonAtomic(join(opts.outputDir, 'suite.json'), {
    config,
    splits: opts.splits.map((s) => ({ split: s.split, envOptions: s.envOptions, tasks: s.taskIds.length })),
    seeds: opts.seeds,
    runs: runs.map((r) => ({ split: r.split, seed: r.seed, dir: r.dir, headline: r.result.headline })),
    rows,
  });
  const title = `${config.env} · ${config.model} · ${opts.splits.map((s) => s.split).join(', ')}`;
  await writeFileAtomic(join(opts.outputDir, 'table.md'), suiteTable(title, rows, config.steps, config.metric));
  const series = rows.map((r) => kStepSeries(r.label, r.aggregate.mean, r.aggregate.std));
  const label = rows[0]?.aggregate.label ?? config.metric;
  await writeFileAtomic(join(opts.outputDir, 'plot.svg'), await accuracySvg(plotTitle(label), series, label, { metric: config.metric, subtitle: title }));
}
