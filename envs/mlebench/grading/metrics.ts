/**
 * The metrics of the six competitions, as pure functions on number arrays. They follow
 * scikit-learn's definitions (SPEC.md §3) so scores match `mlebench grade`; callers validate
 * inputs first (finite numbers, equal lengths), these only guard against misuse.
 */

/** float64 machine epsilon: scikit-learn's log-loss clipping bound. */
export const FLOAT64_EPS = 2.220446049250313e-16;

/** Thrown when a metric is undefined for its input (e.g. one class only); graders map it to `metric_error`. */
export class MetricError extends Error {}

/**
 * Binary ROC AUC with ties handled as scikit-learn does (a tied positive/negative pair counts
 * one half): the Mann–Whitney statistic with average ranks, which equals the trapezoidal area
 * under scikit-learn's ROC curve.
 *
 * @example rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 * @example rocAuc([0, 1], [0.5, 0.5])                  // 0.5
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new MetricError(`rocAuc: ${n} labels but ${scores.length} scores`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    if (y !== 0 && y !== 1) throw new MetricError(`rocAuc: labels must be 0 or 1; got ${y}`);
    positives += y;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new MetricError('Only one class present in y_true. ROC AUC score is not defined in that case.');
  }
  // Native typed-array sorts of each class, then one merge walk: for each positive, count the
  // negatives below it plus half of those tied with it (the Mann–Whitney U statistic).
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (labels[i] === 1) pos[p++] = scores[i] as number;
    else neg[q++] = scores[i] as number;
  }
  pos.sort();
  neg.sort();
  let u = 0;
  let below = 0;
  let i = 0;
  while (i < positives) {
    const s = pos[i] as number;
    while (below < negatives && (neg[below] as number) < s) below++;
    let tied = 0;
    while (below + tied < negatives && neg[below + tied] === s) tied++;
    let run = 0;
    while (i + run < positives && pos[i + run] === s) run++;
    u += run * (below + tied / 2);
    i += run;
  }
  return u / (positives * negatives);
}

/**
 * Multi-class log loss (natural log) of a probability matrix against one-hot answers: each
 * probability is clipped to [ε, 1 − ε] (ε = float64 epsilon) and each row renormalised to sum
 * 1, as scikit-learn 1.2–1.4 do. `truth` and `probs` are row-major n × k.
 *
 * @example multiclassLogLoss([1, 0, 0, 1], [0.5, 0.5, 0.25, 0.75], 2) // (ln 2 + ln 4/3) / 2
 */
export function multiclassLogLoss(truth: ArrayLike<number>, probs: ArrayLike<number>, classes: number): number {
  if (truth.length !== probs.length || truth.length % classes !== 0) {
    throw new MetricError(`multiclassLogLoss: shapes differ (${truth.length} vs ${probs.length} values for ${classes} classes)`);
  }
  const n = truth.length / classes;
  if (n === 0) throw new MetricError('multiclassLogLoss: no rows');
  let total = 0;
  const row = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      const p = Math.min(1 - FLOAT64_EPS, Math.max(FLOAT64_EPS, probs[i * classes + j] as number));
      row[j] = p;
      sum += p;
    }
    for (let j = 0; j < classes; j++) {
      const y = truth[i * classes + j] as number;
      if (y !== 0) total -= y * Math.log((row[j] as number) / sum);
    }
  }
  return total / n;
}

/**
 * Root mean squared logarithmic error of one column: sqrt(mean((ln(1+p) − ln(1+a))²)).
 * Predictions must be ≥ 0 (validated by the grader, SPEC.md §3.4).
 *
 * @example rmsle([0, Math.E - 1], [0, 0]) // sqrt(1/2)
 */
export function rmsle(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = actual.length;
  if (predicted.length !== n || n === 0) throw new MetricError(`rmsle: needs equal non-empty columns; got ${n} and ${predicted.length}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.log1p(predicted[i] as number) - Math.log1p(actual[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum / n);
}

/**
 * Rounds like MLE-bench's grader (Python `round(score, 5)`); -0 becomes 0. `toFixed` rounds the
 * exact binary value, as Python does, where `Math.round(x * 1e5)` would add the product's error.
 */
export function roundScore(score: number, decimals = 5): number {
  return Number(score.toFixed(decimals)) + 0;
}
