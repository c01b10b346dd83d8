/**
 * An indexed binary min-heap over buffer slots, ordered by (score, scoredAt): the root is the entry
 * eviction replaces — the lowest score, and among equal scores the one scored longest ago. Slots
 * stay in the heap for life (eviction replaces a slot's entry in place), so the heap supports
 * push and re-key only. Derived index only: rebuilt from the entries on load.
 */
export class ScoreHeap {
  private heap: number[] = [];
  /** pos[slot] = index of the slot in `heap`. */
  private pos: number[] = [];

  constructor(
    private readonly score: (slot: number) => number,
    private readonly scoredAt: (slot: number) => number,
  ) {}

  get length(): number {
    return this.heap.length;
  }

  /** The slot to evict next, or undefined when empty. */
  peek(): number | undefined {
    return this.heap[0];
  }

  private less(a: number, b: number): boolean {
    const sa = this.score(a);
    const sb = this.score(b);
    return sa < sb || (sa === sb && this.scoredAt(a) < this.scoredAt(b));
  }

  push(slot: number): void {
    this.pos[slot] = this.heap.length;
    this.heap.push(slot);
    this.up(this.heap.length - 1);
  }

  /** Restores the order after `slot`'s score or scoredAt changed. */
  update(slot: number): void {
    const i = this.pos[slot];
    if (i === undefined) throw new Error(`ScoreHeap.update: slot ${slot} is not in the heap (this is a bug in exitgym).`);
    this.down(this.up(i));
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i] as number;
    const b = this.heap[j] as number;
    this.heap[i] = b;
    this.heap[j] = a;
    this.pos[b] = i;
    this.pos[a] = j;
  }

  private up(i: number): number {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i] as number, this.heap[parent] as number)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l] as number, this.heap[m] as number)) m = l;
      if (r < n && this.less(this.heap[r] as number, this.heap[m] as number)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
