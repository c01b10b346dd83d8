/**
 * Closed forms Math-Verify evaluates when it compares (VERIFY.md section 3): finite sums and
 * products, definite integrals and limits. Sums and products are exact where their terms are
 * (evaluate.ts passes its exact evaluator); integrals and limits are numeric, so a comparison that
 * involves one uses a looser tolerance (`NUMERIC_HEADS`). The evaluators are passed in, so this
 * module does not depend on evaluate.ts.
 */
import type { MathJson } from './latex-engine.js';

/** Heads whose value is computed numerically (quadrature, extrapolation), not to full precision. */
export const NUMERIC_HEADS = new Set(['Integrate', 'Limit']);

/** Terms a finite sum or product may have: more is no answer anyone writes, and bounds the work. */
export const MAX_TERMS = 5_000;

/** Replaces every occurrence of the symbol `name` by `value` (function heads kept). */
export function substitute(j: MathJson, name: string, value: MathJson): MathJson {
  if (typeof j === 'string') return j === name ? value : j;
  if (Array.isArray(j)) return [j[0] as MathJson, ...j.slice(1).map((x) => substitute(x, name, value))];
  if (typeof j === 'object' && 'sym' in j) return j.sym === name ? value : j;
  return j;
}

/** `["Tuple", var, lo, hi]` of a sum, product or integral; undefined when it is not one. */
export function bounds(j: MathJson | undefined): { name: string; lo: MathJson; hi: MathJson } | undefined {
  if (!Array.isArray(j) || j[0] !== 'Tuple' || j.length !== 4 || typeof j[1] !== 'string') return undefined;
  return { name: j[1], lo: j[2] as MathJson, hi: j[3] as MathJson };
}

/** The bound variable(s) of a `Sum`/`Product`/`Integrate`/`Limit` node, which are not free symbols. */
export function boundNames(j: MathJson[]): string[] {
  if (j[0] === 'Limit') {
    const fn = j[1];
    return Array.isArray(fn) && fn[0] === 'Function' ? fn.slice(2).filter((x): x is string => typeof x === 'string') : [];
  }
  const b = bounds(j[2]);
  return b ? [b.name] : [];
}

type Eval = (j: MathJson, env: Map<string, number>) => number;

/** Σ or Π over integer bounds, in doubles. */
export function sumFloat(j: MathJson[], env: Map<string, number>, ev: Eval, take: (terms: number) => boolean = () => true): number {
  const b = bounds(j[2]);
  if (!b) return NaN;
  const [lo, hi] = [ev(b.lo, env), ev(b.hi, env)];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || Math.abs(hi - lo) >= MAX_TERMS || !take(Math.abs(hi - lo) + 1)) return NaN;
  const product = j[0] === 'Product';
  // Karr's convention, as SymPy: Σ_{a}^{b} = −Σ_{b+1}^{a−1} when b < a − 1 (so Σ_{k=1}^{n} k = n(n+1)/2 for every integer n).
  if (hi < lo - 1) {
    const flipped = sumFloat([j[0] as MathJson, j[1] as MathJson, ['Tuple', b.name, hi + 1, lo - 1]], env, ev, take);
    return product ? 1 / flipped : -flipped;
  }
  let acc = product ? 1 : 0;
  const inner = new Map(env);
  for (let k = lo; k <= hi; k++) {
    inner.set(b.name.toLowerCase(), k);
    const v = ev(j[1] as MathJson, inner);
    acc = product ? acc * v : acc + v;
  }
  return acc;
}

/** 15-point Gauss–Kronrod nodes and weights on [-1, 1] (the Kronrod rule; the Gauss rule estimates the error). */
const XGK = [0.991455371120813, 0.949107912342759, 0.864864423359769, 0.741531185599394, 0.586087235467691, 0.405845151377397, 0.207784955007898, 0];
const WGK = [0.02293532201052922, 0.06309209262997854, 0.1047900103222502, 0.1406532597155259, 0.1690047266392679, 0.1903505780647854, 0.2044329400752989, 0.2094821410847278];
const WG = [0, 0.1294849661688697, 0, 0.2797053914892767, 0, 0.3818300505051189, 0, 0.4179591836734694];

