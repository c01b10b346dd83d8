/**
 * Evaluating MathJSON trees: exactly (bigint rationals) where the expression is rational, and in
 * doubles at given symbol values otherwise. This is an evaluator, not a CAS: symbolic equality
 * is decided by evaluating both sides at random points (see compare.ts).
 */
import { boundNames, bounds, integrate, limit, MAX_TERMS, substitute, sumFloat } from './closed-form.js';
import type { MathJson } from './latex-engine.js';
import * as Q from './rational.js';

/** Thrown when a check runs past its time limit; the verifier turns it into "not equal". */
export class TimeLimitError extends Error {}

/** A work budget shared by one verify call: node visits, checked against a wall-clock deadline. */
export class Budget {
  private ops = 0;
  private terms = 0;
  constructor(readonly deadline: number) {}
  /**
   * Claims `n` terms of a finite sum or product; false once a call has claimed 20,000, so nested
   * sums (`\sum_{i}\sum_{j}\sum_{k}`) end as "no value" at once instead of running to the time limit.
   */
  takeTerms(n: number): boolean {
    this.terms += Math.max(0, n);
    return this.terms <= 20_000;
  }
  tick(): void {
    // Date.now() every 128 nodes keeps the check cheap; an evaluation is bounded node by node.
    if ((++this.ops & 127) === 0 && Date.now() > this.deadline) throw new TimeLimitError('time limit');
  }
}

const CONSTANTS: Record<string, number> = {
  Pi: Math.PI,
  ExponentialE: Math.E,
  e: Math.E,
  PositiveInfinity: Infinity,
  NegativeInfinity: -Infinity,
  ComplexInfinity: Infinity,
  GoldenRatio: (1 + Math.sqrt(5)) / 2,
};

/** Symbol names as compared: case-insensitive, like Math-Verify (`X` = `x`). */
export function symbolName(s: string): string {
  return s.toLowerCase();
}

const op = (j: MathJson): string | undefined => (Array.isArray(j) && typeof j[0] === 'string' ? j[0] : undefined);
const args = (j: MathJson[]): MathJson[] => j.slice(1);

/** The free symbols of a tree (lower-cased), excluding constants and function heads. */
export function freeSymbols(j: MathJson, out: Set<string> = new Set()): Set<string> {
  if (typeof j === 'string') {
    if (!(j in CONSTANTS) && !j.startsWith("'") && j !== 'Nothing') out.add(symbolName(j));
  } else if (Array.isArray(j)) {
    const bound = boundNames(j);
    if (bound.length === 0) {
      for (const a of args(j)) freeSymbols(a, out);
    } else {
      // Σ_k, ∫ dx, lim_{n→…}: the bound variable is not free; the bounds' own symbols are.
      const inner = new Set<string>();
      for (const a of args(j)) freeSymbols(a, inner);
      for (const b of bound) inner.delete(symbolName(b));
      for (const x of inner) out.add(x);
    }
  } else if (typeof j === 'object' && 'sym' in j) out.add(symbolName(j.sym));
  return out;
}

/** `2\frac{1}{2}` is the mixed number 5/2, not 2·(1/2). */
function mixedNumber(j: MathJson[]): [MathJson, MathJson] | undefined {
  const [, whole, frac] = j;
  if (j.length !== 3 || typeof whole !== 'number' || !Number.isInteger(whole) || whole < 0) return undefined;
  if (op(frac as MathJson) !== 'Divide') return undefined;
  const [, a, b] = frac as MathJson[];
  return typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b) ? [whole, frac as MathJson] : undefined;
}

function literal(j: MathJson): Q.Rational | undefined {
  // The shortest decimal of the double is what was written (`7.0\times10^{37}` arrives as 7e+37, exactly 7·10^37).
  if (typeof j === 'number') return Number.isFinite(j) ? Q.parseDecimal(String(j)) : undefined;
  if (typeof j === 'object' && !Array.isArray(j) && 'num' in j) return Q.parseDecimal(j.num.replace(/\.\.\.$|\(\d+\)$/, ''));
  return undefined;
}

function factorial(n: bigint): bigint {
  let r = 1n;
  for (let k = 2n; k <= n; k++) r *= k;
  return r;
}

/** Results past a few times MAX_BITS are refused: each product of such numbers costs more, and no answer needs them. */
const sized = (q: Q.Rational | undefined): Q.Rational | undefined => (q && Q.bits(q.n) <= 4 * Q.MAX_BITS && Q.bits(q.d) <= 4 * Q.MAX_BITS ? q : undefined);

