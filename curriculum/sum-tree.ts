/**
 * A sum tree (segment tree of sums in heap layout) over a fixed number of non-negative weights:
 * O(log n) update and O(log n) proportional sampling. Parents are recomputed from their children
 * on every update instead of adding deltas, so repeated updates accumulate no rounding drift.
 * Derived index only: the buffer state never stores it.
 */
export class SumTree {
  /** Leaves live at [size, 2·size); node k's children are 2k and 2k + 1; node 1 is the root. */
  readonly nodes: Float64Array;
  readonly size: number;

  constructor(capacity: number) {
    let size = 1;
    while (size < capacity) size *= 2;
    this.size = size;
    this.nodes = new Float64Array(2 * size);
  }

  get total(): number {
    return this.nodes[1] as number;
  }

  get(i: number): number {
    return this.nodes[this.size + i] as number;
  }

  set(i: number, weight: number): void {
    let k = this.size + i;
    this.nodes[k] = weight;
    for (k >>= 1; k >= 1; k >>= 1) this.nodes[k] = (this.nodes[2 * k] as number) + (this.nodes[2 * k + 1] as number);
  }

  /** Sets every leaf at once and rebuilds the inner nodes in O(n). */
  fill(weights: ArrayLike<number>): void {
    this.nodes.fill(0);
    for (let i = 0; i < weights.length; i++) this.nodes[this.size + i] = weights[i] as number;
    for (let k = this.size - 1; k >= 1; k--) this.nodes[k] = (this.nodes[2 * k] as number) + (this.nodes[2 * k + 1] as number);
  }

  /**
   * The leaf where the running sum first exceeds `u·total` (u in [0, 1)). `nodeWeight` lets a
   * caller sample by a weight derived from node sums (e.g. `count·c − Σ C_i` for staleness).
   * Leaves with weight 0 are never returned while the total is positive.
   */
  find(u: number, nodeWeight: (node: number) => number = (k) => this.nodes[k] as number): number {
    let target = u * nodeWeight(1);
    let k = 1;
    while (k < this.size) {
      const left = nodeWeight(2 * k);
      const right = nodeWeight(2 * k + 1);
      // Rounding can leave target ≥ left with an empty right subtree: stay left, just below its total.
      if (target < left || !(right > 0)) {
        if (target >= left) target = left * (1 - 1e-12);
        k = 2 * k;
      } else {
        target -= left;
        k = 2 * k + 1;
      }
    }
    return k - this.size;
  }
}
