/**
 * An order-statistics treap over buffer slots, ordered best first: higher score first, and among
 * equal scores the one scored earlier first. It answers "which slot has rank r?" in O(log N), so
 * PLR rank sampling draws a rank from the fixed distribution (1/r)^(1/β) and looks it up without
 * re-sorting the buffer after every change. Node priorities are a fixed hash of the slot number,
 * so the tree's shape — and every result — is deterministic. Derived index only.
 */
export class RankTree {
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly size: Int32Array;
  private readonly prio: Uint32Array;
  private root = -1;

  constructor(
    capacity: number,
    private readonly score: (slot: number) => number,
    private readonly scoredAt: (slot: number) => number,
  ) {
    this.left = new Int32Array(capacity).fill(-1);
    this.right = new Int32Array(capacity).fill(-1);
    this.size = new Int32Array(capacity);
    this.prio = Uint32Array.from({ length: capacity }, (_, i) => {
      // murmur3 finaliser of the slot number: a fixed pseudo-random heap priority.
      let h = (i + 0x9e3779b9) | 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    });
  }

  /** Number of slots in the tree. */
  get count(): number {
    return this.root < 0 ? 0 : (this.size[this.root] as number);
  }

  /** Whether slot t sorts before the key (score, at). */
  private before(t: number, score: number, at: number): boolean {
    const s = this.score(t);
    return s > score || (s === score && this.scoredAt(t) < at);
  }

  private fix(t: number): void {
    const l = this.left[t] as number;
    const r = this.right[t] as number;
    this.size[t] = 1 + (l >= 0 ? (this.size[l] as number) : 0) + (r >= 0 ? (this.size[r] as number) : 0);
  }

  /** [nodes before the key, nodes at or after it]. */
  private split(t: number, score: number, at: number): [number, number] {
    if (t < 0) return [-1, -1];
    if (this.before(t, score, at)) {
      const [l, r] = this.split(this.right[t] as number, score, at);
      this.right[t] = l;
      this.fix(t);
      return [t, r];
    }
    const [l, r] = this.split(this.left[t] as number, score, at);
    this.left[t] = r;
    this.fix(t);
    return [l, t];
  }

  /** Joins two trees where every node of `a` sorts before every node of `b`. */
  private merge(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    if ((this.prio[a] as number) > (this.prio[b] as number)) {
      this.right[a] = this.merge(this.right[a] as number, b);
      this.fix(a);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b] as number);
    this.fix(b);
    return b;
  }

  /** Adds a slot (its current score and scoredAt are its key). */
  insert(slot: number): void {
    const [l, r] = this.split(this.root, this.score(slot), this.scoredAt(slot));
    this.left[slot] = -1;
    this.right[slot] = -1;
    this.size[slot] = 1;
    this.root = this.merge(this.merge(l, slot), r);
  }

  /** Removes a slot; call it before the slot's score or scoredAt change (its key finds it). */
  remove(slot: number): void {
    const [l, r] = this.split(this.root, this.score(slot), this.scoredAt(slot));
    const removeFirst = (t: number): number => {
      const lt = this.left[t] as number;
      if (lt < 0) {
        if (t !== slot) throw new Error(`RankTree.remove: slot ${slot} not found (its key changed before removal; this is a bug in exitgym).`);
        return this.right[t] as number;
      }
      this.left[t] = removeFirst(lt);
      this.fix(t);
      return t;
    };
    if (r < 0) throw new Error(`RankTree.remove: slot ${slot} not found (this is a bug in exitgym).`);
    this.root = this.merge(l, removeFirst(r));
  }

  /** The slot of 0-based rank r (0 = best). */
  at(r: number): number {
    if (!(r >= 0 && r < this.count)) throw new RangeError(`RankTree.at: rank ${r} outside [0, ${this.count}).`);
    let t = this.root;
    for (;;) {
      const l = this.left[t] as number;
      const ls = l >= 0 ? (this.size[l] as number) : 0;
      if (r < ls) t = l;
      else if (r === ls) return t;
      else {
        r -= ls + 1;
        t = this.right[t] as number;
      }
    }
  }
}
