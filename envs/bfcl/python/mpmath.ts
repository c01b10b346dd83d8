/**
 * Just enough of mpmath for MathAPI's `logarithm` (SPEC §7.2): binary floating point at a chosen
 * precision, a correctly rounded natural log, division, and `repr(mpf)` exactly as mpmath prints
 * it (`mpf('1.3027')`). Values are exact `man · 2^exp` with BigInt mantissas, rounded
 * half-to-even to `prec` bits like mpmath's default rounding.
 */
import type { JsonValue } from '../../../core/types.js';
import { pyEq } from './equality.js';
import { snapshotFloat } from './snapshot.js';
import { PyException } from './errors.js';
import { exactRational, pyRound } from './number.js';
import type { PyObject, PyValue } from './value.js';

/** A raw mpf: zero, ±inf, nan, or `man · 2^exp` (man ≠ 0). */
export type RawMpf =
  | { kind: 'finite'; man: bigint; exp: number }
  | { kind: 'zero' }
  | { kind: 'inf'; negative: boolean }
  | { kind: 'nan' };

const LOG2_10 = 3.3219280948873626; // Python's math.log(10, 2)

const bitLength = (n: bigint): number => (n < 0n ? -n : n).toString(2).length;

/** mpmath `dps_to_prec`: the binary precision `mp.dps = n` selects. */
export function dpsToPrec(dps: bigint): number {
  return Math.max(1, Number(pyRound((Number(dps) + 1) * LOG2_10) as bigint));
}

/** mpmath `prec_to_dps`. */
export function precToDps(prec: number): number {
  return Math.max(1, Number(pyRound(prec / LOG2_10) as bigint) - 1);
}

/** mpmath `repr_dps`: the digits `repr(mpf)` shows at a precision. */
export function reprDps(prec: number): number {
  const dps = precToDps(prec);
  return dps === 15 ? 17 : dps + 3;
}

/** Round `man · 2^exp` to `prec` bits: half to even (`'n'`), or toward zero (`'d'`, mpmath's round_fast). */
export function normalize(man: bigint, exp: number, prec: number, mode: 'n' | 'd' = 'n'): RawMpf {
  if (man === 0n) return { kind: 'zero' };
  const neg = man < 0n;
  let m = neg ? -man : man;
  let e = exp;
  const shift = bitLength(m) - prec;
  if (shift > 0) {
    const s = BigInt(shift);
    const q = m >> s;
    const rem = m - (q << s);
    const half = 1n << (s - 1n);
    m = mode === 'n' && (rem > half || (rem === half && (q & 1n) === 1n)) ? q + 1n : q;
    e += shift;
  }
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e += 1;
  }
  return { kind: 'finite', man: neg ? -m : m, exp: e };
}

/** The exact raw mpf of a Python int or float (mpmath's `convert`, no rounding). */
export function mpfFromNumber(v: bigint | number): RawMpf {
  if (typeof v === 'bigint') return normalize(v, 0, Math.max(1, bitLength(v)));
  if (Number.isNaN(v)) return { kind: 'nan' };
  if (!Number.isFinite(v)) return { kind: 'inf', negative: v < 0 };
  if (v === 0) return { kind: 'zero' };
  const { num, den } = exactRational(v);
  return normalize(num, -(bitLength(den) - 1), 53);
}

// atanh(p / 2^w) in fixed point with w fractional bits (|p / 2^w| ≤ 1/3).
function atanhFixed(p: bigint, w: bigint): bigint {
  const z2 = (p * p) >> w;
  let term = p;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = (term * z2) >> w;
    if (term === 0n || k > 100000n) break;
  }
  return sum;
}

/** ln(x) for x > 0, correctly rounded to `prec` bits (up to the 64 guard bits used). */
export function mpLog(x: RawMpf, prec: number): RawMpf {
  if (x.kind === 'nan') return x;
  if (x.kind === 'zero') return { kind: 'inf', negative: true };
  if (x.kind === 'inf') {
    if (x.negative) throw new PyException('ValueError', 'math domain error');
    return x;
  }
  if (x.man < 0n) throw new PyException('ValueError', 'math domain error');
  const b = bitLength(x.man);
  const k = BigInt(x.exp + b - 1);
  if (x.man === 1n && k === 0n) return { kind: 'zero' };
  let w = prec + 64 + bitLength(k);
  for (;;) {
    const W = BigInt(w);
    const one = 1n << W;
    const shift = w - (b - 1);
    const y = shift >= 0 ? x.man << BigInt(shift) : x.man >> BigInt(-shift);
    const z = ((y - one) << W) / (y + one);
    const ln2 = 2n * atanhFixed(one / 3n, W);
    const f = 2n * atanhFixed(z, W) + k * ln2;
    // Near ln(x) = 0 the fixed-point value has few significant bits; widen and retry.
    if (bitLength(f) >= prec + 40 || w > prec + 4000) return normalize(f, -w, prec);
    w += prec + 40 - bitLength(f) + 16;
  }
}

