/**
 * The multiplicative diversity bonus (paper §4.2, Eq. 6): within a GRPO group with response
 * embeddings e_i and centroid ē,
 *
 *   d_i = ‖e_i − ē‖ / (max_j ‖e_j − ē‖ − min_j ‖e_j − ē‖),   A_i ← d_i · A_i.
 *
 * The numerator is the raw distance (not min-subtracted), so d_i is not bounded to [0, 1]. When the
 * range is below ε (near-identical responses, or a group of one) the ratio would explode, so every
 * d_i is 1 (no bonus). Also: mean pairwise distances, the task-diversity metrics.
 */
import { ConfigError } from '../core/errors.js';

/** The range below which the bonus is switched off for a group (d_i = 1). */
export const DIVERSITY_EPSILON = 1e-6;

function checkDims(embeddings: readonly ArrayLike<number>[], where: string): number {
  const dim = embeddings[0]?.length ?? 0;
  embeddings.forEach((e, i) => {
    if (e.length !== dim) throw new ConfigError(`${where}: embedding ${i} has ${e.length} dimensions, embedding 0 has ${dim}; use one embedder per group.`);
  });
  return dim;
}

/** ‖e_i − ē‖ for each member. */
export function centroidDistances(embeddings: readonly ArrayLike<number>[]): number[] {
  const dim = checkDims(embeddings, 'centroidDistances');
  const n = embeddings.length;
  const centroid = new Float64Array(dim);
  for (const e of embeddings) for (let k = 0; k < dim; k++) centroid[k] = (centroid[k] as number) + (e[k] as number) / n;
  return embeddings.map((e) => {
    let s = 0;
    for (let k = 0; k < dim; k++) s += ((e[k] as number) - (centroid[k] as number)) ** 2;
    return Math.sqrt(s);
  });
}

/**
 * The coefficients d_i of one group (Eq. 6), 1 for every member when the distance range < ε.
 *
 * @example diversityCoefficients([[0, 0], [2, 0], [0, 4]]) // distances to (2/3, 4/3): [1.491, 1.886, 2.749], range 1.258 → [1.185, 1.499, 2.185]
 */
export function diversityCoefficients(embeddings: readonly ArrayLike<number>[], epsilon = DIVERSITY_EPSILON): number[] {
  if (!(epsilon >= 0)) throw new ConfigError(`diversityCoefficients: epsilon must be >= 0; got ${epsilon}.`);
  const d = centroidDistances(embeddings);
  if (d.length === 0) return [];
  const range = Math.max(...d) - Math.min(...d);
  if (!(range >= epsilon) || range === 0) return d.map(() => 1);
  return d.map((x) => x / range);
}

/**
 * `A_i ← d_i · A_i`. Advantages of 0 (zero-variance groups, null rewards) stay 0.
 *
 * @example applyDiversityBonus([1, -1], [2, 0.5]) // [2, -0.5]
 */
export function applyDiversityBonus(advantages: readonly number[], coefficients: readonly number[]): number[] {
  if (advantages.length !== coefficients.length) {
    throw new ConfigError(`applyDiversityBonus: ${advantages.length} advantages but ${coefficients.length} coefficients; embed every member of the group.`);
  }
  return advantages.map((a, i) => a * (coefficients[i] as number));
}

/** Mean over unordered pairs of the cosine distance (1 − cos) and the L2 distance; 0 for fewer than 2 embeddings. */
export function meanPairwiseDistances(embeddings: readonly ArrayLike<number>[]): { cosine: number; l2: number } {
  const dim = checkDims(embeddings, 'meanPairwiseDistances');
  const n = embeddings.length;
  if (n < 2) return { cosine: 0, l2: 0 };
  const norms = embeddings.map((e) => {
    let s = 0;
    for (let k = 0; k < dim; k++) s += (e[k] as number) ** 2;
    return Math.sqrt(s);
  });
  let cos = 0;
  let l2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = embeddings[i] as ArrayLike<number>;
      const b = embeddings[j] as ArrayLike<number>;
      let dot = 0;
      let sq = 0;
      for (let k = 0; k < dim; k++) {
        dot += (a[k] as number) * (b[k] as number);
        sq += ((a[k] as number) - (b[k] as number)) ** 2;
      }
      const denom = (norms[i] as number) * (norms[j] as number);
      // A zero vector has no direction: count it as orthogonal to everything.
      cos += denom > 0 ? 1 - dot / denom : 1;
      l2 += Math.sqrt(sq);
    }
  }
  const pairs = (n * (n - 1)) / 2;
  return { cosine: cos / pairs, l2: l2 / pairs };
}
