/**
 * Equality of two numbers (answers without free symbols), as Math-Verify decides it: exactly when
 * both are rational, by its 6-decimal rule when one is written as a float, and, for values too
 * large for doubles, only by exact arithmetic or exact cancellation (DEVIATIONS.md P2, P3, P10).
 */
import { NUMERIC_HEADS } from './closed-form.js';
import { Budget, evalExact, evalFloat } from './evaluate.js';
import type { MathJson } from './latex-engine.js';
import * as Q from './rational.js';
import type { MathValue } from './value.js';

type Expr = Extract<MathValue, { kind: 'expr' }>;

/** The factor a percent answer carries. */
export const scale = (e: Expr): number => (e.percent ? 0.01 : 1);

function exactOf(e: Expr, budget: Budget): Q.Rational | undefined {
  const q = evalExact(e.json, budget);
  return q && e.percent ? Q.div(q, Q.rat(100n) as Q.Rational) : q;
}

/** q rounded to `places` decimals (half away from zero), as an integer count of 10^-places: exact. */
function roundAt(q: Q.Rational, places: number): bigint {
  const scaled = Q.mul(q, Q.rat(10n ** BigInt(places)) as Q.Rational);
  const r = Q.floorDiv(2n * (scaled.n < 0n ? -scaled.n : scaled.n) + scaled.d, 2n * scaled.d);
  return scaled.n < 0n ? -r : r;
}
const round6 = (q: Q.Rational): bigint => roundAt(q, 6);

/** Decimals a written decimal has (`0.00672` → 5, `5.89\times10^{-7}` → 9): the larger power of 2 or 5 in its denominator. */
function decimals(q: Q.Rational): number {
  let [d, twos, fives] = [q.d, 0, 0];
  while (d % 2n === 0n) [d, twos] = [d / 2n, twos + 1];
  while (d % 5n === 0n) [d, fives] = [d / 5n, fives + 1];
  return d === 1n ? Math.max(twos, fives) : Infinity;
}

/**
 * Math-Verify's rule when one side is written as a float: equal when both round to the same 6
 * decimals (`0.000496` = `\frac{2016}{2017^2}`, `0.333333` = `\frac13`, `0.333` ≠ `\frac13`).
 * Deviation: when both round to 0 (below 5e-7) they are compared to 6 significant digits, so
 * `2.88\times10^{-19}` ≠ `2.88\times10^{-20}` (Math-Verify calls every pair of tiny values equal).
 */
function decimalsEqual(a: Q.Rational, b: Q.Rational): boolean {
  const [ra, rb] = [round6(a), round6(b)];
  if (ra !== 0n || rb !== 0n) return ra === rb;
  if (a.n === 0n || b.n === 0n) return a.n === b.n;
  const diff = Q.sub(a, b);
  const big = Q.toNumber(a) >= 0 ? a : Q.neg(a);
  // |a − b| ≤ 5e-6 · |a|, exactly.
  return Q.toNumber(Q.div(diff.n < 0n ? Q.neg(diff) : diff, big) as Q.Rational) <= 5e-6;
}

/** Trees that hold a real infinity: their float value ∞ is meant, not an overflow. */
const INFINITE_HEADS = new Set(['PositiveInfinity', 'NegativeInfinity', 'ComplexInfinity']);
/** Whether any node of the tree has one of `heads` as its head (or is one of them, as a symbol). */
export function hasHead(j: MathJson, heads: Set<string>): boolean {
  if (typeof j === 'string') return heads.has(j);
  return Array.isArray(j) && j.some((x, k) => (k === 0 ? typeof x === 'string' && heads.has(x) : hasHead(x, heads)));
}

/** Past this magnitude a double cannot tell `N` from `N+1`, so a float comparison is no evidence of equality. */
const FLOAT_EXACT_LIMIT = 1e11;