/** exp(x) rounded to `prec` bits (x finite). */
export function mpExp(x: RawMpf, prec: number): RawMpf {
  if (x.kind === 'zero') return { kind: 'finite', man: 1n, exp: 0 };
  if (x.kind !== 'finite') return x.kind === 'inf' && x.negative ? { kind: 'zero' } : x;
  // Beyond these, exp over- or underflows any double by far.
  const mag = x.exp + bitLength(x.man);
  if (mag > 12) return x.man > 0n ? { kind: 'inf', negative: false } : { kind: 'zero' };
  const w = prec + 80;
  const W = BigInt(w);
  const one = 1n << W;
  const t = x.exp >= -w ? (x.man << BigInt(x.exp + w)) : x.man >> BigInt(-x.exp - w);
  const ln2 = 2n * atanhFixed(one / 3n, W);
  // Range reduction: t = k·ln2 + r with |r| ≤ ln2 / 2, then the Taylor series of exp(r).
  let k = t / ln2;
  let r = t - k * ln2;
  if (r > ln2 / 2n) {
    k += 1n;
    r -= ln2;
  } else if (r < -ln2 / 2n) {
    k -= 1n;
    r += ln2;
  }
  let sum = one;
  let term = one;
  for (let i = 1n; term !== 0n && i < 10000n; i++) {
    term = (term * r) / (one * i);
    sum += term;
  }
  return normalize(sum, Number(k) - w, prec);
}

/**
 * `x ** y` for doubles x > 0, correctly rounded (glibc's pow is; V8's Math.pow can be an ulp off,
 * which shows in printed results).
 */
export function powPositive(x: number, y: number): number {
  const lnx = mpLog(mpfFromNumber(x), 53 + 90);
  const yy = mpfFromNumber(y);
  if (lnx.kind !== 'finite' || yy.kind !== 'finite') return Math.pow(x, y);
  const prod = normalize(lnx.man * yy.man, lnx.exp + yy.exp, 53 + 90);
  return mpfToNumber(mpExp(prod, 53));
}

/** `a / b` rounded to `prec` bits; ZeroDivisionError (empty message) for b = 0, as mpmath. */
export function mpDiv(a: RawMpf, b: RawMpf, prec: number): RawMpf {
  if (b.kind === 'zero') throw new PyException('ZeroDivisionError', '');
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  const signA = a.kind === 'finite' ? a.man < 0n : a.kind === 'inf' && a.negative;
  const signB = b.kind === 'finite' ? b.man < 0n : b.kind === 'inf' && b.negative;
  if (a.kind === 'inf') return b.kind === 'inf' ? { kind: 'nan' } : { kind: 'inf', negative: signA !== signB };
  if (a.kind === 'zero' || b.kind === 'inf') return { kind: 'zero' };
  if (b.kind !== 'finite') return { kind: 'nan' };
  // Scale the dividend so the integer quotient has prec + 3 bits, then round with a sticky bit.
  const extra = prec + 3 + bitLength(b.man) - bitLength(a.man) + 1;
  const shift = Math.max(0, extra);
  const num = a.man << BigInt(shift);
  let q = num / b.man;
  const sticky = num % b.man !== 0n;
  q = q * 2n + (sticky ? (q < 0n ? -1n : 1n) : 0n);
  return normalize(q, a.exp - b.exp - shift - 1, prec);
}