/** Exact value when the tree is rational arithmetic; undefined otherwise (irrational, symbolic, too big). */
export function evalExact(j: MathJson, budget: Budget): Q.Rational | undefined {
  budget.tick();
  const lit = literal(j);
  if (lit !== undefined || !Array.isArray(j)) return lit;
  const head = op(j);
  const xs = args(j);
  const all = (): Q.Rational[] | undefined => {
    const vs = xs.map((x) => evalExact(x, budget));
    return vs.every((v) => v !== undefined) ? (vs as Q.Rational[]) : undefined;
  };
  switch (head) {
    case 'Delimiter':
      return xs.length === 1 ? evalExact(xs[0] as MathJson, budget) : undefined;
    case 'Add': {
      const vs = all();
      return sized(vs?.reduce(Q.add, Q.rat(0n) as Q.Rational));
    }
    case 'Subtract': {
      const vs = all();
      return vs && vs.length === 2 ? Q.sub(vs[0] as Q.Rational, vs[1] as Q.Rational) : undefined;
    }
    case 'Negate': {
      const vs = all();
      return vs && vs.length === 1 ? Q.neg(vs[0] as Q.Rational) : undefined;
    }
    case 'InvisibleOperator': {
      const mixed = mixedNumber(j);
      if (mixed) {
        const [w, f] = [evalExact(mixed[0], budget), evalExact(mixed[1], budget)];
        return w && f ? Q.add(w, f) : undefined;
      }
      const vs = all();
      return sized(vs?.reduce(Q.mul, Q.rat(1n) as Q.Rational));
    }
    case 'Multiply': {
      const vs = all();
      return sized(vs?.reduce(Q.mul, Q.rat(1n) as Q.Rational));
    }
    case 'Divide':
    case 'Rational': {
      const vs = all();
      return vs && vs.length === 2 ? Q.div(vs[0] as Q.Rational, vs[1] as Q.Rational) : undefined;
    }
    case 'Power': {
      const vs = all();
      if (!vs || vs.length !== 2) return undefined;
      const [b, e] = vs as [Q.Rational, Q.Rational];
      if (!Q.isInt(e) || (e.n > 100_000n || e.n < -100_000n)) return undefined;
      return Q.pow(b, e.n);
    }
    case 'Sqrt': {
      const v = xs.length === 1 ? evalExact(xs[0] as MathJson, budget) : undefined;
      if (!v || v.n < 0n) return undefined;
      const r = (x: bigint): bigint | undefined => {
        if (Q.bits(x) > 2000) return undefined;
        const s = BigInt(Math.round(Math.sqrt(Number(x))));
        for (const c of [s - 1n, s, s + 1n]) if (c >= 0n && c * c === x) return c;
        return undefined;
      };
      const [n, d] = [r(v.n), r(v.d)];
      return n !== undefined && d !== undefined ? Q.rat(n, d) : undefined;
    }
    case 'Factorial': {
      const v = xs.length === 1 ? evalExact(xs[0] as MathJson, budget) : undefined;
      // 1500! has about 13,700 bits: exact, so `1500!+1` is not `1500!`.
      return v && Q.isInt(v) && v.n >= 0n && v.n <= 1500n ? Q.rat(factorial(v.n)) : undefined;
    }
    case 'Sum':
    case 'Product': {
      const b = bounds(xs[1]);
      const [lo, hi] = b ? [evalExact(b.lo, budget), evalExact(b.hi, budget)] : [];
      // Bounded both ways, as sumFloat: a range written backwards is flipped, and must be as short.
      if (!b || !lo || !hi || !Q.isInt(lo) || !Q.isInt(hi) || (hi.n > lo.n ? hi.n - lo.n : lo.n - hi.n) >= BigInt(MAX_TERMS)) return undefined;
      if (!budget.takeTerms(Math.abs(Number(hi.n - lo.n)) + 1)) return undefined;
      // Karr's convention (see closed-form.ts): an empty range written backwards is the negated (inverted) complement.
      if (hi.n < lo.n - 1n) {
        const flipped = evalExact([head, xs[0] as MathJson, ['Tuple', b.name, Number(hi.n + 1n), Number(lo.n - 1n)]], budget);
        return flipped && (head === 'Sum' ? Q.neg(flipped) : Q.div(Q.rat(1n) as Q.Rational, flipped));
      }
      let acc = Q.rat(head === 'Sum' ? 0n : 1n) as Q.Rational;
      for (let k = lo.n; k <= hi.n; k++) {
        const term = evalExact(substitute(xs[0] as MathJson, b.name, Number(k)), budget);
        if (!term) return undefined;
        acc = head === 'Sum' ? Q.add(acc, term) : Q.mul(acc, term);
        if (Q.bits(acc.n) > Q.MAX_BITS || Q.bits(acc.d) > Q.MAX_BITS) return undefined;
      }
      return acc;
    }
    case 'Binomial': {
      const vs = all();
      if (!vs || vs.length !== 2 || !vs.every(Q.isInt)) return undefined;
      const [n, k] = [(vs[0] as Q.Rational).n, (vs[1] as Q.Rational).n];
      if (n < 0n || k < 0n || n > 2000n) return undefined;
      if (k > n) return Q.rat(0n);
      let r = 1n;
      for (let i = 1n; i <= k; i++) r = (r * (n - k + i)) / i;
      return Q.rat(r);
    }
    case 'Abs': {
      const v = xs.length === 1 ? evalExact(xs[0] as MathJson, budget) : undefined;
      return v && (v.n < 0n ? Q.neg(v) : v);
    }
    case 'Floor':
    case 'Ceil': {
      const v = xs.length === 1 ? evalExact(xs[0] as MathJson, budget) : undefined;
      return v && Q.rat(head === 'Floor' ? Q.floorDiv(v.n, v.d) : -Q.floorDiv(-v.n, v.d));
    }
    case 'BaseForm':
      // `52_8` is base-8 52 = 42 (compute-engine converts it; Math-Verify drops the base, a known false positive).
      return xs.length >= 1 ? evalExact(xs[0] as MathJson, budget) : undefined;
    case 'Degrees':
      // Degrees are dropped, as in Math-Verify (`90^\circ` = 90).
      return xs.length === 1 ? evalExact(xs[0] as MathJson, budget) : undefined;
    case undefined:
    default:
      return undefined;
  }
}

