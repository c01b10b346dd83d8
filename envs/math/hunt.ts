/**
 * The false-positive hunt: every gold answer's mechanical variants (variants.ts) are graded by the
 * real checker (`verify`, extraction included). A wrong variant that is accepted is a false
 * positive unless it is exactly equal to the gold after all (a digit changed inside `0^{5}`);
 * those are decided here by exact rational arithmetic, never by the checker under test. An
 * equivalent rewrite that is rejected is a false negative. Used by hunt.test.ts (counts pinned) and
 * bench/math-verify-hunt.ts (counts printed).
 */
import { Rng } from '../../core/rng.js';
import { loadMathSplit, MATH_SPLITS, type MathSplit } from '../../datasets/math.js';
import { Budget, evalExact, evalFloat, freeSymbols } from './evaluate.js';
import type { MathJson } from './latex-engine.js';
import { normalizeLatex } from './normalize.js';
import * as Q from './rational.js';
import { modelStyle } from './rewrite.js';
import type { MathValue } from './value.js';
import { variants, type Variant } from './variants.js';
import { parseGold, verify } from './verify.js';

/** One gold to hunt around: its id and accepted forms (the first is the one mutated). */
export interface HuntGold {
  id: string;
  answers: readonly string[];
}

/** A variant whose verdict the hunt reports. */
export interface HuntFinding {
  id: string;
  gold: string;
  mutation: string;
  variant: string;
  /** For an accepted wrong variant: whether it is exactly equal to the gold after all, provably different, or neither could be shown. */
  exact?: ExactVerdict;
}

export type ExactVerdict = 'equal' | 'different' | 'unknown';

export interface HuntReport {
  golds: number;
  wrong: number;
  rewrites: number;
  /** Accepted wrong variants that are exactly equal to the gold (the edit did not change the value). */
  equalVariants: HuntFinding[];
  /** Accepted wrong variants that are not shown equal: false positives (`exact` says whether provably different). */
  falsePositives: HuntFinding[];
  /** Equivalent rewrites the checker rejected: false negatives. */
  rewritesRejected: HuntFinding[];
  /** Per edit: variants made and variants accepted. */
  byMutation: Record<string, { made: number; accepted: number }>;
}

export interface HuntOptions {
  seed: number;
  /** Per gold, keep this many variants at most (a seeded sample); all when absent. */
  perGold?: number;
  /** Per-check time limit (ms). */
  timeoutMs?: number;
}

/** Small rational sample points, fixed by the seed: enough that two different rational functions differ at one of them. */
function points(symbols: string[], rng: Rng, count: number): Map<string, Q.Rational>[] {
  return Array.from({ length: count }, () => new Map(symbols.map((s) => [s, Q.rat(BigInt(rng.int(121) - 60), BigInt(1 + rng.int(4))) as Q.Rational])));
}

/** The tree with every free symbol replaced by its rational value (function heads and constants kept). */
function substitute(j: MathJson, env: Map<string, Q.Rational>): MathJson {
  const value = (name: string): MathJson | undefined => {
    const q = env.get(name.toLowerCase());
    return q === undefined ? undefined : ['Rational', Number(q.n), Number(q.d)];
  };
  if (typeof j === 'string') return value(j) ?? j;
  if (Array.isArray(j)) return [j[0] as MathJson, ...j.slice(1).map((x) => substitute(x, env))];
  if (typeof j === 'object' && 'sym' in j) return value(j.sym) ?? j;
  return j;
}

/** Even functions: f(−u) = f(u). */
const EVEN = new Set(['Cos', 'Sec', 'Cosh', 'Sech', 'Abs']);

/** A product or quotient without the signs of its factors (its value up to sign). */
function unsigned(j: MathJson): MathJson {
  if (typeof j === 'number') return Math.abs(j);
  if (!Array.isArray(j)) return j;
  if (j[0] === 'Negate' && j.length === 2) return unsigned(j[1] as MathJson);
  if (j[0] === 'Multiply' || j[0] === 'InvisibleOperator' || j[0] === 'Divide' || j[0] === 'Delimiter') return [j[0], ...j.slice(1).map(unsigned)];
  return j;
}

/** The tree with the argument of every even function stripped of its sign: `\cos(-2t)` and `\cos(2t)` become one tree (an exact identity). */
function evenCanonical(j: MathJson): MathJson {
  if (!Array.isArray(j)) return j;
  const args = j.slice(1).map(evenCanonical);
  return EVEN.has(j[0] as string) && args.length === 1 ? [j[0] as MathJson, unsigned(args[0] as MathJson)] : [j[0] as MathJson, ...args];
}

