/**
 * MathAPI (upstream `math_api.py`, docs `math_api.json`; SPEC.md §7.2): stateless arithmetic.
 * TypeErrors are caught and returned as the method's error dict where upstream catches them;
 * other exceptions propagate. `logarithm` returns an mpmath `mpf` and `square_root` a `Decimal`,
 * so their result strings are Python reprs (`{'result': mpf('2.0')}`).
 */
import { decimalFromNumber, decimalSqrt, PyDecimal } from '../python/decimal.js';
import { pyEq } from '../python/equality.js';
import { PyException } from '../python/errors.js';
import { Mpc, Mpf, dpsToPrec, mpDiv, mpDivMixed, mpLogReal, mpfFromNumber, normalize, type RawMpc, type RawMpf } from '../python/mpmath.js';
import { asIndex, pyInt, pyRound } from '../python/number.js';
import { add, contains, iterate, len, lt, mul, pyAbs, pyMax, pyMin, sub, sum, truediv, truthy } from '../python/ops.js';
import { pyPow } from '../python/power.js';
import { pyRepr, pyStr } from '../python/repr.js';
import { dict, isNumber, type PyDict, type PyValue } from '../python/value.js';
import { BfclApi, defMethod, param, type MethodSpec } from './types.js';

const TO_METERS: ReadonlyMap<string, bigint | number> = new Map<string, bigint | number>([
  ['km', 1000n],
  ['m', 1n],
  ['cm', 0.01],
  ['mm', 0.001],
  ['um', 1e-6],
  ['nm', 1e-9],
]);

const IMPERIAL: ReadonlyMap<string, number> = new Map([
  ['cm_to_in', 0.393701],
  ['in_to_cm', 2.54],
  ['m_to_ft', 3.28084],
  ['ft_to_m', 0.3048],
  ['m_to_yd', 1.09361],
  ['yd_to_m', 0.9144],
  ['km_to_miles', 0.621371],
  ['miles_to_km', 1.60934],
  ['kg_to_lb', 2.20462],
  ['lb_to_kg', 0.453592],
  ['celsius_to_fahrenheit', 1.8],
  ['fahrenheit_to_celsius', 5 / 9],
]);

const result = (v: PyValue): PyDict => dict({ result: v });
const error = (message: string): PyDict => dict({ error: message });

/** Run `f`; a Python TypeError becomes `{"error": message}` (upstream's `except TypeError`). */
function catchTypeError(message: string, f: () => PyValue): PyValue {
  try {
    return f();
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'TypeError') return error(message);
    throw e;
  }
}

/**
 * mpmath's `convert` of a log argument: ints and floats exactly, decimal strings rounded to `prec`
 * bits, anything else a TypeError naming the value's repr.
 */
function toMpf(v: PyValue, prec: number): RawMpf {
  if (typeof v === 'bigint' || typeof v === 'number') return mpfFromNumber(v);
  if (typeof v === 'boolean') return mpfFromNumber(v ? 1n : 0n);
  if (typeof v === 'string') {
    // Trimmed first: `^\s*…\s*$` backtracked quadratically on long runs of whitespace.
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(v.trim());
    if (m && `${m[2] ?? ''}${m[3] ?? ''}` !== '') {
      const digits = BigInt(`${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}` || '0');
      const exp10 = Number(m[4] ?? '0') - (m[3] ?? '').length;
      if (exp10 >= 0) return normalize(digits * 10n ** BigInt(exp10), 0, prec);
      return mpDiv(mpfFromNumber(digits), mpfFromNumber(10n ** BigInt(-exp10)), prec);
    }
  }
  throw new PyException('TypeError', `cannot create mpf from ${pyRepr(v)}`);
}

/** `key in dict` for the unit tables (TypeError for unhashable keys, like Python). */
function unitKnown(table: ReadonlyMap<string, unknown>, unit: PyValue): boolean {
  return contains(new Map([...table.keys()].map((k) => [k, null])), unit);
}

export class MathAPI extends BfclApi {
  readonly className = 'MathAPI';

  loadScenario(): void {
    // Stateless: upstream never loads a scenario into MathAPI.
  }

  publicState(): ReadonlyArray<readonly [string, PyValue]> {
    return [];
  }

