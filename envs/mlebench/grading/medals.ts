/** Medal flags from leaderboard thresholds (SPEC.md §2.3). Pure. */
import type { MedalThresholds } from '../../../datasets/mlebench/competitions.js';

export type Medal = 'gold' | 'silver' | 'bronze';

export interface MedalFlags {
  medal: Medal | null;
  goldMedal: boolean;
  silverMedal: boolean;
  bronzeMedal: boolean;
  anyMedal: boolean;
  /** Strictly better than the leaderboard median. */
  aboveMedian: boolean;
}

/**
 * The medal a score earns: gold if at least as good as the gold threshold, else silver, else
 * bronze (mutually exclusive); `null` score earns nothing.
 *
 * @example medalFor(0.8, { gold: 0.9, silver: 0.8, bronze: 0.7, median: 0.6 }, false).medal // 'silver'
 */
export function medalFor(score: number | null, t: MedalThresholds, lowerIsBetter: boolean): MedalFlags {
  if (score === null || !Number.isFinite(score)) {
    return { medal: null, goldMedal: false, silverMedal: false, bronzeMedal: false, anyMedal: false, aboveMedian: false };
  }
  const atLeast = (threshold: number): boolean => (lowerIsBetter ? score <= threshold : score >= threshold);
  const medal: Medal | null = atLeast(t.gold) ? 'gold' : atLeast(t.silver) ? 'silver' : atLeast(t.bronze) ? 'bronze' : null;
  return {
    medal,
    goldMedal: medal === 'gold',
    silverMedal: medal === 'silver',
    bronzeMedal: medal === 'bronze',
    anyMedal: medal !== null,
    aboveMedian: lowerIsBetter ? score < t.median : score > t.median,
  };
}
