// Expected result strings and states below were produced by running the upstream Python class
// (gorilla c67d246, CPython 3.11) on the same scenario and calls; `null` marks a call whose upstream
// result differs on purpose (see the named test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pinGroundTruth } from '../../../test/fixtures/bfcl-api-replay.js';
import { parseCallString } from '../call-string.js';
import { jsonLoads } from '../python/json.js';
import type { PyDict } from '../python/value.js';
import { createApi, outcomeString, type BfclApi } from './index.js';

/** Execute one call string on `api` and return the executor's result string (SPEC §1.3). */
function run(api: BfclApi, call: string): string {
  const p = parseCallString(call);
  return outcomeString(api.invoke(p.name, p.positional, new Map(p.keywords)));
}

/** Run `pairs` in order on a fresh instance loaded from `config`; check each result string and the final state. */
function replay(config: string, pairs: ReadonlyArray<readonly [string, string | null]>, state: unknown): BfclApi {
  const api = createApi("MathAPI", new Map([["MathAPI", jsonLoads(config)]]) as PyDict);
  for (const [call, want] of pairs) {
    const got = run(api, call);
    if (want !== null) assert.equal(got, want, call);
  }
  assert.deepEqual(api.snapshot(), state);
  return api;
}


test("every method with its errors; mpf and Decimal reprs; Python number printing", () => {
  replay(
    "{}",
    [
      ["logarithm(value=100, base=10, precision=5)", "{'result': mpf('2.0')}"],
      ["logarithm(value=2, base=1, precision=5)", "{\"error\": \"\"}"],
      ["logarithm(value=0, base=10, precision=5)", "{'result': mpf('-inf')}"],
      ["logarithm(value=1, base=10, precision=3)", "{'result': mpf('0.0')}"],
      ["logarithm(value=1e-300, base=10, precision=40)", "{'result': mpf('-299.9999999999999999891169746944620038225701')}"],
      ["logarithm(value=7.5, base=2.5, precision=15)", "{'result': mpf('2.1989778467157897')}"],
      ["logarithm(value=7.5, base=2.5, precision=16)", "{'result': mpf('2.198977846715789997')}"],
      ["mean(numbers=[1, 2, 3, 4])", "{\"result\": 2.5}"],
      ["mean(numbers=[])", "{\"error\": \"Cannot calculate mean of an empty list\"}"],
      ["mean(numbers=[1, 'a'])", "{\"error\": \"All elements in the list must be numbers\"}"],
      ["mean([0.1, 0.2, 0.3])", "{\"result\": 0.20000000000000004}"],
      ["mean(numbers=5)", "{\"error\": \"All elements in the list must be numbers\"}"],
      ["standard_deviation(numbers=[2, 4, 4, 4, 5, 5, 7, 9])", "{\"result\": 2.0}"],
      ["standard_deviation(numbers=[1.5, 2.25])", "{\"result\": 0.375}"],
      ["standard_deviation(numbers=[])", "{\"error\": \"Cannot calculate standard deviation of an empty list\"}"],
      ["standard_deviation(numbers=['x'])", "{\"error\": \"All elements in the list must be numbers\"}"],
      ["si_unit_conversion(value=5, unit_in='km', unit_out='m')", "{\"result\": 5000.0}"],
      ["si_unit_conversion(value=5, unit_in='m', unit_out='km')", "{\"result\": 0.005}"],
      ["si_unit_conversion(value=3.3, unit_in='nm', unit_out='um')", "{\"result\": 0.0033}"],
      ["si_unit_conversion(value='5', unit_in='km', unit_out='m')", "{\"error\": \"Value must be a number\"}"],
      ["si_unit_conversion(value=5, unit_in='km', unit_out='mi')", "{\"error\": \"Conversion from 'km' to 'mi' is not supported\"}"],
      ["si_unit_conversion(value=True, unit_in='km', unit_out='km')", "{\"result\": 1.0}"],
      ["imperial_si_conversion(value=100, unit_in='celsius', unit_out='fahrenheit')", "{\"result\": 212.0}"],
      ["imperial_si_conversion(value=212, unit_in='fahrenheit', unit_out='celsius')", "{\"result\": 100.0}"],
      ["imperial_si_conversion(value=3, unit_in='m', unit_out='m')", "{\"result\": 3}"],
      ["imperial_si_conversion(value=3, unit_in='m', unit_out='ft')", "{\"result\": 9.84252}"],
      ["imperial_si_conversion(value=3, unit_in='in', unit_out='m')", "{\"error\": \"Conversion from 'in' to 'm' is not supported\"}"],
      ["imperial_si_conversion(value=None, unit_in='m', unit_out='ft')", "{\"error\": \"Value must be a number\"}"],
      ["add(a=1, b=2)", "{\"result\": 3}"],
      ["add(a=1.5, b=2)", "{\"result\": 3.5}"],
      ["add(a='x', b='y')", "{\"result\": \"xy\"}"],
      ["add(a='x', b=1)", "{\"error\": \"Both inputs must be numbers\"}"],
      ["add(a=[1], b=[2])", "{\"result\": [1, 2]}"],
      ["subtract(a=5, b=7.5)", "{\"result\": -2.5}"],
      ["subtract(a='5', b=1)", "{\"error\": \"Both inputs must be numbers\"}"],
      ["multiply(a=3, b=4)", "{\"result\": 12}"],
      ["multiply(a=True, b=4.5)", "{\"result\": 4.5}"],
      ["multiply(a='3', b=4)", "{\"error\": \"Both inputs must be numbers\"}"],
      ["divide(a=1, b=3)", "{\"result\": 0.3333333333333333}"],
      ["divide(a=1, b=0)", "{\"error\": \"Cannot divide by zero\"}"],
      ["divide(a=1, b=0.0)", "{\"error\": \"Cannot divide by zero\"}"],
      ["divide(a='1', b=2)", "{\"error\": \"Both inputs must be numbers\"}"],
      ["divide(a=6, b=3)", "{\"result\": 2.0}"],
      ["power(base=2, exponent=10)", "{\"result\": 1024}"],
      ["power(base=2, exponent=-2)", "{\"result\": 0.25}"],
      ["power(base=2.5, exponent=2)", "{\"result\": 6.25}"],
      ["power(base=-8, exponent=0.5)", "{'result': (1.7319121124709868e-16+2.8284271247461903j)}"],
      ["power(base='2', exponent=2)", "{\"error\": \"Both inputs must be numbers\"}"],
      ["power(base=0, exponent=-1)", "Error during execution: 0.0 cannot be raised to a negative power"],
      ["power(base=10.0, exponent=400)", "Error during execution: (34, 'Numerical result out of range')"],
      ["square_root(number=2, precision=10)", "{'result': Decimal('1.414213562')}"],
      ["square_root(number=16.0, precision=5)", "{'result': Decimal('4')}"],
      ["square_root(number=-4, precision=5)", "{\"error\": \"Cannot calculate square root of a negative number\"}"],
      ["square_root(number='4', precision=5)", "{\"error\": \"Input must be a number or computation resulted in an invalid operation\"}"],
      ["square_root(number=2, precision=2.5)", "{\"error\": \"Input must be a number or computation resulted in an invalid operation\"}"],
      ["square_root(number=2, precision=0)", "Error during execution: valid range for prec is [1, MAX_PREC]"],
      ["square_root(number=1e10, precision=3)", "{'result': Decimal('1.00E+5')}"],
      ["absolute_value(number=-5)", "{\"result\": 5}"],
      ["absolute_value(number=-5.5)", "{\"result\": 5.5}"],
      ["absolute_value(number='x')", "{\"error\": \"Input must be a number\"}"],
      ["round_number(number=2.675, decimal_places=2)", "{\"result\": 2.67}"],
      ["round_number(number=2.5)", "{\"result\": 2.0}"],
      ["round_number(number=7, decimal_places=2)", "{\"result\": 7}"],
      ["round_number(number=1234.5, decimal_places=-1)", "{\"result\": 1230.0}"],
      ["round_number(number='x', decimal_places=2)", "{\"error\": \"First input must be a number, second input must be an integer\"}"],
      ["round_number(number=2.5, decimal_places=1.0)", "{\"error\": \"First input must be a number, second input must be an integer\"}"],
      ["percentage(part=1, whole=3)", "{\"result\": 33.33333333333333}"],
      ["percentage(part=1, whole=0)", "{\"error\": \"Whole value cannot be zero\"}"],
      ["percentage(part='1', whole=3)", "{\"error\": \"Both inputs must be numbers\"}"],
      ["min_value(numbers=[3, 1.0, 1, 2])", "{\"result\": 1.0}"],
      ["min_value(numbers=[])", "{\"error\": \"Cannot find minimum of an empty list\"}"],
      ["min_value(numbers=[1, 'a'])", "{\"error\": \"All elements in the list must be numbers\"}"],
      ["max_value(numbers=[1, 3, 3.0])", "{\"result\": 3}"],
      ["max_value(numbers=[])", "{\"error\": \"Cannot find maximum of an empty list\"}"],
      ["max_value(numbers=['b', 'a'])", "{\"result\": \"b\"}"],
      ["sum_values(numbers=[0.1, 0.2, 0.3])", "{\"result\": 0.6000000000000001}"],
      ["sum_values(numbers=[])", "{\"error\": \"Cannot calculate sum of an empty list\"}"],
      ["sum_values(numbers=[1, 2])", "{\"result\": 3}"],
      ["sum_values(numbers=[1, None])", "{\"error\": \"All elements in the list must be numbers\"}"],
      ["mean(numbers=[1e308, 1e308])", "{\"result\": Infinity}"],
    ],
    {},
  );
});