/** mpmath `to_str(s, dps)` (the format of `repr(mpf)`), for |exponent| below 3500 bits. */
export function mpfToStr(s: RawMpf, dps: number): string {
  if (s.kind === 'zero') return dps ? '0.0' : '.0';
  if (s.kind === 'inf') return s.negative ? '-inf' : '+inf';
  if (s.kind === 'nan') return 'nan';
  const sign = s.man < 0n ? '-' : '';
  const man = s.man < 0n ? -s.man : s.man;
  const minFixed = Math.min(-Math.floor(dps / 3), -5);
  const maxFixed = dps;
  // to_digits_exp(s, dps + 3): digits truncated toward zero.
  const bitprec = Math.trunc((dps + 3) * LOG2_10) + 10;
  const fixprec = Math.max(bitprec - s.exp - bitLength(man), 0);
  const fixdps = Math.trunc(fixprec / LOG2_10 + 0.5);
  const off = s.exp + fixprec;
  const sf = off >= 0 ? man << BigInt(off) : man >> BigInt(-off);
  const sd = (sf * 10n ** BigInt(fixdps)) >> BigInt(fixprec);
  let digits = sd.toString();
  let exponent = digits.length - fixdps - 1;
  if (!dps) {
    if ('56789'.includes(digits[0] ?? '')) exponent += 1;
    digits = '.0';
  } else {
    if (digits.length > dps && '56789'.includes(digits[dps] ?? '')) {
      digits = digits.slice(0, dps);
      let i = dps - 1;
      while (i >= 0 && digits[i] === '9') i--;
      if (i >= 0) digits = digits.slice(0, i) + String(Number(digits[i]) + 1) + '0'.repeat(dps - i - 1);
      else {
        digits = `1${'0'.repeat(dps - 1)}`;
        exponent += 1;
      }
    } else {
      digits = digits.slice(0, dps);
    }
    let split = 1;
    if (minFixed < exponent && exponent < maxFixed) {
      if (exponent < 0) digits = '0'.repeat(-exponent) + digits;
      else {
        split = exponent + 1;
        if (split > dps) digits += '0'.repeat(split - dps);
      }
      exponent = 0;
    }
    digits = `${digits.slice(0, split)}.${digits.slice(split)}`.replace(/0+$/, '');
    if (digits.endsWith('.')) digits += '0';
  }
  if (exponent === 0 && dps) return sign + digits;
  return exponent >= 0 ? `${sign}${digits}e+${exponent}` : `${sign}${digits}e${exponent}`;
}

/** The nearest double of a raw mpf. */
export function mpfToNumber(s: RawMpf): number {
  if (s.kind === 'zero') return 0;
  if (s.kind === 'nan') return NaN;
  if (s.kind === 'inf') return s.negative ? -Infinity : Infinity;
  const norm = normalize(s.man, s.exp, 53);
  if (norm.kind !== 'finite') return 0;
  // Two steps so 2^exp alone cannot overflow or underflow where the product would not.
  const half = Math.trunc(norm.exp / 2);
  return Number(norm.man) * 2 ** half * 2 ** (norm.exp - half);
}

/** π rounded to `prec` bits (Machin's formula in fixed point). */
export function mpPi(prec: number): RawMpf {
  const w = prec + 40;
  const W = BigInt(w);
  const one = 1n << W;
  const atanInv = (n: bigint): bigint => {
    let term = one / n;
    let sum = 0n;
    const n2 = n * n;
    for (let k = 1n, sign = 1n; term !== 0n; k += 2n, sign = -sign) {
      sum += (sign * term) / k;
      term /= n2;
    }
    return sum;
  };
  return normalize(16n * atanInv(5n) - 4n * atanInv(239n), -w, prec);
}

const isFinite = (x: RawMpf): x is { kind: 'finite'; man: bigint; exp: number } => x.kind === 'finite';
const ZERO: RawMpf = { kind: 'zero' };

/** Exact product of two finite-or-zero raw mpfs. */
function mulExact(a: RawMpf, b: RawMpf): RawMpf {
  if (!isFinite(a) || !isFinite(b)) return ZERO;
  return { kind: 'finite', man: a.man * b.man, exp: a.exp + b.exp };
}

/** `a + b` rounded to `prec` bits with `mode` (finite or zero operands). */
function addRound(a: RawMpf, b: RawMpf, prec: number, mode: 'n' | 'd'): RawMpf {
  if (!isFinite(a)) return isFinite(b) ? normalize(b.man, b.exp, prec, mode) : ZERO;
  if (!isFinite(b)) return normalize(a.man, a.exp, prec, mode);
  const e = Math.min(a.exp, b.exp);
  return normalize((a.man << BigInt(a.exp - e)) + (b.man << BigInt(b.exp - e)), e, prec, mode);
}