const TRIG: Record<string, (x: number) => number> = {
  Sin: Math.sin, Cos: Math.cos, Tan: Math.tan, Cot: (x) => 1 / Math.tan(x), Sec: (x) => 1 / Math.cos(x), Csc: (x) => 1 / Math.sin(x),
  Arcsin: Math.asin, Arccos: Math.acos, Arctan: Math.atan, Arccot: (x) => Math.atan(1 / x), Arcsec: (x) => Math.acos(1 / x), Arccsc: (x) => Math.asin(1 / x),
  Sinh: Math.sinh, Cosh: Math.cosh, Tanh: Math.tanh, Coth: (x) => 1 / Math.tanh(x), Sech: (x) => 1 / Math.cosh(x), Csch: (x) => 1 / Math.sinh(x),
  Arsinh: Math.asinh, Arcosh: Math.acosh, Artanh: Math.atanh,
  Exp: Math.exp, Ln: Math.log, Lb: Math.log2, Lg: Math.log10, Abs: Math.abs, Floor: Math.floor, Ceil: Math.ceil, Sqrt: Math.sqrt, Degrees: (x) => x,
  Sign: Math.sign,
};
const INVERSE: Record<string, string> = { Sin: 'Arcsin', Cos: 'Arccos', Tan: 'Arctan', Cot: 'Arccot', Sec: 'Arcsec', Csc: 'Arccsc' };

const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];

/** n! for real n (Γ(n+1), Lanczos), exact-ish for integers; NaN at negative integers. */
function gamma(n: number): number {
  if (Number.isInteger(n)) {
    if (n < 0) return NaN;
    if (n > 170) return Infinity;
    let r = 1;
    for (let k = 2; k <= n; k++) r *= k;
    return r;
  }
  const z = n + 1;
  if (z < 0.5) return Math.PI / (Math.sin(Math.PI * z) * gamma(-z));
  const x = z - 1;
  let a = 0.9999999999998099;
  const t = x + 7.5;
  LANCZOS.forEach((c, i) => (a += c / (x + i + 1)));
  return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
}