function gk15(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const c = (a + b) / 2;
  const h = (b - a) / 2;
  let k = 0;
  let g = 0;
  for (let i = 0; i < 8; i++) {
    const x = XGK[i] as number;
    const fx = i === 7 ? f(c) : f(c - h * x) + f(c + h * x);
    k += (WGK[i] as number) * fx;
    g += (WG[i] as number) * fx;
  }
  return { value: k * h, error: Math.abs((k - g) * h) };
}

/** ∫ f over [a, b] by adaptive Gauss–Kronrod; NaN when it does not converge or f is undefined somewhere. */
function quad(f: (x: number) => number, a: number, b: number, depth = 0): number {
  const { value, error } = gk15(f, a, b);
  if (!Number.isFinite(value)) return NaN;
  if (error <= 1e-11 * Math.max(1, Math.abs(value)) || depth >= 12) return error <= 1e-7 * Math.max(1, Math.abs(value)) ? value : NaN;
  const m = (a + b) / 2;
  return quad(f, a, m, depth + 1) + quad(f, m, b, depth + 1);
}

/** A definite integral with finite or infinite bounds (x = t/(1-t²) maps an infinite range to a finite one). */
export function integrate(j: MathJson[], env: Map<string, number>, ev: Eval): number {
  const b = bounds(j[2]);
  if (!b) return NaN;
  const [lo, hi] = [ev(b.lo, env), ev(b.hi, env)];
  if (Number.isNaN(lo) || Number.isNaN(hi)) return NaN;
  if (lo > hi) return -integrate([j[0] as MathJson, j[1] as MathJson, ['Tuple', b.name, b.hi, b.lo]], env, ev);
  const inner = new Map(env);
  const f = (x: number): number => {
    inner.set(b.name.toLowerCase(), x);
    return ev(j[1] as MathJson, inner);
  };
  if (Number.isFinite(lo) && Number.isFinite(hi)) return quad(f, lo, hi);
  // Infinite range: x = t/(1-t²), dx = (1+t²)/(1-t²)² dt, t in (-1, 1) clipped to the finite part.
  const g = (t: number): number => (t <= -1 || t >= 1 ? 0 : f(t / (1 - t * t)) * ((1 + t * t) / (1 - t * t) ** 2));
  const toT = (x: number): number => (x === -Infinity ? -1 : x === Infinity ? 1 : x === 0 ? 0 : (-1 + Math.sqrt(1 + 4 * x * x)) / (2 * x));
  return quad(g, toT(lo), toT(hi));
}

/**
 * A limit, numerically: values approaching the point from each side, extrapolated (Richardson,
 * assuming a smooth expansion in the step); NaN when the two sides or the extrapolations disagree.
 */
export function limit(j: MathJson[], env: Map<string, number>, ev: Eval): number {
  const fn = j[1];
  if (!Array.isArray(fn) || fn[0] !== 'Function' || typeof fn[2] !== 'string') return NaN;
  const name = fn[2].toLowerCase();
  const at = ev(j[2] as MathJson, env);
  if (Number.isNaN(at)) return NaN;
  const inner = new Map(env);
  const f = (x: number): number => {
    inner.set(name, x);
    return ev(fn[1] as MathJson, inner);
  };
  // g(h) → the limit as h → 0+, along one side.
  const side = (g: (h: number) => number): number => {
    const est = (h: number): number => (8 * g(h / 4) - 6 * g(h / 2) + g(h)) / 3;
    const [a, b] = [est(1e-3), est(5e-4)];
    return Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(a)) ? b : Number.isFinite(a) && Math.abs(b) > 1e12 && Math.sign(a) === Math.sign(b) && Math.abs(b) > Math.abs(a) ? Math.sign(b) * Infinity : NaN;
  };
  if (at === Infinity) return side((h) => f(1 / h));
  if (at === -Infinity) return side((h) => f(-1 / h));
  const [l, r] = [side((h) => f(at - h)), side((h) => f(at + h))];
  return Math.abs(l - r) <= 1e-7 * Math.max(1, Math.abs(l)) || l === r ? r : NaN;
}