const combine = (vs: ExactVerdict[]): ExactVerdict => (vs.includes('different') ? 'different' : vs.every((v) => v === 'equal') ? 'equal' : 'unknown');

/**
 * Whether two parsed answers are exactly equal, decided without the checker: rational arithmetic,
 * at seeded rational points for free symbols (two different rational functions agree at a random
 * point with negligible probability). 'unknown' where the values are not rational.
 */
export function exactlyEqual(a: MathValue, b: MathValue, rng: Rng): ExactVerdict {
  const budget = new Budget(Date.now() + 2000);
  if (a.kind === 'expr' && b.kind === 'expr') {
    if (a.percent !== b.percent) return 'unknown';
    if (JSON.stringify(evenCanonical(a.json)) === JSON.stringify(evenCanonical(b.json))) return 'equal';
    const symbols = [...new Set([...freeSymbols(a.json), ...freeSymbols(b.json)])].sort();
    if (symbols.length === 0) {
      // ±∞ is not rational: equal when both are the same infinity (`\infty+1`).
      const [x, y] = [evalFloat(a.json, new Map(), budget), evalFloat(b.json, new Map(), budget)];
      if (!Number.isFinite(x) && !Number.isNaN(x) && x === y) return 'equal';
    }
    const verdicts: ExactVerdict[] = [];
    for (const env of symbols.length === 0 ? [new Map<string, Q.Rational>()] : points(symbols, rng, 12)) {
      const [x, y] = [evalExact(substitute(a.json, env), budget), evalExact(substitute(b.json, env), budget)];
      verdicts.push(x === undefined || y === undefined ? 'unknown' : Q.eq(x, y) ? 'equal' : 'different');
    }
    if (verdicts.includes('different')) return 'different';
    return verdicts.filter((v) => v === 'equal').length >= Math.min(2, verdicts.length) && verdicts.every((v) => v !== 'unknown' || symbols.length > 0) ? 'equal' : 'unknown';
  }
  if (a.kind !== b.kind) return 'unknown';
  switch (a.kind) {
    case 'tuple':
    case 'list': {
      const bs = (b as typeof a).items;
      if (a.items.length !== bs.length) return a.kind === 'tuple' ? 'different' : 'unknown';
      if (a.kind === 'tuple') return combine(a.items.map((x, k) => exactlyEqual(x, bs[k] as MathValue, rng)));
      // A set: equal when every element has an exactly equal partner; otherwise not decided.
      return a.items.every((x) => bs.some((y) => exactlyEqual(x, y, rng) === 'equal')) ? 'equal' : 'unknown';
    }
    case 'interval': {
      const o = b as typeof a;
      if (a.loOpen !== o.loOpen || a.hiOpen !== o.hiOpen) return 'different';
      return combine([exactlyEqual(a.lo, o.lo, rng), exactlyEqual(a.hi, o.hi, rng)]);
    }
    case 'rel': {
      const o = b as typeof a;
      if (a.op !== o.op) return 'unknown';
      if (combine([exactlyEqual(a.lhs, o.lhs, rng), exactlyEqual(a.rhs, o.rhs, rng)]) === 'equal') return 'equal';
      // Equations with the same solutions: lhs − rhs proportional (`x(y-1)=0` and `7x(y-1)=0`).
      return a.op === '=' ? proportionalEquations(a, o, rng) : 'unknown';
    }
    case 'matrix': {
      const o = b as typeof a;
      if (a.rows.length !== o.rows.length || a.rows.some((r, i) => r.length !== o.rows[i]?.length)) return 'different';
      return combine(a.rows.flatMap((r, i) => r.map((x, k) => exactlyEqual(x, o.rows[i]?.[k] as MathValue, rng))));
    }
    case 'and': {
      const o = b as typeof a;
      return a.rels.length === o.rels.length ? combine(a.rels.map((x, k) => exactlyEqual(x, o.rels[k] as MathValue, rng))) : 'unknown';
    }
    case 'union': {
      const o = b as typeof a;
      return a.parts.length === o.parts.length ? combine(a.parts.map((x, k) => exactlyEqual(x, o.parts[k] as MathValue, rng))) : 'unknown';
    }
    case 'text':
      return a.text === (b as typeof a).text ? 'equal' : 'unknown';
    case 'expr':
    default:
      return 'unknown';
  }
}

