/**
 * Exact rationals on bigint, for answers made of integers, decimals and fractions (`025` = 25,
 * `0.5` = 1/2, `\frac{6}{4}` = 3/2). Always reduced, denominator positive.
 */

export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** n/d reduced; undefined for a zero denominator. */
export function rat(n: bigint, d: bigint = 1n): Rational | undefined {
  if (d === 0n) return undefined;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

/**
 * Parses a plain decimal or scientific literal exactly: `25`, `-0.125`, `7e+37`, `1.5E-3`.
 * Undefined for anything else.
 */
export function parseDecimal(text: string): Rational | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, sign, int = '', frac = '', exp] = m;
  if (int === '' && frac === '') return undefined;
  let e = exp !== undefined ? Number(exp) : 0;
  // Exponents this large make numbers no answer has; refuse rather than build a huge bigint.
  if (!Number.isFinite(e) || Math.abs(e) > 400) return undefined;
  e -= frac.length;
  let n = BigInt((int || '0') + frac);
  if (sign === '-') n = -n;
  return e >= 0 ? rat(n * 10n ** BigInt(e), 1n) : rat(n, 10n ** BigInt(-e));
}

export const add = (a: Rational, b: Rational): Rational => rat(a.n * b.d + b.n * a.d, a.d * b.d) as Rational;
export const sub = (a: Rational, b: Rational): Rational => rat(a.n * b.d - b.n * a.d, a.d * b.d) as Rational;
export const mul = (a: Rational, b: Rational): Rational => rat(a.n * b.n, a.d * b.d) as Rational;
export const div = (a: Rational, b: Rational): Rational | undefined => rat(a.n * b.d, a.d * b.n);
export const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });
export const eq = (a: Rational, b: Rational): boolean => a.n === b.n && a.d === b.d;
export const isInt = (a: Rational): boolean => a.d === 1n;

/** ⌊n/d⌋ for d > 0 (bigint division truncates toward zero). */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && (n < 0n) !== (d < 0n) ? q - 1n : q;
}

/** Bit length of |x|, to keep exact arithmetic bounded. */
export function bits(x: bigint): number {
  return abs(x).toString(16).length * 4;
}

/** The largest numerator/denominator we keep exact; beyond it arithmetic falls back to floats. */
export const MAX_BITS = 16_384;

/** a^k for an integer k, or undefined when the result would exceed MAX_BITS (or 0^negative). */
export function pow(a: Rational, k: bigint): Rational | undefined {
  if (k < 0n) {
    const inv = rat(a.d, a.n);
    return inv === undefined ? undefined : pow(inv, -k);
  }
  const size = Math.max(bits(a.n), bits(a.d));
  if (size * Number(k) > MAX_BITS && abs(a.n) > 1n) return undefined;
  if (size * Number(k) > MAX_BITS && a.d > 1n) return undefined;
  // A power of a reduced fraction is reduced: no gcd on the (large) result.
  return { n: a.n ** k, d: a.d ** k };
}

/** Nearest double (exact for small values; fine for comparisons at 15 digits). */
export function toNumber(a: Rational): number {
  if (bits(a.n) < 1000 && bits(a.d) < 1000) return Number(a.n) / Number(a.d);
  // Scale both down to keep the quotient representable.
  const shift = BigInt(Math.max(bits(a.n), bits(a.d)) - 900);
  return Number(a.n >> shift) / Number(a.d >> shift);
}

export function toString(a: Rational): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}
