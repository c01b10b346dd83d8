import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Budget, evalExact, evalFloat, freeSymbols, TimeLimitError } from './evaluate.js';
import { parseLatex, type MathJson } from './latex-engine.js';
import { parseDecimal, toString } from './rational.js';

const j = (latex: string): MathJson => parseLatex(latex) as MathJson;
const budget = (): Budget => new Budget(Date.now() + 1000);

test('exact rational arithmetic on hand-computed values', () => {
  const cases: [string, string][] = [
    ['\\frac{6}{4}', '3/2'], ['2\\frac{1}{2}', '5/2'], ['0.125', '1/8'], ['2^{-2}', '1/4'], ['\\binom{10}{3}', '120'],
    ['5!', '120'], ['\\sqrt{\\frac{9}{4}}', '3/2'], ['-3+\\frac{1}{3}', '-8/3'], ['2^{100}', '1267650600228229401496703205376'],
  ];
  for (const [latex, want] of cases) assert.equal(toString(evalExact(j(latex), budget()) ?? { n: -999n, d: 1n }), want, latex);
  assert.equal(evalExact(j('\\sqrt{2}'), budget()), undefined);
  assert.equal(evalExact(j('2^{2^{100}}'), budget()), undefined, 'huge powers are refused, not computed');
  assert.equal(toString(parseDecimal('7e+37') ?? { n: 0n, d: 1n }), '70000000000000000000000000000000000000');
});

test('float evaluation: constants, functions, symbols, real gamma', () => {
  assert.ok(Math.abs(evalFloat(j('\\frac{\\sqrt{3}}{2}'), new Map(), budget()) - 0.8660254037844386) < 1e-15);
  assert.ok(Math.abs(evalFloat(j('\\log_{2} 8'), new Map(), budget()) - 3) < 1e-12);
  assert.equal(evalFloat(j('\\sqrt[3]{-8}'), new Map(), budget()), -2);
  assert.equal(evalFloat(j('x^2+y'), new Map([['x', 3], ['y', 1]]), budget()), 10);
  // (-1/2)! = Γ(1/2) = √π
  assert.ok(Math.abs(evalFloat(['Factorial', ['Negate', ['Divide', 1, 2]]], new Map(), budget()) - Math.sqrt(Math.PI)) < 1e-12);
  assert.deepEqual([...freeSymbols(j('\\pi x + e^{Y}'))].sort(), ['x', 'y']);
});

test('the budget stops a long evaluation with TimeLimitError', () => {
  const deep: MathJson = Array.from({ length: 5000 }, () => 0).reduce<MathJson>((acc) => ['Add', acc, 1], 0);
  assert.throws(() => {
    const b = new Budget(Date.now() - 1);
    for (let k = 0; k < 10; k++) evalFloat(deep, new Map(), b);
  }, TimeLimitError);
});

test('a sum written backwards over a huge range has no value and leaves the call\'s term budget alone', () => {
  const b = budget();
  assert.equal(evalExact(['Sum', 'k', ['Tuple', 'k', 1, -1e12]], b), undefined);
  assert.ok(Number.isNaN(evalFloat(['Sum', 'k', ['Tuple', 'k', 1, -1e12]], new Map(), b)));
  assert.equal(b.takeTerms(20_000), true);
});