  protected methodTable(): Record<string, MethodSpec> {
    const nums = (v: PyValue): PyValue[] => iterate(v);
    return {
      logarithm: defMethod([param('value'), param('base'), param('precision')], (value, base, precision) => {
        try {
          // mpmath.mp.dps = precision (int() of it), then log(value) / log(base).
          const prec = dpsToPrec(pyInt(precision));
          const ln = (v: PyValue): RawMpf | RawMpc => mpLogReal(toMpf(v, prec), prec);
          const r = mpDivMixed(ln(value), ln(base), prec);
          return result(Array.isArray(r) ? new Mpc(r as RawMpc, prec) : new Mpf(r as RawMpf, prec));
        } catch (e) {
          if (e instanceof PyException) return error(e.pyMessage);
          throw e;
        }
      }),
      mean: defMethod([param('numbers')], (numbers) => {
        if (!truthy(numbers)) return error('Cannot calculate mean of an empty list');
        return catchTypeError('All elements in the list must be numbers', () => result(truediv(sum(nums(numbers)), len(numbers))));
      }),
      standard_deviation: defMethod([param('numbers')], (numbers) => {
        if (!truthy(numbers)) return error('Cannot calculate standard deviation of an empty list');
        return catchTypeError('All elements in the list must be numbers', () => {
          const items = nums(numbers);
          const mean = truediv(sum(items), len(numbers));
          const variance = truediv(sum(items.map((x) => pyPow(sub(x, mean), 2n))), len(numbers));
          return result(Math.sqrt(variance));
        });
      }),
      si_unit_conversion: defMethod([param('value'), param('unit_in'), param('unit_out')], (value, unitIn, unitOut) => {
        if (!isNumber(value)) return error('Value must be a number');
        if (!unitKnown(TO_METERS, unitIn) || !unitKnown(TO_METERS, unitOut)) {
          return error(`Conversion from '${pyStr(unitIn)}' to '${pyStr(unitOut)}' is not supported`);
        }
        const toM = TO_METERS.get(unitIn as string) ?? 1n;
        const fromM = truediv(1n, TO_METERS.get(unitOut as string) ?? 1n);
        return result(mul(mul(value, toM), fromM));
      }),
      imperial_si_conversion: defMethod([param('value'), param('unit_in'), param('unit_out')], (value, unitIn, unitOut) => {
        if (!isNumber(value)) return error('Value must be a number');
        if (pyEq(unitIn, unitOut)) return result(value);
        const key = `${pyStr(unitIn)}_to_${pyStr(unitOut)}`;
        const factor = IMPERIAL.get(key);
        if (factor === undefined) return error(`Conversion from '${pyStr(unitIn)}' to '${pyStr(unitOut)}' is not supported`);
        if (unitIn === 'celsius' && unitOut === 'fahrenheit') return result(add(mul(value, factor), 32n));
        if (unitIn === 'fahrenheit' && unitOut === 'celsius') return result(mul(sub(value, 32n), factor));
        return result(mul(value, factor));
      }),
      add: defMethod([param('a'), param('b')], (a, b) => catchTypeError('Both inputs must be numbers', () => result(add(a, b)))),
      subtract: defMethod([param('a'), param('b')], (a, b) =>
        catchTypeError('Both inputs must be numbers', () => result(sub(a, b))),
      ),
      multiply: defMethod([param('a'), param('b')], (a, b) => {
        if (!isNumber(a) || !isNumber(b)) return error('Both inputs must be numbers');
        return result(mul(a, b));
      }),
      divide: defMethod([param('a'), param('b')], (a, b) =>
        catchTypeError('Both inputs must be numbers', () => {
          if (pyEq(b, 0n)) return error('Cannot divide by zero');
          return result(truediv(a, b));
        }),
      ),
      power: defMethod([param('base'), param('exponent')], (base, exponent) =>
        catchTypeError('Both inputs must be numbers', () => result(pyPow(base, exponent))),
      ),
      square_root: defMethod([param('number'), param('precision')], (number, precision) => {
        const invalid = 'Input must be a number or computation resulted in an invalid operation';
        try {
          if (lt(number, 0n)) return error('Cannot calculate square root of a negative number');
          const prec = asIndex(precision);
          if (prec < 1n) throw new PyException('ValueError', 'valid range for prec is [1, MAX_PREC]');
          if (!isNumber(number)) return error(invalid);
          return result(new PyDecimal(decimalSqrt(decimalFromNumber(number), Number(prec))));
        } catch (e) {
          // upstream: except (TypeError, InvalidOperation)
          if (e instanceof PyException && (e.pyType === 'TypeError' || e.pyMessage.includes('InvalidOperation'))) return error(invalid);
          throw e;
        }
      }),
      absolute_value: defMethod([param('number')], (number) =>
        catchTypeError('Input must be a number', () => result(pyAbs(number))),
      ),
      round_number: defMethod([param('number'), param('decimal_places', () => 0n)], (number, places) =>
        catchTypeError('First input must be a number, second input must be an integer', () => result(pyRound(number, places))),
      ),
      percentage: defMethod([param('part'), param('whole')], (part, whole) =>
        catchTypeError('Both inputs must be numbers', () => {
          if (pyEq(whole, 0n)) return error('Whole value cannot be zero');
          return result(mul(truediv(part, whole), 100n));
        }),
      ),
      min_value: defMethod([param('numbers')], (numbers) => {
        if (!truthy(numbers)) return error('Cannot find minimum of an empty list');
        return catchTypeError('All elements in the list must be numbers', () => result(pyMin(nums(numbers))));
      }),
      max_value: defMethod([param('numbers')], (numbers) => {
        if (!truthy(numbers)) return error('Cannot find maximum of an empty list');
        return catchTypeError('All elements in the list must be numbers', () => result(pyMax(nums(numbers))));
      }),
      sum_values: defMethod([param('numbers')], (numbers) => {
        if (!truthy(numbers)) return error('Cannot calculate sum of an empty list');
        return catchTypeError('All elements in the list must be numbers', () => result(sum(nums(numbers))));
      }),
    };
  }
}
