/**
 * `exitgym compare`: the K-step curves of several eval runs (models, checkpoints, settings) in one
 * table and one plot. A run is an `exitgym eval` output folder: a single run (`summary.json`) or a
 * suite of splits/seeds (`suite.json`, whose pooled row — or only row — is compared), or an
 * `exitgym train` run folder, whose validation evals (`eval/<iteration>/`) are each one run.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { EvalMetric } from '../envs/types.js';
import { formatMeanStd } from './format.js';
import type { SeedAggregate } from './aggregate.js';
import { headline, headlineLabel, type Headline, type SelfImprovementSummary } from './metrics.js';
import type { LineSeries } from './charts.js';
import { accuracySvg, kStepSeries, markdownGrid, plotTitle } from './report.js';

/** One compared run: its label, metric and per-step values (mean ± std for a seed suite). */
export interface ComparedRun {
  label: string;
  dir: string;
  env: string;
  model: string;
  metric: EvalMetric;
  steps: number;
  mean: (number | null)[];
  std: (number | null)[];
  deltaK: { mean: number | null; std: number | null };
}

interface SummaryFile extends SelfImprovementSummary {
  config: { env: string; model: string; steps: number; metric?: EvalMetric };
  headline?: Headline;
}

interface SuiteFile {
  config: { env: string; model: string; steps: number; metric?: EvalMetric };
  rows: { label: string; aggregate: SeedAggregate }[];
}

/** Reads one run folder; throws `ConfigError` naming the folder when it holds no eval results. */
export async function loadComparedRun(dir: string): Promise<ComparedRun> {
  const suitePath = join(dir, 'suite.json');
  const summaryPath = join(dir, 'summary.json');
  if (existsSync(suitePath)) {
    const suite = JSON.parse(await readFile(suitePath, 'utf8')) as SuiteFile;
    const row = suite.rows.find((r) => r.label === 'pooled') ?? suite.rows[0];
    if (!row) throw new ConfigError(`${suitePath}: the suite has no rows (an aborted run?); rerun it with --resume, then compare.`);
    const metric = suite.config.metric ?? 'accuracy';
    return { label: basename(resolve(dir)), dir, env: suite.config.env, model: suite.config.model, metric, steps: suite.config.steps, mean: row.aggregate.mean, std: row.aggregate.std, deltaK: row.aggregate.deltaK };
  }
  if (!existsSync(summaryPath)) throw new ConfigError(`${dir}: no summary.json or suite.json (nor eval/<iteration>/ validations); pass folders written by \`exitgym eval --output DIR\` or \`exitgym train\` run folders with validation.`);
  const s = JSON.parse(await readFile(summaryPath, 'utf8')) as SummaryFile;
  const metric = s.config.metric ?? 'accuracy';
  // Summaries written before the headline existed: derive it from the per-step rows.
  const h = s.headline ?? headline({ ...s, deltaKQuality: s.deltaKQuality ?? null }, metric);
  return { label: basename(resolve(dir)), dir, env: s.config.env, model: s.config.model, metric, steps: s.config.steps, mean: h.values, std: h.values.map(() => null), deltaK: { mean: h.deltaK, std: null } };
}

/**
 * The validation evals of an `exitgym train` run folder (`RUN_DIR/eval/<iteration>/`), in
 * iteration order and labelled `<run>@<iteration>`; an empty list when `dir` is not one.
 */
export async function trainingValidations(dir: string): Promise<ComparedRun[]> {
  const evalDir = join(dir, 'eval');
  if (existsSync(join(dir, 'summary.json')) || existsSync(join(dir, 'suite.json')) || !existsSync(evalDir)) return [];
  const iterations = (await readdir(evalDir))
    .filter((n) => /^\d+$/.test(n) && existsSync(join(evalDir, n, 'summary.json')))
    .map(Number)
    .sort((a, b) => a - b);
  const name = basename(resolve(dir));
  return Promise.all(
    iterations.map(async (it) => {
      const run = await loadComparedRun(join(evalDir, String(it)));
      return { ...run, label: `${name}@${it}` };
    }),
  );
}

async function loadRunOrTraining(dir: string): Promise<ComparedRun[]> {
  const validations = await trainingValidations(dir);
  return validations.length > 0 ? validations : [await loadComparedRun(dir)];
}

/**
 * Loads the runs and checks they can share one axis: the same headline metric (accuracy and
 * normalised score are different quantities). Labels are the folder names, made unique.
 */
export async function loadComparison(dirs: readonly string[]): Promise<ComparedRun[]> {
  if (dirs.length === 0) throw new ConfigError('compare: no run folders given; pass two or more `exitgym eval` output folders.');
  const runs = (await Promise.all(dirs.map(loadRunOrTraining))).flat();
  const metrics = new Set(runs.map((r) => r.metric));
  if (metrics.size > 1) {
    throw new ConfigError(`compare: the runs report different metrics (${runs.map((r) => `${r.dir}: ${r.metric}`).join(', ')}); compare runs of the same domain.`);
  }
  const used = new Map<string, number>();
  for (const r of runs) {
    const n = used.get(r.label) ?? 0;
    used.set(r.label, n + 1);
    if (n > 0) r.label = `${r.label} (${n + 1})`;
  }
  return runs;
}

/** One row per run: model, value at 0 and at each run's K, Δ_K. */
export function comparisonTable(runs: readonly ComparedRun[]): string {
  const percent = runs[0]?.metric !== 'score';
  const head = ['run', 'env', 'model', 'K', 'step 0', 'step K', 'Δ_K'];
  return [
    ...markdownGrid(
      head,
      runs.map((r) => [r.label, r.env, r.model, String(r.steps), formatMeanStd(r.mean[0] ?? null, r.std[0] ?? null, percent), formatMeanStd(r.mean[r.steps] ?? null, r.std[r.steps] ?? null, percent), formatMeanStd(r.deltaK.mean, r.deltaK.std, percent)]),
    ),
    '',
  ].join('\n');
}

/** The overlay plot's series: one curve per run, shaded mean ± std where a seed suite gives a std. */
export function comparisonSeries(runs: readonly ComparedRun[]): LineSeries[] {
  return runs.map((r) => kStepSeries(r.label, r.mean, r.std));
}

/** The overlay plot as standalone SVG. */
export async function comparisonSvg(runs: readonly ComparedRun[]): Promise<string> {
  const metric = runs[0]?.metric ?? 'accuracy';
  const label = headlineLabel(metric);
  return accuracySvg(plotTitle(label), comparisonSeries(runs), label, { metric, subtitle: `K-step curves of ${runs.length} eval run${runs.length === 1 ? '' : 's'}` });
}
