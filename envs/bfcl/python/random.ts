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
import { Mt19937 } from '../../../core/mt19937.js';
import { pyRaise } from './errors.js';

export class PyRandom {
  private mt: Mt19937 = Mt19937.fromSeed(0);

  constructor(seed: bigint | number = 0n) {
    this.seed(seed);
  }

  /** `random.seed(n)` for an int `n`: CPython seeds MT19937 by array with the 32-bit words of `abs(n)`. */
  seed(seed: bigint | number): void {
    let s = BigInt(seed);
    if (s < 0n) s = -s;
    const key: number[] = [];
    do {
      key.push(Number(s & 0xffffffffn));
      s >>= 32n;
    } while (s > 0n);
    this.mt = Mt19937.fromKey(key);
  }

  /** The next 32-bit output (`genrand_uint32`). */
  nextUint32(): number {
    return this.mt.uint32();
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
