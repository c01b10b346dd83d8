/**
 * K-step self-improvement metrics (pure). A chain is one (task, sample): its step-0 answer and
 * K improve steps. Failed steps (infrastructure) have `quality: null` and are left out of every
 * rate, never counted as wrong.
 */
import type { EvalMetric } from '../envs/types.js';

/** One step of one chain, as the metrics need it. */
export interface OutcomeRecord {
  taskId: string;
  sample: number;
  step: number;
  /** Normalised quality in [0, 1]; null when the step failed for infrastructure reasons. */
  quality: number | null;
  /** MLE-bench: whether the (best-so-far) solution earned a medal. */
  medal?: boolean;
  /** BFCL: whether the first user turn was solved. */
  firstTurnCorrect?: boolean;
  /** Model calls of this step's episode that were cut off at the token limit (scored as they were). */
  truncated?: number;
}

export interface StepSummary {
  step: number;
  /** Chains with a scored record at this step. */
  n: number;
  /** Records at this step that failed (infrastructure). */
  failed: number;
  /** Fraction correct (quality counts as correct at ≥ the threshold). */
  accuracy: number | null;
  /** Mean episode quality: BFCL's all-turn return, MLE-bench's mean normalised score. */
  meanQuality: number | null;
  /** Among chains scored at steps k−1 and k: answers fixed, broken, and fixed − broken. */
  wrongToRight: number;
  rightToWrong: number;
  netCorrections: number;
  /** MLE-bench: share of scored chains whose best solution has a medal. */
  medalRate?: number | null;
  /** BFCL: share of scored chains that solved the first user request. */
  firstTurnAccuracy?: number | null;
  /** Model calls cut off at the token limit among this step's scored records. */
  truncated: number;
}

export interface SelfImprovementSummary {
  steps: StepSummary[];
  /** accuracy(K) − accuracy(0), over the chains scored at both. */
  deltaK: number | null;
  /**
   * meanQuality(K) − meanQuality(0), over the chains scored at both: the Δ_K of graded domains
   * (MLE-bench's normalised score), where accuracy (quality ≥ 1) barely moves.
   */
  deltaKQuality: number | null;
  chains: number;
  /** Chains scored at every step 0..K. */
  completeChains: number;
  failedRecords: number;
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Accuracy after each step k = 0..K, Δ_K and net corrections per step.
 *
 * @example
 * summariseSelfImprovement([
 *   { taskId: 'a', sample: 0, step: 0, quality: 0 }, { taskId: 'a', sample: 0, step: 1, quality: 1 },
 * ], 1).deltaK // 1
 */
export function summariseSelfImprovement(records: OutcomeRecord[], steps: number, opts: { correctAt?: number } = {}): SelfImprovementSummary {
  const threshold = opts.correctAt ?? 1;
  const correct = (q: number): boolean => q >= threshold - 1e-9;
  const chains = new Map<string, Map<number, OutcomeRecord>>();
  for (const r of records) {
    const key = `${r.taskId}\u0000${r.sample}`;
    let chain = chains.get(key);
    if (!chain) chains.set(key, (chain = new Map()));
    chain.set(r.step, r);
  }
  const out: StepSummary[] = [];
  let failedRecords = 0;
  for (let k = 0; k <= steps; k++) {
    const scored: OutcomeRecord[] = [];
    let failed = 0;
    let w2r = 0;
    let r2w = 0;
    for (const chain of chains.values()) {
      const r = chain.get(k);
      if (!r) continue;
      if (r.quality === null) {
        failed++;
        continue;
      }
      scored.push(r);
      const prev = chain.get(k - 1);
      if (k > 0 && prev && prev.quality !== null) {
        if (!correct(prev.quality) && correct(r.quality)) w2r++;
        if (correct(prev.quality) && !correct(r.quality)) r2w++;
      }
    }
    failedRecords += failed;
    const qualities = scored.map((r) => r.quality as number);
    const summary: StepSummary = {
      step: k,
      n: scored.length,
      failed,
      accuracy: mean(qualities.map((q) => (correct(q) ? 1 : 0))),
      meanQuality: mean(qualities),
      wrongToRight: w2r,
      rightToWrong: r2w,
      netCorrections: w2r - r2w,
      truncated: scored.reduce((a, r) => a + (r.truncated ?? 0), 0),
    };
    const medals = scored.filter((r) => r.medal !== undefined);
    if (medals.length > 0) summary.medalRate = mean(medals.map((r) => (r.medal ? 1 : 0)));
    const first = scored.filter((r) => r.firstTurnCorrect !== undefined);
    if (first.length > 0) summary.firstTurnAccuracy = mean(first.map((r) => (r.firstTurnCorrect ? 1 : 0)));
    out.push(summary);
  }
  let both = 0;
  let diff = 0;
  let diffQuality = 0;
  let complete = 0;
  for (const chain of chains.values()) {
    const first = chain.get(0);
    const last = chain.get(steps);
    if (first && last && first.quality !== null && last.quality !== null) {
      both++;
      diff += (correct(last.quality) ? 1 : 0) - (correct(first.quality) ? 1 : 0);
      diffQuality += last.quality - first.quality;
    }
    let all = true;
    for (let k = 0; k <= steps; k++) if (chain.get(k)?.quality == null) all = false;
    if (all) complete++;
  }
  return {
    steps: out,
    deltaK: both === 0 ? null : diff / both,
    deltaKQuality: both === 0 ? null : diffQuality / both,
    chains: chains.size,
    completeChains: complete,
    failedRecords,
  };
}


/** The headline value per step and its Δ_K. */
export interface Headline {
  metric: EvalMetric;
  /** Axis and column label. */
  label: string;
  values: (number | null)[];
  deltaK: number | null;
}

/** The headline metric's axis and column label. */
export function headlineLabel(metric: EvalMetric): string {
  return metric === 'score' ? 'mean normalised score' : 'accuracy';
}

/** Picks the headline metric out of a summary. */
export function headline(summary: SelfImprovementSummary, metric: EvalMetric): Headline {
  const label = headlineLabel(metric);
  return metric === 'score'
    ? { metric, label, values: summary.steps.map((s) => s.meanQuality), deltaK: summary.deltaKQuality }
    : { metric, label, values: summary.steps.map((s) => s.accuracy), deltaK: summary.deltaK };
}
