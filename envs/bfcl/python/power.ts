/**
 * Python's `**` on numbers (SPEC §7.2 `power`): exact int powers, float powers, and the complex
 * result Python 3 gives for a negative base with a fractional exponent.
 */
import type { JsonValue } from '../../../core/types.js';
import { PyException, pyRaise } from './errors.js';
import { mpDiv, mpfFromNumber, mpfToNumber, normalize, powPositive } from './mpmath.js';
import { asNum } from './ops.js';
import { floatRepr } from './repr-str.js';
import { snapshotFloat } from './snapshot.js';
import { typeName, type PyObject, type PyValue } from './value.js';

/** A Python `complex`. */
export class PyComplex implements PyObject {
  readonly pyType = 'complex';
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
  pyRepr(): string {
    // complex repr drops the '.0' of integral parts: (1+2j), 2j, (-0-1j).
    const part = (x: number): string => {
      const r = floatRepr(x);
      return r.endsWith('.0') ? r.slice(0, -2) : r;
    };
    const im = `${part(this.im)}j`;
    if (this.re === 0 && !Object.is(this.re, -0)) return im;
    const sign = this.im < 0 || Object.is(this.im, -0) || Number.isNaN(this.im) ? '' : '+';
    return `(${part(this.re)}${sign}${im})`;
  }
  pyEquals(other: PyValue): boolean {
    if (other instanceof PyComplex) return this.re === other.re && this.im === other.im;
    const n = asNum(other);
    return n !== undefined && this.im === 0 && Number(n) === this.re;
  }
  pySnapshot(): JsonValue {
    return { $complex: [snapshotFloat(this.re), snapshotFloat(this.im)] };
  }
}

/**
 * x ** n for an integral n, correctly rounded from the exact value (as glibc's pow; V8's
 * Math.pow can be an ulp off, which shows in printed results).
 */
function intPow(x: number, n: number): number {
  if (x === 0) return Math.pow(x, n);
  const base = mpfFromNumber(x);
  if (base.kind !== 'finite') return Math.pow(x, n);
  const k = Math.abs(n);
  const exact = normalize(base.man ** BigInt(k), base.exp * k, Number.MAX_SAFE_INTEGER);
  const r = n >= 0 ? normalize(base.man ** BigInt(k), base.exp * k, 53) : mpDiv({ kind: 'finite', man: 1n, exp: 0 }, exact, 53);
  return mpfToNumber(r);
}

// Refuse int powers whose result would exceed this many bits (Python would grind on; we stop).
const MAX_INT_POW_BITS = 1_000_000;

/**
 * `base ** exponent`.
 *
 * @example
 * pyPow(2n, 10n)  // 1024n
 * pyPow(2n, -1n)  // 0.5
 * pyPow(-8.0, 1/3) // PyComplex (1.0000000000000002+1.7320508075688772j)
 */
export function pyPow(base: PyValue, exponent: PyValue): PyValue {
  const x = asNum(base);
  const y = asNum(exponent);
  if (x === undefined || y === undefined) {
    return pyRaise('TypeError', `unsupported operand type(s) for ** or pow(): '${typeName(base)}' and '${typeName(exponent)}'`);
  }
  if (typeof x === 'bigint' && typeof y === 'bigint' && y >= 0n) {
    const bits = x === 0n || x === 1n || x === -1n ? 1 : (x < 0n ? -x : x).toString(2).length * Number(y);
    if (bits > MAX_INT_POW_BITS) return pyRaise('OverflowError', 'integer power too large for exitgym');
    return x ** y;
  }
  const fx = Number(x);
  const fy = Number(y);
  if (fx === 0 && fy < 0) return pyRaise('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  if (fy === 0 || fx === 1) return 1;
  if (fx < 0 && Number.isFinite(fy) && !Number.isInteger(fy)) {
    // CPython's complex power: |b|^y · (cos(yθ) + i sin(yθ)).
    const len = powPositive(Math.abs(fx), fy);
    const phase = Math.atan2(0, fx) * fy;
    return new PyComplex(len * Math.cos(phase), len * Math.sin(phase));
  }
  let r: number;
  if (Number.isInteger(fy) && Math.abs(fy) <= 1024 && Number.isFinite(fx)) r = intPow(fx, fy);
  else if (fx > 0 && Number.isFinite(fx) && Number.isFinite(fy)) r = powPositive(fx, fy);
  else r = Math.pow(fx, fy);
  if (!Number.isFinite(r) && Number.isFinite(fx) && Number.isFinite(fy)) {
    throw new PyException('OverflowError', "(34, 'Numerical result out of range')");
  }
  return r;
}
