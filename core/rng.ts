import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import { ConfigError } from './errors.js';

/** The serialisable state of an `Rng`, for checkpoints. */
export interface RngState {
  algorithm: 'xoroshiro128plus';
  state: number[];
}

/** 32-bit FNV-1a then a murmur3 finaliser: spreads string/number keys over seeds. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * The seeded random source; every random choice in exitgym takes one. Built on pure-rand's
 * xoroshiro128+. `split()` hands a child stream to a sub-component so that adding draws in one
 * component does not shift another's sequence; `fork(key)` derives a named stream without
 * advancing this one (e.g. one stream per task id).
 *
 * @example
 * const rng = Rng.fromSeed(42);
 * const order = rng.shuffle([1, 2, 3]);
 * const child = rng.split();
 */
export class Rng {
  private constructor(private gen: RandomGenerator) {}

  /** xoroshiro128+ seeded from 32 bits gives correlated first outputs for nearby seeds; hashing the seed and discarding a few draws decorrelates them. */
  private static seeded(seed32: number): Rng {
    const gen = xoroshiro128plus(hash32(`seed:${seed32}`));
    for (let i = 0; i < 16; i++) gen.unsafeNext();
    return new Rng(gen);
  }

  static fromSeed(seed: number): Rng {
    if (!Number.isFinite(seed)) throw new ConfigError(`Rng seed must be a finite number; got ${seed}.`);
    // Fold any finite number (including > 2^32 and fractions) into 32 bits deterministically.
    return Rng.seeded(Number.isInteger(seed) && Math.abs(seed) < 2 ** 31 ? seed : hash32(String(seed)));
  }

  static fromState(state: RngState): Rng {
    if (state?.algorithm !== 'xoroshiro128plus' || !Array.isArray(state.state)) {
      throw new ConfigError(`Rng state must be {algorithm: "xoroshiro128plus", state: number[]}; got ${JSON.stringify(state)}.`);
    }
    return new Rng(xoroshiro128plus.fromState(state.state));
  }

  /** The state to store in a checkpoint; `Rng.fromState` continues the same sequence. */
  state(): RngState {
    return { algorithm: 'xoroshiro128plus', state: [...this.gen.getState()] };
  }

  /** A raw unsigned 32-bit draw. */
  uint32(): number {
    return this.gen.unsafeNext() >>> 0;
  }

  /** A float in [0, 1) with 53 random bits. */
  next(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`Rng.int(n) needs a positive integer n; got ${n}.`);
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new ConfigError('Rng.choice() needs a non-empty array.');
    return items[this.int(items.length)] as T;
  }

  /** A new array with the elements in a uniformly random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** An index drawn with probability proportional to `weights` (non-negative, finite, sum > 0). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new ConfigError(`Rng.weighted() needs finite non-negative weights with a positive sum; got sum ${total}.`);
    }
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** A child stream; advances this one by two draws. */
  split(): Rng {
    return Rng.seeded(hash32(`${this.uint32()}:${this.uint32()}`));
  }

  /** A stream named by `key`, derived from the current state without advancing it. */
  fork(key: string | number): Rng {
    return Rng.seeded(hash32(`${this.gen.getState().join(',')}#${key}`));
  }
}