const negate = (a: RawMpf): RawMpf => (isFinite(a) ? { kind: 'finite', man: -a.man, exp: a.exp } : a);

/** A complex mpmath value `(re, im)`. */
export type RawMpc = readonly [RawMpf, RawMpf];

/** mpmath `mpc_div` (intermediates at prec + 10 bits rounded toward zero, parts rounded to nearest). */
export function mpcDiv([a, b]: RawMpc, [c, d]: RawMpc, prec: number): RawMpc {
  for (const x of [a, b, c, d]) {
    if (x.kind === 'inf' || x.kind === 'nan') throw new PyException('ValueError', 'complex division of infinities is not supported by exitgym');
  }
  const wp = prec + 10;
  const mag = addRound(mulExact(c, c), mulExact(d, d), wp, 'd');
  const t = addRound(mulExact(a, c), mulExact(b, d), wp, 'd');
  const u = addRound(mulExact(b, c), negate(mulExact(a, d)), wp, 'd');
  return [mpDiv(t, mag, prec), mpDiv(u, mag, prec)];
}

/** mpmath `log` of a real argument: an mpf, or for a negative one the mpc `(ln|x|, π)`. */
export function mpLogReal(x: RawMpf, prec: number): RawMpf | RawMpc {
  const negative = (x.kind === 'finite' && x.man < 0n) || (x.kind === 'inf' && x.negative);
  if (!negative) return mpLog(x, prec);
  const abs: RawMpf = x.kind === 'finite' ? { kind: 'finite', man: -x.man, exp: x.exp } : { kind: 'inf', negative: false };
  return [mpLog(abs, prec), mpPi(prec)];
}

/** `a / b` where either side may be complex, as mpmath's mpf/mpc operators do. */
export function mpDivMixed(a: RawMpf | RawMpc, b: RawMpf | RawMpc, prec: number): RawMpf | RawMpc {
  const complexA = Array.isArray(a);
  const complexB = Array.isArray(b);
  if (!complexA && !complexB) return mpDiv(a as RawMpf, b as RawMpf, prec);
  if (complexA && !complexB) {
    const [re, im] = a as RawMpc;
    return [mpDiv(re, b as RawMpf, prec), mpDiv(im, b as RawMpf, prec)];
  }
  const za: RawMpc = complexA ? (a as RawMpc) : [a as RawMpf, ZERO];
  return mpcDiv(za, b as RawMpc, prec);
}

/** An mpmath `mpc` value as a Python object. */
export class Mpc implements PyObject {
  readonly pyType = 'mpc';
  constructor(
    readonly raw: RawMpc,
    readonly prec: number,
  ) {}
  pyRepr(): string {
    const dps = reprDps(this.prec);
    return `mpc(real='${mpfToStr(this.raw[0], dps)}', imag='${mpfToStr(this.raw[1], dps)}')`;
  }
  pyEquals(other: PyValue): boolean {
    return other instanceof Mpc && mpfToNumber(this.raw[0]) === mpfToNumber(other.raw[0]) && mpfToNumber(this.raw[1]) === mpfToNumber(other.raw[1]);
  }
  pySnapshot(): JsonValue {
    return { $mpc: this.pyRepr(), real: snapshotFloat(mpfToNumber(this.raw[0])), imag: snapshotFloat(mpfToNumber(this.raw[1])) };
  }
}

/** An mpmath `mpf` value as a Python object; `repr` uses the precision it was computed at. */
export class Mpf implements PyObject {
  readonly pyType = 'mpf';
  constructor(
    readonly raw: RawMpf,
    readonly prec: number,
  ) {}
  pyRepr(): string {
    return `mpf('${mpfToStr(this.raw, reprDps(this.prec))}')`;
  }
  pyStr(): string {
    return mpfToStr(this.raw, precToDps(this.prec));
  }
  toNumber(): number {
    return mpfToNumber(this.raw);
  }
  pyEquals(other: PyValue): boolean {
    if (other instanceof Mpf) return pyEq(this.toNumber(), other.toNumber());
    return (typeof other === 'number' || typeof other === 'bigint' || typeof other === 'boolean') && pyEq(this.toNumber(), other);
  }
  pySnapshot(): JsonValue {
    return { $mpf: this.pyRepr(), float: snapshotFloat(this.toNumber()) };
  }
}
