import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeLatex } from './normalize.js';
import { parseAnswer } from './value.js';

test('normalisation: styling, boxes, units, degrees, thousands, malformed operators', () => {
  const cases: [string, string][] = [
    ['\\dfrac{1}{2}', '\\frac{1}{2}'],
    ['\\left( 3, \\frac{\\pi}{2} \\right)', '( 3, \\frac{\\pi}{2} )'],
    ['864 \\mbox{ inches}^2', '864'],
    ['5 meters', '5'],
    ['90^\\circ', '90'],
    ['\\$32,\\!348', '32348'],
    ['10{,}000', '10000'],
    ['\\frac12', '\\frac{1}{2}'],
    ['\\sqrt3', '\\sqrt{3}'],
    ['\\log_2 8', '\\log_{2}{8}'],
    ['.5', '0.5'],
    ['\\boxed{7}', '7'],
    ['\\text{yes}', '\\text{yes}'],
    ['1 \\text{ and } 2', '1 , 2'],
    ['\\\\frac{1}{3}', '\\frac{1}{3}'],
    ['k \\geqslant 2', 'k \\ge 2'],
    ['2n', '2n'],
    ['\\frac{d !}{2 k(d-k) !}', '\\frac{d!}{2 k(d-k)!}'],
    ['\\approx 8.24 \\text{ mph}', '8.24'],
    ['\\( \\frac{1}{2} \\)', '\\frac{1}{2}'],
    ['\\dot{x}_{0}', '\\dot{x_{0}}'],
  ];
  for (const [input, want] of cases) assert.equal(normalizeLatex(input), want, input);
});

test('structure: Math-Verify conventions for pairs, tuples, intervals, sets, relations, percent', () => {
  const kind = (s: string): string | undefined => parseAnswer(s)?.kind;
  assert.equal(kind('(1,2)'), 'interval');
  assert.equal(kind('(1,2,3)'), 'tuple');
  assert.equal(kind('[1,2)'), 'interval');
  assert.equal(kind('\\{1,2\\}'), 'list');
  assert.equal(kind('1, 2'), 'list');
  assert.equal(kind('10,000'), 'expr');
  assert.equal(kind('x = 3'), 'rel');
  assert.equal(kind('1 \\le x \\le 2'), 'and');
  assert.equal(kind('(-\\infty, 0) \\cup (1, \\infty)'), 'union');
  assert.equal(kind('\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}'), 'matrix');
  assert.equal(kind('\\text{Evelyn}'), 'text');
  const pct = parseAnswer('5\\%');
  assert.ok(pct?.kind === 'expr' && pct.percent);
  assert.equal(parseAnswer('\\frac{1}{'), undefined);
  assert.equal(parseAnswer('x'.repeat(2000)), undefined, 'over-long answers are refused unparsed');
});
