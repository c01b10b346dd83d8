/**
 * Just enough of Python's `decimal` for MathAPI's `square_root` (SPEC §7.2): `Decimal(x)` of an
 * int or float (the exact value), `sqrt()` correctly rounded half-even to the context precision
 * with the ideal exponent for exact roots, and `repr` (`Decimal('1.414213562')`).
 */
import type { JsonValue } from '../../../core/types.js';
import { pyEq } from './equality.js';
import { snapshotFloat } from './snapshot.js';
import { PyException } from './errors.js';
import { exactRational } from './number.js';
import type { PyObject, PyValue } from './value.js';

/** A finite non-negative decimal `coeff · 10^exp`, or NaN / Infinity. */
export type RawDecimal =
  | { kind: 'finite'; negative: boolean; coeff: bigint; exp: number }
  | { kind: 'nan' }
  | { kind: 'inf'; negative: boolean };

/** `Decimal(v)` for an int, float or bool: the exact value (`Decimal(0.1)` has 55 digits). */
export function decimalFromNumber(v: bigint | number | boolean): RawDecimal {
  if (typeof v === 'boolean') v = v ? 1n : 0n;
  if (typeof v === 'bigint') return { kind: 'finite', negative: v < 0n, coeff: v < 0n ? -v : v, exp: 0 };
  if (Number.isNaN(v)) return { kind: 'nan' };
  if (!Number.isFinite(v)) return { kind: 'inf', negative: v < 0 };
  const negative = v < 0 || Object.is(v, -0);
  if (v === 0) return { kind: 'finite', negative, coeff: 0n, exp: 0 };
  let { num, den } = exactRational(Math.abs(v));
  // as_integer_ratio() is in lowest terms: strip common factors of two.
  while (den > 1n && (num & 1n) === 0n) {
    num >>= 1n;
    den >>= 1n;
  }
  const k = den.toString(2).length - 1;
  return { kind: 'finite', negative, coeff: num * 5n ** BigInt(k), exp: -k };
}

const floorHalf = (e: number): number => Math.floor(e / 2);

/** Round `coeff · 10^exp` to `prec` significant digits, half to even (`Decimal._fix`). */
function fix(coeff: bigint, exp: number, prec: number): { coeff: bigint; exp: number } {
  const digits = coeff.toString();
  if (coeff === 0n || digits.length <= prec) return { coeff, exp };
  const drop = digits.length - prec;
  const p = 10n ** BigInt(drop);
  let q = coeff / p;
  const rem = coeff % p;
  const half = p / 2n;
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  let e = exp + drop;
  if (q.toString().length > prec) {
    q /= 10n;
    e += 1;
  }
  return { coeff: q, exp: e };
}

/** `Decimal.sqrt()` under a context of precision `prec` (InvalidOperation for negatives). */
export function decimalSqrt(x: RawDecimal, prec: number): RawDecimal {
  if (x.kind === 'nan') return x;
  if (x.kind === 'inf') {
    if (x.negative) throw new PyException('RuntimeError', "[<class 'decimal.InvalidOperation'>]");
    return x;
  }
  if (x.coeff === 0n) return { kind: 'finite', negative: x.negative, coeff: 0n, exp: floorHalf(x.exp) };
  if (x.negative) throw new PyException('RuntimeError', "[<class 'decimal.InvalidOperation'>]");
  const p = prec + 1;
  const len = x.coeff.toString().length;
  let e = floorHalf(x.exp);
  let c: bigint;
  let l: number;
  if (((x.exp % 2) + 2) % 2 === 1) {
    c = x.coeff * 10n;
    l = (len >> 1) + 1;
  } else {
    c = x.coeff;
    l = (len + 1) >> 1;
  }
  const shift = p - l;
  let exact: boolean;
  if (shift >= 0) {
    c *= 100n ** BigInt(shift);
    exact = true;
  } else {
    const d = 100n ** BigInt(-shift);
    exact = c % d === 0n;
    c /= d;
  }
  e -= shift;
  let n = 10n ** BigInt(p);
  for (;;) {
    const q = c / n;
    if (n <= q) break;
    n = (n + q) >> 1n;
  }
  exact = exact && n * n === c;
  if (exact) {
    if (shift >= 0) n /= 10n ** BigInt(shift);
    else n *= 10n ** BigInt(-shift);
    e += shift;
  } else if (n % 5n === 0n) {
    n += 1n;
  }
  const r = fix(n, e, prec);
  return { kind: 'finite', negative: false, coeff: r.coeff, exp: r.exp };
}

/** `str(Decimal)` (scientific notation when the exponent is positive or the number is tiny). */
export function decimalToStr(x: RawDecimal): string {
  if (x.kind === 'nan') return 'NaN';
  if (x.kind === 'inf') return x.negative ? '-Infinity' : 'Infinity';
  const sign = x.negative ? '-' : '';
  const int = x.coeff.toString();
  const leftdigits = x.exp + int.length;
  const dotplace = x.exp <= 0 && leftdigits > -6 ? leftdigits : 1;
  let intpart: string;
  let fracpart: string;
  if (dotplace <= 0) {
    intpart = '0';
    fracpart = `.${'0'.repeat(-dotplace)}${int}`;
  } else if (dotplace >= int.length) {
    intpart = int + '0'.repeat(dotplace - int.length);
    fracpart = '';
  } else {
    intpart = int.slice(0, dotplace);
    fracpart = `.${int.slice(dotplace)}`;
  }
  const e = leftdigits - dotplace;
  const exp = leftdigits === dotplace ? '' : `E${e >= 0 ? '+' : '-'}${Math.abs(e)}`;
  return sign + intpart + fracpart + exp;
}

/** A `decimal.Decimal` as a Python object. */
export class PyDecimal implements PyObject {
  readonly pyType = 'Decimal';
  constructor(readonly raw: RawDecimal) {}
  pyRepr(): string {
    return `Decimal('${decimalToStr(this.raw)}')`;
  }
  pyStr(): string {
    return decimalToStr(this.raw);
  }
  toNumber(): number {
    return Number(decimalToStr(this.raw));
  }
  pyEquals(other: PyValue): boolean {
    if (other instanceof PyDecimal) return pyEq(this.toNumber(), other.toNumber());
    return (typeof other === 'number' || typeof other === 'bigint' || typeof other === 'boolean') && pyEq(this.toNumber(), other);
  }
  pySnapshot(): JsonValue {
    return { $decimal: this.pyRepr(), float: snapshotFloat(this.toNumber()) };
  }
}
