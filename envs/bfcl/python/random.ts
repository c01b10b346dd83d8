/**
 * CPython's `random.Random`: MT19937 seeded from an int exactly as CPython does, with
 * `getrandbits`, `randint`/`randrange` (via `_randbelow`), `random` and `uniform` (SPEC §4).
 * Ids in the API state (message ids, card ids, tokens, timestamps) are drawn from it, and the
 * ground truth depends on the exact values, so this must match CPython bit for bit.
 *
 * @example
 * const r = new PyRandom(141053n);
 * r.randint(100000n, 999999n) // 251675n (TravelAPI's first access token)
 */
import { pyRaise } from './errors.js';

const N = 624;
const M = 397;

export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: bigint | number = 0n) {
    this.seed(seed);
  }

  /** `random.seed(n)` for an int `n` (CPython uses `abs(n)`). */
  seed(seed: bigint | number): void {
    let s = BigInt(seed);
    if (s < 0n) s = -s;
    const key: number[] = [];
    do {
      key.push(Number(s & 0xffffffffn));
      s >>= 32n;
    } while (s > 0n);
    this.initByArray(key);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ?? 0;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      // 1812433253 * x mod 2^32, split to stay exact in doubles.
      mt[i] = (((((x & 0xffff0000) >>> 16) * 1812433253) << 16) + (x & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ?? 0;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      const mul = (((((x & 0xffff0000) >>> 16) * 1664525) << 16) + (x & 0x0000ffff) * 1664525) >>> 0;
      mt[i] = (((mt[i] ?? 0) ^ mul) + (key[j] ?? 0) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] ?? 0;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ?? 0;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      const mul = (((((x & 0xffff0000) >>> 16) * 1566083941) << 16) + (x & 0x0000ffff) * 1566083941) >>> 0;
      mt[i] = (((mt[i] ?? 0) ^ mul) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] ?? 0;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** The next 32-bit output (`genrand_uint32`). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      const mag = (y: number): number => (y & 1 ? 0x9908b0df : 0);
      for (; kk < N - M; kk++) {
        const y = ((mt[kk] ?? 0) & 0x80000000) | ((mt[kk + 1] ?? 0) & 0x7fffffff);
        mt[kk] = ((mt[kk + M] ?? 0) ^ (y >>> 1) ^ mag(y)) >>> 0;
      }
      for (; kk < N - 1; kk++) {
        const y = ((mt[kk] ?? 0) & 0x80000000) | ((mt[kk + 1] ?? 0) & 0x7fffffff);
        mt[kk] = ((mt[kk + (M - N)] ?? 0) ^ (y >>> 1) ^ mag(y)) >>> 0;
      }
      const y = ((mt[N - 1] ?? 0) & 0x80000000) | ((mt[0] ?? 0) & 0x7fffffff);
      mt[N - 1] = ((mt[M - 1] ?? 0) ^ (y >>> 1) ^ mag(y)) >>> 0;
      this.mti = 0;
    }
    let y = mt[this.mti++] ?? 0;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `getrandbits(k)`: words least-significant first; the last one keeps its top bits. */
  getrandbits(k: number): bigint {
    if (k < 0) return pyRaise('ValueError', 'number of bits must be non-negative');
    if (k === 0) return 0n;
    if (k <= 32) return BigInt(this.nextUint32() >>> (32 - k));
    let out = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let word = this.nextUint32();
      if (left < 32) word >>>= 32 - left;
      out |= BigInt(word) << shift;
      shift += 32n;
    }
    return out;
  }

  /** `_randbelow(n)` (rejection sampling on `n.bit_length()` bits). */
  randbelow(n: bigint): bigint {
    if (n <= 0n) return 0n;
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `randint(a, b)`: a ≤ x ≤ b. */
  randint(a: bigint, b: bigint): bigint {
    return this.randrange(a, b + 1n);
  }

  /** `randrange(start, stop)` with step 1. */
  randrange(start: bigint, stop: bigint): bigint {
    const width = stop - start;
    if (width <= 0n) return pyRaise('ValueError', `empty range in randrange(${start}, ${stop})`);
    return start + this.randbelow(width);
  }

  /** `random()`: 53 random bits from two outputs, in [0, 1). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `uniform(a, b)` = `a + (b - a) * random()`. */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }
}