test('logarithm reprs of the ground-truth calls match mpmath (binary precision from mp.dps)', () => {
  const api = createApi('MathAPI');
  assert.equal(run(api, 'logarithm(value=36.0,base=6.0,precision=4)'), "{'result': mpf('2.0')}");
  assert.equal(run(api, 'logarithm(value=20,base=10,precision=2)'), "{'result': mpf('1.3027')}");
  assert.equal(run(api, 'logarithm(value=630.0, base=10, precision=5)'), "{'result': mpf('2.7993393')}");
  assert.equal(run(api, 'logarithm(value=980.0, base=20, precision=10)'), "{'result': mpf('2.299121531134')}");
  assert.equal(run(api, 'logarithm(value=2, base=3, precision=30)'), "{'result': mpf('0.630929753571457437099527114342763')}");
});

test('MathAPI has no state and is never loaded', () => {
  const api = createApi('MathAPI', jsonLoads('{"MathAPI": {"anything": 1}}') as PyDict);
  assert.deepEqual(api.snapshot(), {});
  assert.ok(api.stateEquals(createApi('MathAPI')));
});

test('float powers are correctly rounded as glibc pow (V8 Math.pow can be an ulp off)', () => {
  const api = createApi('MathAPI');
  // CPython on glibc: 61.036068946667825 ** -2, -70.0426497133533 ** 3, 8 ** 0.5, 26.37...
  assert.equal(run(api, 'power(base=61.036068946667825, exponent=-2)'), '{"result": 0.0002684274280152804}');
  assert.equal(run(api, 'power(base=-70.0426497133533, exponent=3)'), '{"result": -343627.33285346354}');
  assert.equal(run(api, 'power(base=8, exponent=0.5)'), '{"result": 2.8284271247461903}');
});