/** Two equations whose lhs − rhs are a constant nonzero multiple of each other, exactly at rational points. */
function proportionalEquations(a: Extract<MathValue, { kind: 'rel' }>, b: Extract<MathValue, { kind: 'rel' }>, rng: Rng): ExactVerdict {
  const sides = [a.lhs, a.rhs, b.lhs, b.rhs];
  if (!sides.every((x) => x.kind === 'expr')) return 'unknown';
  const [al, ar, bl, br] = sides.map((x) => (x as Extract<MathValue, { kind: 'expr' }>).json) as [MathJson, MathJson, MathJson, MathJson];
  const symbols = [...new Set([al, ar, bl, br].flatMap((j) => [...freeSymbols(j)]))].sort();
  const budget = new Budget(Date.now() + 2000);
  let ratio: Q.Rational | undefined;
  let defined = 0;
  for (const env of points(symbols, rng, 8)) {
    const [x1, x2, y1, y2] = [al, ar, bl, br].map((j) => evalExact(substitute(j, env), budget));
    if (!x1 || !x2 || !y1 || !y2) continue;
    const [da, db] = [Q.sub(x1, x2), Q.sub(y1, y2)];
    if (db.n === 0n || da.n === 0n) {
      if ((db.n === 0n) !== (da.n === 0n)) return 'different';
      continue;
    }
    const r = Q.div(da, db) as Q.Rational;
    if (ratio && !Q.eq(ratio, r)) return 'different';
    ratio = r;
    defined++;
  }
  return defined >= 3 ? 'equal' : 'unknown';
}

/**
 * Classifies an accepted wrong variant. A variant whose text normalises to the gold's (the edit
 * only touched what normalisation drops, such as a unit) is never called equal: the normalisation
 * is part of what is under test.
 */
export function classify(gold: string, variant: string, rng: Rng): ExactVerdict {
  if (normalizeLatex(gold) === normalizeLatex(variant)) return 'unknown';
  const [g, v] = [parseGold(gold).value, parseGold(variant).value];
  return g && v ? exactlyEqual(g, v, rng) : 'unknown';
}

/** The variants of one gold the hunt grades: all, or a seeded sample of `perGold`. */
export function huntVariants(gold: HuntGold, opts: HuntOptions): Variant[] {
  const rng = Rng.fromSeed(opts.seed).fork(gold.id);
  const all = variants(gold.answers[0] as string, rng.fork('variants'));
  return opts.perGold === undefined || all.length <= opts.perGold ? all : rng.fork('sample').shuffle(all).slice(0, opts.perGold);
}

/**
 * Runs the hunt over `golds`: every variant is graded against all of the gold's accepted forms, as
 * a short model-style response (`… the answer is $\boxed{variant}$.`).
 */
export function hunt(golds: readonly HuntGold[], opts: HuntOptions): HuntReport {
  const report: HuntReport = { golds: golds.length, wrong: 0, rewrites: 0, equalVariants: [], falsePositives: [], rewritesRejected: [], byMutation: {} };
  for (const gold of golds) {
    const g = gold.answers[0] as string;
    for (const v of huntVariants(gold, opts)) {
      const stat = (report.byMutation[v.mutation] ??= { made: 0, accepted: 0 });
      stat.made++;
      const correct = verify(gold.answers, modelStyle(v.text), opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}).correct;
      if (correct) stat.accepted++;
      const finding: HuntFinding = { id: gold.id, gold: g, mutation: v.mutation, variant: v.text };
      if (v.kind === 'rewrite') {
        report.rewrites++;
        if (!correct) report.rewritesRejected.push(finding);
        continue;
      }
      report.wrong++;
      if (!correct) continue;
      const exact = classify(g, v.text, Rng.fromSeed(opts.seed).fork(`${gold.id}/${v.mutation}/exact`));
      (exact === 'equal' ? report.equalVariants : report.falsePositives).push({ ...finding, exact });
    }
  }
  return report;
}

/**
 * Every distinct gold of every split (`MATH_SPLITS`, in order; a gold list seen in an earlier split
 * keeps that split's id), from `EXITGYM_DATA_DIR`.
 */
export async function loadHuntGolds(splits: readonly MathSplit[] = MATH_SPLITS): Promise<HuntGold[]> {
  const golds: HuntGold[] = [];
  const seen = new Set<string>();
  for (const split of splits) {
    for (const task of await loadMathSplit(split)) {
      const key = JSON.stringify(task.answers);
      if (seen.has(key)) continue;
      seen.add(key);
      golds.push({ id: `${split}/${task.index}`, answers: task.answers });
    }
  }
  return golds;
}

/** One line per finding, for test messages and the bench. */
export function describeFindings(fs: readonly HuntFinding[]): string {
  return fs.map((f) => `${f.id} [${f.mutation}${f.exact ? `, ${f.exact}` : ''}] ${f.gold}  →  ${f.variant.length > 120 ? `${f.variant.slice(0, 117)}…` : f.variant}`).join('\n');
}
