/**
 * One hand-written case (or a few) per row of DEVIATIONS.md that no other test pins: the checker's
 * documented departures from Math-Verify, in both directions (the wrong answer is rejected, the
 * right one still accepted).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verify } from './verify.js';

const boxed = (gold: string, pred: string): boolean => verify(gold, `The answer is $\\boxed{${pred}}$.`).correct;

function check(cases: [gold: string, pred: string, expected: boolean][]): void {
  const wrong = cases.filter(([g, p, want]) => boxed(g, p) !== want).map(([g, p, want]) => `${g} vs ${p}: expected ${want}`);
  assert.deepEqual(wrong, []);
}

test('P6: the same unit with another power is another answer; a unit alone is still stripped', () => {
  check([
    ['864 \\mbox{ inches}^2', '864 \\mbox{ inches}^3', false],
    ['864 \\mbox{ inches}^2', '864 \\text{ inches}^2', true],
    ['864 \\mbox{ inches}^2', '864', true],
    ['15\\text{ cm}^2', '15 cm', false],
    ['15 \\text{ square feet}', '15\\text{ feet}^2', true],
    ['5.4 \\text{ cents}', '5.4 \\text{ cents}^{2}', false],
  ]);
});

test('P7: a predicted equation counts by its right side only when its left side names the quantity', () => {
  check([
    ['3', 'x = 3', true],
    ['7', '3 + 4 = 7', true],
    ['0', '5x - 7y + 11z + 4 = 0', false],
    ['6', '9x = 6', false],
    ['\\frac{e^{t}}{3} + ce^{-2t}', 'x = \\frac{e^{t}}{3} + ce^{-2t}', true],
    ['\\frac{e^{t}}{3} + ce^{-2t}', '9x = \\frac{e^{t}}{3} + ce^{-2t}', false],
  ]);
});

test('P8: nothing inside an unparseable box is graded; identical unparsed text still matches', () => {
  check([
    ["y^{\\prime}+ry-rx(t)=0", "y^{\\prime}+ry-rx(t)=0", true],
    ["y^{\\prime}+ry-rx(t)=0", "y^{\\prime+1}+ry-rx(t)=0", false],
    ['0', "y^{\\prime}+ry-rx(t)=0", false],
  ]);
});

test('P10: huge values are compared exactly, never with a relative tolerance', () => {
  check([
    ['2^{1009}', '42^{1009}', false],
    ['2^{1009}', '2^{1009}', true],
    ['2^{1009}', '2 \\cdot 2^{1008}', true],
    ['1500!', '1500! + 1', false],
    ['(10^6)!', '(10^6)! + 1', false],
    ['(10^6)!', '(10^{6})!', true],
    ['10^{20}\\sqrt{2}', '\\sqrt{2}\\cdot 10^{20}', true],
    ['10^{20}\\sqrt{2}', '\\sqrt{2}\\cdot 10^{20} + 1', false],
    ['10^{20}\\sqrt{2}', '\\sqrt{8}\\cdot 10^{20} / 2', true],
  ]);
});

test('P11-P13: malformed tuples, membership of an expression, true numeric relations, partial parses', () => {
  check([
    ['(6,31,-1)', '(6,31,-1]', false],
    ['(6,31,-1)', '(6,31,-1)', true],
    ['x \\in [-2,7]', '3x \\in [-2,7]', false],
    ['x \\in [-2,7]', '[-2,7]', true],
    ['\\frac{5}{19} < \\frac{7}{21} < \\frac{9}{23}', '\\frac{5}{20} < \\frac{7}{21} < \\frac{9}{23}', false],
    ['\\frac{5}{19} < \\frac{7}{21} < \\frac{9}{23}', '\\frac{5}{19} < \\frac{1}{3} < \\frac{9}{23}', true],
    ['ml\\ddot{\\theta}(t) - mg\\sin\\theta(t) = f(t)\\cos\\theta(t)', 'ml\\ddot{\\theta}(t) + mg\\sin\\theta(t) = f(t)\\cos\\theta(t)', false],
  ]);
});

test('M1: integer functions are checked at integer points', () => {
  check([
    ['\\lfloor\\frac{2n-1}{5}\\rfloor', '\\lfloor\\frac{2n-1}{6}\\rfloor', false],
    ['\\lfloor x \\rfloor + 1', '\\lfloor x + 1 \\rfloor', true],
    ['\\lfloor\\frac{2n-1}{5}\\rfloor', '\\left\\lfloor \\frac{2n-1}{5} \\right\\rfloor', true],
    ['n \\bmod 3', 'n \\bmod 4', false],
  ]);
});