function gcdNum(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return NaN;
  [a, b] = [Math.abs(a), Math.abs(b)];
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Value in doubles with `env` giving each free symbol (lower-cased) a value; NaN when undefined there. */
export function evalFloat(j: MathJson, env: Map<string, number>, budget: Budget): number {
  budget.tick();
  const lit = literal(j);
  if (lit !== undefined) return Q.toNumber(lit);
  if (typeof j === 'number') return j;
  if (typeof j === 'string') return CONSTANTS[j] ?? env.get(symbolName(j)) ?? NaN;
  if (!Array.isArray(j)) return 'sym' in j ? (env.get(symbolName(j.sym)) ?? NaN) : NaN;
  const head = op(j);
  const xs = args(j);
  const f = (k: number): number => evalFloat(xs[k] as MathJson, env, budget);
  const fs = (): number[] => xs.map((x) => evalFloat(x, env, budget));
  if (head === undefined) return NaN;
  const unary = TRIG[head];
  if (unary && xs.length === 1) return unary(f(0));
  switch (head) {
    case 'Delimiter':
    case 'BaseForm':
      return xs.length >= 1 ? f(0) : NaN;
    case 'Add':
      return fs().reduce((a, b) => a + b, 0);
    case 'Subtract':
      return xs.length === 2 ? f(0) - f(1) : NaN;
    case 'Negate':
      return -f(0);
    case 'InvisibleOperator': {
      const mixed = mixedNumber(j);
      if (mixed) return evalFloat(mixed[0], env, budget) + evalFloat(mixed[1], env, budget);
      return fs().reduce((a, b) => a * b, 1);
    }
    case 'Multiply':
      return fs().reduce((a, b) => a * b, 1);
    case 'Divide':
    case 'Rational':
      return xs.length === 2 ? f(0) / f(1) : NaN;
    case 'Power': {
      const [b, e] = [f(0), f(1)];
      if (b < 0 && !Number.isInteger(e)) {
        // Odd roots of negatives are real (`(-8)^{1/3}` = -2).
        const inv = 1 / e;
        return Number.isInteger(Math.round(inv)) && Math.abs(inv - Math.round(inv)) < 1e-12 && Math.round(inv) % 2 !== 0 ? -Math.pow(-b, e) : NaN;
      }
      return Math.pow(b, e);
    }
    case 'Root': {
      const [x, n] = [f(0), f(1)];
      return x < 0 && n % 2 === 1 ? -Math.pow(-x, 1 / n) : Math.pow(x, 1 / n);
    }
    case 'Log':
      return xs.length === 2 ? Math.log(f(0)) / Math.log(f(1)) : Math.log10(f(0));
    case 'Factorial':
      return gamma(f(0));
    case 'Binomial': {
      const [n, k] = [f(0), f(1)];
      return gamma(n) / (gamma(k) * gamma(n - k));
    }
    case 'Sum':
    case 'Product':
      return sumFloat(j, env, (x, e) => evalFloat(x, e, budget), (n) => budget.takeTerms(n));
    case 'Integrate':
      return integrate(j, env, (x, e) => evalFloat(x, e, budget));
    case 'Limit':
      return limit(j, env, (x, e) => evalFloat(x, e, budget));
    case 'Max':
      return Math.max(...fs());
    case 'Min':
      return Math.min(...fs());
    case 'GCD':
      return fs().reduce(gcdNum);
    case 'LCM':
      return fs().reduce((a, b) => (a * b) / gcdNum(a, b));
    case 'Mod':
      return xs.length === 2 ? f(0) % f(1) : NaN;
    case 'Apply': {
      const inv = xs[0];
      if (Array.isArray(inv) && inv[0] === 'InverseFunction' && typeof inv[1] === 'string') {
        const g = TRIG[INVERSE[inv[1]] ?? ''];
        return g && xs.length === 2 ? g(f(1)) : NaN;
      }
      return NaN;
    }
    default:
      return OPAQUE.has(head) || /^[a-z]/.test(head) ? opaque(j, env) : NaN;
  }
}

/** Heads that name a quantity we cannot evaluate (`\dot{x}`, `y'`, `x_t`, `f(x)` with an unknown f). */
const OPAQUE = new Set(['Subscript', 'Prime', 'OverDot', 'OverDoubleDot', 'OverHat', 'OverBar', 'OverVector', 'D', 'Derivative', 'Hat', 'Bar', 'Vec']);

/**
 * A stand-in value for a quantity we cannot evaluate: a hash of its tree and of the values of the
 * symbols in it, in [0.5, 2.5). The same tree gets the same value, so `\dot{x}_0\sin t + x` equals
 * `x + \sin t\,\dot{x}_0`; different trees get unrelated values, so they differ.
 */
function opaque(j: MathJson, env: Map<string, number>): number {
  const syms = [...freeSymbols(j)].sort();
  const text = JSON.stringify(j) + syms.map((s) => `${s}=${env.get(s) ?? ''}`).join(',');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return 0.5 + 2 * ((h >>> 0) / 2 ** 32);
}