test('logarithm accepts what mpmath converts, returns mpc for negative arguments, reports the rest as errors', () => {
  const api = createApi('MathAPI');
  // Expected strings from upstream MathAPI (mpmath 1.2.1).
  const cases: Array<[string, string]> = [
    ["logarithm(value='100', base=10, precision=5)", "{'result': mpf('2.0')}"],
    ['logarithm(value=-10, base=10, precision=5)', "{'result': mpc(real='1.0', imag='1.3643761')}"],
    ['logarithm(value=10, base=-2, precision=5)', "{'result': mpc(real='0.15420485', imag='-0.69891262')}"],
    ['logarithm(value=-8, base=-2, precision=6)', "{'result': mpc(real='1.09284067', imag='-0.420787275')}"],
    ["logarithm(value=100, base=10, precision='5')", "{'result': mpf('2.0')}"],
    ['logarithm(value=100, base=10, precision=None)', `{"error": "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"}`],
    ['logarithm(value=None, base=10, precision=5)', '{"error": "cannot create mpf from None"}'],
    ["logarithm(value='abc', base=10, precision=3)", `{"error": "cannot create mpf from 'abc'"}`],
    ["logarithm(value='0.1', base=3, precision=25)", "{'result': mpf('-2.095903274289384604296567535')}"],
    ['logarithm(value=0, base=10, precision=3)', "{'result': mpf('-inf')}"],
    ['logarithm(value=10, base=0, precision=3)', "{'result': mpf('0.0')}"],
    ['logarithm(value=-1, base=1, precision=3)', '{"error": ""}'],
  ];
  for (const [call, want] of cases) assert.equal(run(api, call), want, call);
});

pinGroundTruth('MathAPI', { tasks: 13, calls: 14, digest: 'a78fdfde7c5b0eeba77dc450b7b494394b7f5ea532910cb1babbdc9d4c801156' });
