/**
 * Python number conversions and rounding: `float()`, `int()`, `round()` (round-half-even on the
 * exact binary value, SPEC §6.4) and `format(x, '.Nf')`. All rounding is done on the exact
 * rational value of the double with BigInt, as CPython does, so `round(2.675, 2) == 2.67`.
 */
import { pyRaise } from './errors.js';
import { reprStr } from './repr-str.js';
import { typeName, type PyValue } from './value.js';

/** The exact value of a finite double as `num / den` (den a power of two). */
export function exactRational(x: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? frac : frac | (1n << 52n);
  const exp = (expBits === 0 ? 1 : expBits) - 1075;
  const signed = neg ? -mant : mant;
  if (exp >= 0) return { num: signed << BigInt(exp), den: 1n };
  return { num: signed, den: 1n << BigInt(-exp) };
}

/** `num / den` rounded half to even (den > 0). */
function divHalfEven(num: bigint, den: bigint): bigint {
  const neg = num < 0n;
  const a = neg ? -num : num;
  let q = a / den;
  const r2 = (a % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/** `x` scaled by 10^digits and rounded half-even, exactly. */
function scaledRound(x: number, digits: number): bigint {
  const { num, den } = exactRational(x);
  if (digits >= 0) return divHalfEven(num * 10n ** BigInt(digits), den);
  return divHalfEven(num, den * 10n ** BigInt(-digits));
}

/** An int-like argument (int or bool) as a bigint, TypeError otherwise (Python's `__index__`). */
export function asIndex(v: PyValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return pyRaise('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`);
}

/**
 * `round(x)` / `round(x, ndigits)`.
 *
 * @example
 * pyRound(2.675, 2n) // 2.67
 * pyRound(2.5, 0n)   // 2.0 (a float)
 * pyRound(2.5)       // 2n  (an int)
 * pyRound(7n, 2n)    // 7n
 */
export function pyRound(x: PyValue, ndigits: PyValue = null): PyValue {
  if (typeof x === 'boolean') x = x ? 1n : 0n;
  if (typeof x !== 'bigint' && typeof x !== 'number') {
    return pyRaise('TypeError', `type ${typeName(x)} doesn't define __round__ method`);
  }
  if (ndigits === null) {
    if (typeof x === 'bigint') return x;
    if (Number.isNaN(x)) return pyRaise('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x)) return pyRaise('OverflowError', 'cannot convert float infinity to integer');
    return scaledRound(x, 0);
  }
  const n = asIndex(ndigits);
  if (typeof x === 'bigint') {
    if (n >= 0n) return x;
    return divHalfEven(x, 10n ** -n) * 10n ** -n;
  }
  if (!Number.isFinite(x) || x === 0) return x;
  // Beyond these, the double is already exact at that precision / rounds to zero (CPython's limits).
  if (n > 400n) return x;
  if (n < -400n) return 0 * x;
  const q = scaledRound(x, Number(n));
  const r = Number(`${q}e${-Number(n)}`);
  return q === 0n && x < 0 ? -0 : r;
}

/**
 * `format(x, '.{digits}f')` / `f"{x:.2f}"`: fixed notation, round-half-even on the exact value
 * (JS `toFixed` rounds ties up).
 *
 * @example
 * formatFixed(0.125, 2) // '0.12'
 * formatFixed(119n, 2)  // '119.00'
 */
export function formatFixed(x: PyValue, digits: number): string {
  if (typeof x === 'boolean') x = x ? 1n : 0n;
  if (typeof x === 'bigint') x = Number(x);
  if (typeof x !== 'number') return pyRaise('ValueError', `Unknown format code 'f' for object of type '${typeName(x)}'`);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const q = scaledRound(x, digits);
  const neg = x < 0 || Object.is(x, -0);
  const text = (q < 0n ? -q : q).toString().padStart(digits + 1, '0');
  const body = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return neg ? `-${body}` : body;
}

// Python's float() literal: digits [. [digits]] | . digits, then an optional exponent. Written
// so each digit run has one way to match (the former form split runs between two optional
// groups and backtracked quadratically on long hostile arguments).
const FLOAT_TEXT = /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf|infinity|nan)$/i;

/**
 * `float(v)`.
 *
 * @example
 * pyFloat(5n)      // 5 (a float)
 * pyFloat(' 2.5 ') // 2.5
 */
export function pyFloat(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') {
    const f = Number(v);
    if (!Number.isFinite(f)) pyRaise('OverflowError', 'int too large to convert to float');
    return f;
  }
  if (typeof v === 'string') {
    const t = v.trim();
    if (!FLOAT_TEXT.test(t)) return pyRaise('ValueError', `could not convert string to float: ${reprStr(v)}`);
    const lower = t.toLowerCase().replace(/_/g, '');
    const sign = lower.startsWith('-') ? -1 : 1;
    const body = lower.replace(/^[+-]/, '');
    if (body === 'inf' || body === 'infinity') return sign * Infinity;
    if (body === 'nan') return NaN;
    return Number(lower);
  }
  return pyRaise('TypeError', `float() argument must be a string or a real number, not '${typeName(v)}'`);
}

/**
 * `int(v)`: truncates floats, parses base-10 strings.
 *
 * @example
 * pyInt('12345') // 12345n
 * pyInt(-2.7)    // -2n
 */
export function pyInt(v: PyValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return pyRaise('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(v)) return pyRaise('OverflowError', 'cannot convert float infinity to integer');
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') {
    const t = v.trim();
    if (!/^[+-]?\d(?:_?\d)*$/.test(t)) return pyRaise('ValueError', `invalid literal for int() with base 10: ${reprStr(v)}`);
    return BigInt(t.replace(/_/g, ''));
  }
  return pyRaise(
    'TypeError',
    `int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`,
  );
}
