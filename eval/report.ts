/** Human-readable outputs of `exitgym eval`: a Markdown table and an SVG plot. */
import type { EvalMetric } from '../envs/types.js';
import { compareChart, drawablePoints, messageChart, renderSvg, type LineSeries } from './charts.js';
import { fmt, formatDelta } from './format.js';
import { headline, type SelfImprovementSummary } from './metrics.js';

/** The per-step table: accuracy, change since step 0, corrections, counts. */
export function markdownTable(title: string, s: SelfImprovementSummary, metric: EvalMetric = 'accuracy'): string {
  const hasMedals = s.steps.some((x) => x.medalRate !== undefined);
  const hasFirst = s.steps.some((x) => x.firstTurnAccuracy !== undefined);
  const hasTruncated = s.steps.some((x) => x.truncated > 0);
  const h = headline(s, metric);
  // The headline metric first, then its change since step 0 (points for accuracy, score units otherwise).
  const head =
    metric === 'score'
      ? ['step', 'mean normalised score', 'Δ vs step 0', 'accuracy', 'wrong→right', 'right→wrong', 'net', 'n', 'failed']
      : ['step', 'accuracy', 'mean quality', 'Δ vs step 0', 'wrong→right', 'right→wrong', 'net', 'n', 'failed'];
  if (hasMedals) head.push('medal rate');
  if (hasFirst) head.push('first-turn acc.');
  if (hasTruncated) head.push('truncated');
  const v0 = h.values[0] ?? null;
  const rows = s.steps.map((x, k) => {
    const v = h.values[k] ?? null;
    const d = v !== null && v0 !== null ? v - v0 : null;
    const delta = fmt(d, metric === 'score' ? 'signedScore' : 'signedPoints');
    const quality = fmt(x.meanQuality, 'score');
    const counts = [String(x.wrongToRight), String(x.rightToWrong), String(x.netCorrections), String(x.n), String(x.failed)];
    const row = metric === 'score' ? [String(x.step), quality, delta, fmt(x.accuracy), ...counts] : [String(x.step), fmt(x.accuracy), quality, delta, ...counts];
    if (hasMedals) row.push(fmt(x.medalRate));
    if (hasFirst) row.push(fmt(x.firstTurnAccuracy));
    if (hasTruncated) row.push(String(x.truncated));
    return row;
  });
  return [
    `### ${title}`,
    '',
    ...markdownGrid(head, rows),
    '',
    `Δ_K (${h.label}) = ${formatDelta(h.deltaK, metric)} · chains ${s.chains} (complete ${s.completeChains}) · failed records ${s.failedRecords}`,
    '',
  ].join('\n');
}

/** The lines of a Markdown table: header, separator, one line per row. */
export function markdownGrid(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)];
}

/**
 * One line of a K-step plot from per-step values (null = no value at that step), shaded
 * mean ± std where `std` has values (a suite of seeds).
 */
export function kStepSeries(label: string, mean: readonly (number | null)[], std: readonly (number | null)[] = []): LineSeries {
  const points = mean.flatMap((v, k) => (v === null ? [] : [[k, v] as const]));
  const band = mean.flatMap((v, k) => {
    const sd = std[k];
    return v === null || sd === null || sd === undefined ? [] : [[k, v - sd, v + sd] as const];
  });
  return band.length ? { label, points, band } : { label, points };
}

/** A plot title from a headline label: "Accuracy at each step k". */
export function plotTitle(label: string): string {
  return `${label.charAt(0).toUpperCase()}${label.slice(1)} at each step k`;
}

/**
 * The plot of an eval (or a suite, or a comparison): the headline metric after each
 * self-improvement step, one line per series (with its band, e.g. mean ± std over seeds), as standalone SVG (the K-step chart of
 * `eval/charts.ts`: Vega-Lite rendered by Vega). Accuracies are shown as percentages, scores as
 * numbers. With nothing to draw (every record failed) the frame says so instead of empty axes.
 */
export async function accuracySvg(title: string, series: readonly LineSeries[], yLabel = 'accuracy', opts: { metric?: EvalMetric; subtitle?: string } = {}): Promise<string> {
  const percent = (opts.metric ?? 'accuracy') === 'accuracy';
  const spec = drawablePoints(series) > 0
    ? compareChart(series, { title, yTitle: percent ? `${yLabel} (% of tasks)` : yLabel, percent, ...(opts.subtitle ? { subtitle: opts.subtitle } : {}) })
    : messageChart(title, 'No value: no record succeeded.', opts.subtitle ? { subtitle: opts.subtitle } : {});
  return `${await renderSvg(spec)}\n`;
}