/**
 * Numbers (no free symbols): exactly when both are rational; Math-Verify's 6-decimal rule when one
 * was written as a float; in doubles otherwise, except beyond `FLOAT_EXACT_LIMIT`, where only
 * `hugeEqual`'s term-by-term cancellation can call them equal (`(10^6)!+1` ≠ `(10^6)!`).
 */
export function numbersEqual(g: Expr, p: Expr, budget: Budget): boolean {
  const qg = exactOf(g, budget);
  const qp = exactOf(p, budget);
  if (qg && qp) {
    if (!g.approx && !p.approx) return Q.eq(qg, qp);
    // Math-Verify (SymPy 1.14): an exact integer equals a float only when the float is that integer
    // (`3` ≠ `2.9999999`, `0.0000001` ≠ `0`).
    if ((!g.approx && Q.isInt(qg) && !g.percent) || (!p.approx && Q.isInt(qp) && !p.percent)) return Q.eq(qg, qp);
    // Deviation: two floats are compared at the precision of the less precise one when it has more
    // than 6 decimals (`0.0000672` ≠ `0.00006726`, `5.89\times10^{-7}` ≠ `5.49\times10^{-7}`).
    if (g.approx && p.approx) {
      const places = Math.min(decimals(qg), decimals(qp));
      if (places > 6) return roundAt(qg, places) === roundAt(qp, places);
    }
    return decimalsEqual(qg, qp);
  }
  const fg = qg ? Q.toNumber(qg) : evalFloat(g.json, new Map(), budget) * scale(g);
  const fp = qp ? Q.toNumber(qp) : evalFloat(p.json, new Map(), budget) * scale(p);
  if (Number.isNaN(fg) || Number.isNaN(fp)) return false;
  const infinite = hasHead(g.json, INFINITE_HEADS) || hasHead(p.json, INFINITE_HEADS);
  if (infinite && (!Number.isFinite(fg) || !Number.isFinite(fp))) return fg === fp;
  const big = Math.max(Math.abs(fg), Math.abs(fp));
  if (g.approx || p.approx) {
    if (!g.approx && qg && Q.isInt(qg) && !g.percent) return fp === fg;
    if (!p.approx && qp && Q.isInt(qp) && !p.percent) return fp === fg;
    if (!Number.isFinite(big)) return false;
    // A float against an irrational value: Math-Verify's 6 decimals, with the tiny-value deviation above;
    // past 1e9 a double has no 6 decimals left, so 12 significant digits are compared.
    if (big > 1e9) return Math.abs(fg - fp) <= 1e-12 * big;
    const [ra, rb] = [Math.round(fg * 1e6), Math.round(fp * 1e6)];
    if (ra !== 0 || rb !== 0) return ra === rb;
    return fg === fp || (fg !== 0 && fp !== 0 && Math.abs(fg - fp) <= 5e-6 * big);
  }
  if (!(big < FLOAT_EXACT_LIMIT)) return hugeEqual(g.json, p.json, budget);
  // Integrals and limits are computed numerically, to about 1e-9.
  const tol = hasHead(g.json, NUMERIC_HEADS) || hasHead(p.json, NUMERIC_HEADS) ? 1e-8 : 1e-12;
  return Math.abs(fg - fp) <= tol * Math.max(1, big);
}

