/**
 * Repeated and pooled K-step results (pure): mean ± std of the headline metric per step over
 * repeated runs (`exitgym eval --seeds N`), as the paper reports results over training runs.
 */
import type { Headline } from './metrics.js';

/** Mean and sample standard deviation (n − 1) per step; std is null with fewer than two values. */
export interface SeedAggregate {
  label: string;
  runs: number;
  mean: (number | null)[];
  std: (number | null)[];
  /** Mean ± std of the runs' Δ_K. */
  deltaK: { mean: number | null; std: number | null };
}

function meanStd(xs: number[]): { mean: number | null; std: number | null } {
  if (xs.length === 0) return { mean: null, std: null };
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean: m, std: null };
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return { mean: m, std: Math.sqrt(v) };
}

/**
 * Aggregates the headlines of repeated runs (same metric, same K).
 *
 * @example
 * aggregateSeeds([{ metric: 'accuracy', label: 'accuracy', values: [0.2, 0.4], deltaK: 0.2 },
 *                 { metric: 'accuracy', label: 'accuracy', values: [0.4, 0.4], deltaK: 0 }]).mean // [0.3, 0.4]
 */
export function aggregateSeeds(runs: readonly Headline[]): SeedAggregate {
  const first = runs[0];
  if (!first) return { label: '', runs: 0, mean: [], std: [], deltaK: { mean: null, std: null } };
  const steps = Math.max(...runs.map((r) => r.values.length));
  const mean: (number | null)[] = [];
  const std: (number | null)[] = [];
  for (let k = 0; k < steps; k++) {
    const xs = runs.map((r) => r.values[k]).filter((v): v is number => typeof v === 'number');
    const ms = meanStd(xs);
    mean.push(ms.mean);
    std.push(ms.std);
  }
  const deltas = runs.map((r) => r.deltaK).filter((v): v is number => typeof v === 'number');
  return { label: first.label, runs: runs.length, mean, std, deltaK: meanStd(deltas) };
}

