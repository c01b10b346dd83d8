/**
 * How eval numbers read, in the CLI, the tables and the progress line: one home, so a share is
 * always `41.2%`, a score always `0.412`, and a missing value always `–`.
 */
import type { EvalMetric } from '../envs/types.js';

/**
 * `percent` 41.2% (a share) · `points` 41.2 (a share in percentage points) · `signedPoints` +41.2 ·
 * `score` 0.412 · `signedScore` +0.412.
 */
export type NumberStyle = 'percent' | 'points' | 'signedPoints' | 'score' | 'signedScore';

/**
 * A number in one of the styles, with `digits` decimals (default 1 for percentages and points,
 * 3 for scores); null, undefined and non-finite values read `–`.
 */
export function fmt(v: number | null | undefined, style: NumberStyle = 'percent', digits?: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const sign = v >= 0 ? '+' : '';
  const share = (): string => (100 * v).toFixed(digits ?? 1);
  const score = (): string => v.toFixed(digits ?? 3);
  switch (style) {
    case 'percent':
      return `${share()}%`;
    case 'points':
      return share();
    case 'signedPoints':
      return `${sign}${share()}`;
    case 'score':
      return score();
    case 'signedScore':
      return `${sign}${score()}`;
  }
}

/** Δ_K as people read it: points for accuracy, score units for the normalised score. */
export function formatDelta(d: number | null, metric: EvalMetric): string {
  if (d === null) return '–';
  return metric === 'score' ? fmt(d, 'signedScore') : `${fmt(d, 'signedPoints')} points`;
}

/** `0.412 ± 0.021`, or `41.2% ± 2.1` for accuracy-like metrics in [0, 1] when `percent`. */
export function formatMeanStd(mean: number | null, std: number | null, percent: boolean): string {
  if (mean === null) return '–';
  const shown = fmt(mean, percent ? 'percent' : 'score');
  return std === null ? shown : `${shown} ± ${fmt(std, percent ? 'points' : 'score')}`;
}
