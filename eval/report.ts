/** Human-readable outputs of `exitgym eval`: a Markdown table and an SVG plot (pure). */
import type { EvalMetric } from '../envs/types.js';
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
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    `### ${title}`,
    '',
    line(head),
    line(head.map(() => '---')),
    ...rows.map(line),
    '',
    `Δ_K (${h.label}) = ${formatDelta(h.deltaK, metric)} · chains ${s.chains} (complete ${s.completeChains}) · failed records ${s.failedRecords}`,
    '',
  ].join('\n');
}

export interface Series {
  label: string;
  /** [step, value in [0, 1]] */
  points: [number, number][];
}

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A line chart of accuracy vs self-improvement step, one line per series, as standalone SVG. */
export function accuracySvg(title: string, series: Series[], yLabel = 'accuracy'): string {
  const W = 640;
  const H = 400;
  const m = { l: 60, r: 150, t: 40, b: 50 };
  const maxStep = Math.max(1, ...series.flatMap((s) => s.points.map(([x]) => x)));
  const values = series.flatMap((s) => s.points.map(([, y]) => y));
  const yMax = Math.min(1, Math.max(0.1, Math.ceil((Math.max(0, ...values) + 0.05) * 10) / 10));
  const x = (v: number): number => m.l + ((W - m.l - m.r) * v) / maxStep;
  const y = (v: number): number => H - m.b - ((H - m.t - m.b) * v) / yMax;
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - m.r / 2 + m.l / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const v = (yMax * i) / 5;
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${(100 * v).toFixed(0)}%</text>`);
  }
  const tickEvery = Math.max(1, Math.ceil(maxStep / 16));
  for (let s = 0; s <= maxStep; s += tickEvery) out.push(`<text x="${x(s)}" y="${H - m.b + 18}" text-anchor="middle">${s}</text>`);
  out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="black"/>`);
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="black"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">self-improvement step k</text>`);
  out.push(`<text x="16" y="${(m.t + H - m.b) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(m.t + H - m.b) / 2})">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const c = colors[i % colors.length] as string;
    const pts = s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"/>`);
    for (const [a, b] of s.points) out.push(`<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3" fill="${c}"><title>${esc(s.label)} step ${a}: ${fmt(b)}</title></circle>`);
    out.push(`<line x1="${W - m.r + 12}" x2="${W - m.r + 32}" y1="${m.t + 10 + 18 * i}" y2="${m.t + 10 + 18 * i}" stroke="${c}" stroke-width="2"/>`);
    out.push(`<text x="${W - m.r + 38}" y="${m.t + 14 + 18 * i}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
