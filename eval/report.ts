/** Human-readable outputs of `exitgym eval`: a Markdown table and an SVG plot. */
import { compareChart, drawablePoints, messageChart, renderSvg, type KStepChartOptions, type LineSeries } from './charts.js';
import type { SelfImprovementSummary } from './metrics.js';

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);

/** The per-step table: accuracy, change since step 0, corrections, counts. */
export function markdownTable(title: string, s: SelfImprovementSummary): string {
  const hasMedals = s.steps.some((x) => x.medalRate !== undefined);
  const hasFirst = s.steps.some((x) => x.firstTurnAccuracy !== undefined);
  const head = ['step', 'accuracy', 'mean quality', 'Δ vs step 0', 'wrong→right', 'right→wrong', 'net', 'n', 'failed'];
  if (hasMedals) head.push('medal rate');
  if (hasFirst) head.push('first-turn acc.');
  const a0 = s.steps[0]?.accuracy ?? null;
  const rows = s.steps.map((x) => {
    const delta = x.accuracy !== null && a0 !== null ? `${x.accuracy - a0 >= 0 ? '+' : ''}${(100 * (x.accuracy - a0)).toFixed(1)}` : '–';
    const row = [String(x.step), pct(x.accuracy), x.meanQuality === null ? '–' : x.meanQuality.toFixed(3), delta, String(x.wrongToRight), String(x.rightToWrong), String(x.netCorrections), String(x.n), String(x.failed)];
    if (hasMedals) row.push(pct(x.medalRate));
    if (hasFirst) row.push(pct(x.firstTurnAccuracy));
    return row;
  });
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    `### ${title}`,
    '',
    line(head),
    line(head.map(() => '---')),
    ...rows.map(line),
    '',
    `Δ_K = ${s.deltaK === null ? '–' : `${s.deltaK >= 0 ? '+' : ''}${(100 * s.deltaK).toFixed(1)} points`} · chains ${s.chains} (complete ${s.completeChains}) · failed records ${s.failedRecords}`,
    '',
  ].join('\n');
}

/**
 * The plot of an eval run: accuracy after each self-improvement step, one line per series (the
 * K-step chart of `eval/charts.ts`, Vega-Lite rendered to standalone SVG). With no accuracy to
 * draw (every record failed) the frame says so instead of showing empty axes.
 */
export async function accuracySvg(series: LineSeries[], opts: KStepChartOptions = {}): Promise<string> {
  const spec = drawablePoints(series) > 0
    ? compareChart(series, opts)
    : messageChart(opts.title ?? 'Accuracy vs self-improvement step', 'No accuracy: no record succeeded.', opts.subtitle ? { subtitle: opts.subtitle } : {});
  return `${await renderSvg(spec)}\n`;
}