/** A tree as signed terms (`a - b + c` → +a, −b, +c) or as factors with exponents (`a/b` → a¹, b⁻¹). */
function terms(j: MathJson, sign: number, out: [MathJson, number][]): [MathJson, number][] {
  const h = Array.isArray(j) ? j[0] : undefined;
  const xs = Array.isArray(j) ? j.slice(1) : [];
  if (h === 'Add') xs.forEach((x) => terms(x, sign, out));
  else if (h === 'Subtract' && xs.length === 2) {
    terms(xs[0] as MathJson, sign, out);
    terms(xs[1] as MathJson, -sign, out);
  }
  else if (h === 'Negate' && xs.length === 1) terms(xs[0] as MathJson, -sign, out);
  else if (h === 'Delimiter' && xs.length === 1) terms(xs[0] as MathJson, sign, out);
  else out.push([j, sign]);
  return out;
}
function factors(j: MathJson, exp: number, out: [MathJson, number][]): [MathJson, number][] {
  const h = Array.isArray(j) ? j[0] : undefined;
  const xs = Array.isArray(j) ? j.slice(1) : [];
  if ((h === 'Multiply' || h === 'InvisibleOperator') && !(h === 'InvisibleOperator' && xs.length === 2 && typeof xs[0] === 'number' && Array.isArray(xs[1]) && xs[1][0] === 'Divide')) {
    xs.forEach((x) => factors(x, exp, out));
  } else if (h === 'Divide' && xs.length === 2) {
    factors(xs[0] as MathJson, exp, out);
    factors(xs[1] as MathJson, -exp, out);
  }
  else if (h === 'Delimiter' && xs.length === 1) factors(xs[0] as MathJson, exp, out);
  else out.push([j, exp]);
  return out;
}

/** What is left of gold − pred (or gold ÷ pred) after identical parts cancel: tree key → weight. */
function cancel(gs: [MathJson, number][], ps: [MathJson, number][]): [MathJson, number][] {
  const left = new Map<string, [MathJson, number]>();
  for (const [j, w] of [...gs, ...ps.map(([j, w]): [MathJson, number] => [j, -w])]) {
    const k = JSON.stringify(j);
    left.set(k, [j, (left.get(k)?.[1] ?? 0) + w]);
  }
  return [...left.values()].filter(([, w]) => w !== 0);
}

/**
 * Two numbers too large for doubles to compare: equal only when, after identical terms (then
 * identical factors) cancel, what is left is exactly or safely numerically zero (or one). So
 * `(10^6)!` = `(10^6)!`, `10^{20}\sqrt2` = `\sqrt2\cdot10^{20}`, but `(10^6)!+1` ≠ `(10^6)!`.
 */
function hugeEqual(g: MathJson, p: MathJson, budget: Budget): boolean {
  const rest = cancel(terms(g, 1, []), terms(p, 1, []));
  if (rest.length === 0) return true;
  const exact = rest.map(([j, w]) => {
    const q = evalExact(j, budget);
    return q && Q.mul(q, Q.rat(BigInt(w)) as Q.Rational);
  });
  if (exact.every((q) => q !== undefined)) return (exact as Q.Rational[]).reduce(Q.add, Q.rat(0n) as Q.Rational).n === 0n;
  const floats = rest.map(([j, w]) => w * evalFloat(j, new Map(), budget));
  const top = Math.max(...floats.map(Math.abs));
  if (top < FLOAT_EXACT_LIMIT) return Math.abs(floats.reduce((a, b) => a + b, 0)) <= 1e-9 * Math.max(1, top);
  // One term left on each side: compare their factors the same way (gold ÷ pred = 1).
  const [gt, pt] = [rest.filter(([, w]) => w > 0), rest.filter(([, w]) => w < 0)];
  if (gt.length !== 1 || pt.length !== 1 || gt[0]?.[1] !== 1 || pt[0]?.[1] !== -1) return false;
  const ratio = cancel(factors(gt[0][0], 1, []), factors(pt[0][0], 1, []));
  if (ratio.length === 0) return true;
  const exactRatio = ratio.map(([j, e]) => {
    const q = evalExact(j, budget);
    return q && Q.pow(q, BigInt(e));
  });
  if (exactRatio.every((q) => q !== undefined)) return Q.eq((exactRatio as Q.Rational[]).reduce(Q.mul, Q.rat(1n) as Q.Rational), Q.rat(1n) as Q.Rational);
  const logs = ratio.map(([j, e]) => e * Math.log(evalFloat(j, new Map(), budget)));
  return logs.every(Number.isFinite) && Math.abs(logs.reduce((a, b) => a + b, 0)) <= 1e-13 * Math.max(1, ...logs.map(Math.abs));
}
