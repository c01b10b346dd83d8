/**
 * The Mersenne Twister MT19937 (Matsumoto & Nishimura), bit for bit as its reference C code, with
 * both of the reference's seedings: `init_genrand` (numpy's legacy `RandomState(int)`) and
 * `init_by_array` (CPython's `random.seed(int)`). exitgym needs it to reproduce upstream choices
 * exactly: scikit-learn's train/test splits (BFCL's and MLE-bench's) and the ids the BFCL APIs draw.
 * For exitgym's own randomness use `Rng` (rng.ts).
 */
import { ConfigError } from './errors.js';

const N = 624;
const M = 397;

/** `(a * b) mod 2^32` for 32-bit unsigned a, b, exact in doubles. */
const mul32 = (a: number, b: number): number => Math.imul(a, b) >>> 0;

export class Mt19937 {
  private readonly mt = new Uint32Array(N);
  private index = N;

  private constructor() {}

  /** Seeded with `init_genrand(seed)`, as numpy's `RandomState(seed)` does. */
  static fromSeed(seed: number): Mt19937 {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ConfigError(`MT19937 seed must be an integer in [0, 2^32 - 1]; got ${seed}.`);
    const g = new Mt19937();
    g.initGenrand(seed);
    return g;
  }

  /** Seeded with `init_by_array(key)` (32-bit words), as CPython's `random.seed(n)` does with n's words. */
  static fromKey(key: readonly number[]): Mt19937 {
    if (key.length === 0 || key.some((k) => !Number.isInteger(k) || k < 0 || k > 0xffffffff)) {
      throw new ConfigError(`MT19937 key must be a non-empty list of 32-bit unsigned integers; got [${key.join(', ')}].`);
    }
    const g = new Mt19937();
    g.initByArray(key);
    return g;
  }

  private initGenrand(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      mt[i] = (mul32(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] as number;
      mt[i] = (((mt[i] as number) ^ mul32((prev ^ (prev >>> 30)) >>> 0, 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] as number;
      mt[i] = (((mt[i] as number) ^ mul32((prev ^ (prev >>> 30)) >>> 0, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = ((mt[i] as number) & 0x80000000) | ((mt[(i + 1) % N] as number) & 0x7fffffff);
      mt[i] = ((mt[(i + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.index = 0;
  }

  /** The next 32-bit output (`genrand_uint32`). */
  uint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] by masked rejection sampling (numpy's legacy `random_interval`). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.uint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }
}
