/**
 * Equality of a predicted answer with the gold one (data/math/VERIFY.md section 4), asymmetric
 * like Math-Verify: assignments, relation-to-set conversion, tuple order and percentages depend on
 * which side is the gold. Symbolic equality is tested numerically at seeded random points.
 */
import { Rng } from '../../core/rng.js';
import { Budget, evalFloat, freeSymbols } from './evaluate.js';
import type { MathJson } from './latex-engine.js';
import { hasHead, numbersEqual, scale } from './numbers.js';
import { canonical, toPieces } from './sets.js';
import type { MathValue, RelOp } from './value.js';

type Expr = Extract<MathValue, { kind: 'expr' }>;
type Rel = Extract<MathValue, { kind: 'rel' }>;

/** Points per symbolic check, and how many must be defined on both sides. */
const POINTS = 8;
const MIN_DEFINED = 3;

/** Fixed sample points: the same for every call, so verdicts are deterministic. */
const SAMPLES: number[][] = (() => {
  const rng = Rng.fromSeed(20250917);
  return Array.from({ length: POINTS * 2 }, (_, k) => Array.from({ length: 16 }, () => (k < POINTS ? 0.15 + 2.7 * rng.next() : -3 + 6 * rng.next())));
})();

/** No number anywhere in the tree: `x`, `f(x)`, `|AB|`, `\frac{NO}{BO}` name a quantity rather than compute one. */
function numberFree(j: MathJson): boolean {
  if (typeof j === 'number' || (typeof j === 'object' && !Array.isArray(j) && 'num' in j)) return false;
  if (typeof j === 'string') return !['Pi', 'ExponentialE'].includes(j);
  return Array.isArray(j) ? j.slice(1).every(numberFree) : true;
}

const isAssignmentSide = (v: MathValue): boolean =>
  (v.kind === 'expr' && !v.percent && freeSymbols(v.json).size > 0 && numberFree(v.json)) ||
  ((v.kind === 'tuple' || v.kind === 'interval' || v.kind === 'list') && items(v).every(isAssignmentSide)) ||
  (v.kind === 'text' && /^[a-z]$/.test(v.text));

const isNumberLiteral = (j: MathJson | undefined): boolean => typeof j === 'number' || (typeof j === 'object' && j !== null && !Array.isArray(j) && 'num' in j);

/**
 * Whether the right side of a predicted `lhs = rhs` is the answer: the left side names the quantity
 * (`x`, `f(x)`, `a_n`, `\angle A`) or is a computation without variables (`3 + 4 = 7`). Deviation
 * from Math-Verify, which takes the right side whatever the left is: a sum, a negation or a multiple
 * with variables (`9x = 6`, `5x-7y+11z+4 = 0`) is an equation, not an answer, so the gold `0` does
 * not accept `5x-7y+11z+4=0`.
 */
function namesQuantity(v: MathValue): boolean {
  if (v.kind !== 'expr') return true;
  const j = v.json;
  if (!Array.isArray(j) || freeSymbols(j).size === 0) return true;
  if (j[0] === 'Add' || j[0] === 'Subtract' || j[0] === 'Negate') return false;
  return !((j[0] === 'InvisibleOperator' || j[0] === 'Multiply') && j.slice(1).some(isNumberLiteral));
}

function items(v: MathValue): MathValue[] {
  if (v.kind === 'list' || v.kind === 'tuple') return v.items;
  if (v.kind === 'interval') return [v.lo, v.hi];
  return [v];
}

/** The letters of a product of symbols (`Evelyn` parses as e·v·e·l·y·n), or undefined. */
function word(v: MathValue): string | undefined {
  if (v.kind === 'text') return v.text;
  if (v.kind !== 'expr' || v.percent) return undefined;
  const letters = (j: MathJson): string | undefined => {
    if (typeof j === 'string') return /^[A-Za-z]+$/.test(j) && !['Pi', 'ExponentialE'].includes(j) ? j.toLowerCase() : undefined;
    if (Array.isArray(j) && (j[0] === 'InvisibleOperator' || j[0] === 'Multiply')) {
      const parts = j.slice(1).map(letters);
      return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
    }
    return undefined;
  };
  return letters(v.json);
}

/** Heads whose value jumps at integers: random reals in a short range miss the jumps (`\lfloor\frac{2n-1}{6}\rfloor` vs `/5`). */
const INTEGER_HEADS = new Set(['Floor', 'Ceil', 'Round', 'Mod', 'Factorial', 'Binomial', 'GCD', 'LCM', 'Sign', 'Sum', 'Product']);

/** Integer points for trees with integer functions: every symbol 0..40 and some negatives, seeded. */
const INTEGER_SAMPLES: number[][] = (() => {
  const rng = Rng.fromSeed(20250918);
  return Array.from({ length: 48 }, (_, k) => Array.from({ length: 16 }, () => (k < 40 ? k + 1 + rng.int(3) : rng.int(81) - 40)));
})();

/**
 * Values of two functions of the same symbols at the sample points where both are defined (at most
 * POINTS pairs), lazily, so a caller can stop at the first pair that disagrees.
 */
function* samplePairs(fa: (env: Map<string, number>) => number, fb: (env: Map<string, number>) => number, symbols: string[], samples = SAMPLES, most = POINTS): Generator<[number, number]> {
  let defined = 0;
  for (const point of samples) {
    const env = new Map(symbols.map((s, k) => [s, point[k % point.length] as number]));
    const [a, b] = [fa(env), fb(env)];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    yield [a, b];
    if (++defined >= most) return;
  }
}

/**
 * Relative closeness, with an absolute floor only at round-off level: values of tiny answers
 * (`8.2\times10^{-19}x`) must still differ, while `\sin^2x+\cos^2x-1` evaluates to about 1e-16, not 0.
 */
const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= Math.max(tol * Math.max(Math.abs(a), Math.abs(b)), 1e-13);

function exprsEqual(g: Expr, p: Expr, budget: Budget): boolean {
  const wg = word(g);
  const wp = word(p);
  if (wg !== undefined && wp !== undefined && wg === wp) return true;
  const sg = freeSymbols(g.json);
  const sp = freeSymbols(p.json);
  if (sg.size === 0 && sp.size === 0) return numbersEqual(g, p, budget);
  // Strict: each variable gets its own values, so f(x) and f(y) differ, while \sin^2x+\cos^2x still equals 1.
  const symbols = [...new Set([...sg, ...sp])].sort();
  const tol = g.approx || p.approx ? 1e-6 : 1e-9;
  // Point by point, stopping at the first disagreement: most compared answers are wrong ones.
  let defined = 0;
  const fg = (env: Map<string, number>): number => evalFloat(g.json, env, budget) * scale(g);
  const fp = (env: Map<string, number>): number => evalFloat(p.json, env, budget) * scale(p);
  for (const [a, b] of samplePairs(fg, fp, symbols)) {
    if (!close(a, b, tol)) return false;
    defined++;
  }
  // Integer functions are also checked at integer points, and may be defined only there (`\sum_{k=1}^{n} k`).
  if (hasHead(g.json, INTEGER_HEADS) || hasHead(p.json, INTEGER_HEADS)) {
    for (const [a, b] of samplePairs(fg, fp, symbols, INTEGER_SAMPLES, INTEGER_SAMPLES.length)) {
      if (!close(a, b, tol)) return false;
      defined++;
    }
  }
  return defined >= MIN_DEFINED;
}

/** Flips `>`/`>=` into `<`/`<=` by swapping the sides. */
function orient(r: Rel): Rel {
  if (r.op === '>') return { kind: 'rel', op: '<', lhs: r.rhs, rhs: r.lhs };
  if (r.op === '>=') return { kind: 'rel', op: '<=', lhs: r.rhs, rhs: r.lhs };
  return r;
}

/** Relations: same type and `lhs − rhs` proportional (positively for inequalities), e.g. `2x+4y-3=0` and `y=-\frac12x+\frac34`. */
function relationsEqual(g: Rel, p: Rel, budget: Budget): boolean {
  const [a, b] = [orient(g), orient(p)];
  if (a.op !== b.op) return false;
  if (a.lhs.kind !== 'expr' || a.rhs.kind !== 'expr' || b.lhs.kind !== 'expr' || b.rhs.kind !== 'expr') {
    return valuesEqual(a.lhs, b.lhs, budget) && valuesEqual(a.rhs, b.rhs, budget);
  }
  const [al, ar, bl, br] = [a.lhs, a.rhs, b.lhs, b.rhs];
  const symbols = [...new Set([...freeSymbols(al.json), ...freeSymbols(ar.json), ...freeSymbols(bl.json), ...freeSymbols(br.json)])].sort();
  // Between numbers (`\frac{5}{19} < \frac{7}{21}`, `\frac23 \approx 0.67`) a relation is a statement
  // about its two sides: any two true inequalities have proportional differences, so compare the sides.
  if (symbols.length === 0) return valuesEqual(al, bl, budget) && valuesEqual(ar, br, budget);
  const da = (env: Map<string, number>): number => evalFloat(al.json, env, budget) * scale(al) - evalFloat(ar.json, env, budget) * scale(ar);
  const db = (env: Map<string, number>): number => evalFloat(bl.json, env, budget) * scale(bl) - evalFloat(br.json, env, budget) * scale(br);
  const pairs = [...samplePairs(da, db, symbols)];
  if (pairs.length < (symbols.length === 0 ? 1 : MIN_DEFINED)) return false;
  const ref = pairs.find(([, y]) => Math.abs(y) > 1e-12);
  if (!ref) return pairs.every(([x]) => Math.abs(x) <= 1e-9);
  const c = ref[0] / ref[1];
  if (!Number.isFinite(c) || Math.abs(c) < 1e-12) return false;
  if ((a.op === '<' || a.op === '<=') && c < 0) return false;
  return pairs.every(([x, y]) => close(x, c * y, 1e-8));
}

const INF: Expr = { kind: 'expr', json: 'PositiveInfinity', approx: false, percent: false, src: '\\infty' };
const NEG_INF: Expr = { kind: 'expr', json: ['Negate', 'PositiveInfinity'], approx: false, percent: false, src: '-\\infty' };
/** The variable side of a one-variable inequality: `x`, `f(x)`, `|z|`-like number-free expressions. */
const isSymbol = (v: MathValue): boolean => v.kind === 'expr' && freeSymbols(v.json).size >= 1 && numberFree(v.json);

/** A one-variable inequality (or chain) as an interval: `x<3` → (-∞,3), `-793<a<10` → (-793,10). */
function relationToSet(v: MathValue): MathValue | undefined {
  const bound = (r: Rel): { lo?: MathValue; hi?: MathValue; open: boolean } | undefined => {
    const o = orient(r);
    if (o.op !== '<' && o.op !== '<=') return undefined;
    const open = o.op === '<';
    if (isSymbol(o.lhs) && !isSymbol(o.rhs)) return { hi: o.rhs, open };
    if (isSymbol(o.rhs) && !isSymbol(o.lhs)) return { lo: o.lhs, open };
    return undefined;
  };
  const rels = v.kind === 'and' ? v.rels : v.kind === 'rel' ? [v] : [];
  if (rels.length === 0 || rels.length > 2 || rels.some((r) => r.kind !== 'rel')) return undefined;
  const bounds = rels.map((r) => bound(r as Rel));
  if (bounds.some((b) => b === undefined)) return undefined;
  const lo = bounds.find((b) => b?.lo);
  const hi = bounds.find((b) => b?.hi);
  const first = orient(rels[0] as Rel);
  const variable = isSymbol(first.lhs) ? first.lhs : first.rhs;
  if (isAbsOfSymbol(variable)) return absoluteValueSet(lo?.lo, hi?.hi, lo?.open ?? true, hi?.open ?? true);
  return { kind: 'interval', lo: lo?.lo ?? NEG_INF, hi: hi?.hi ?? INF, loOpen: lo ? lo.open : true, hiOpen: hi ? hi.open : true };
}

/** `|z|`: the absolute value of a plain symbol. */
function isAbsOfSymbol(v: MathValue | undefined): boolean {
  return v?.kind === 'expr' && Array.isArray(v.json) && v.json[0] === 'Abs' && v.json.length === 2 && typeof v.json[1] === 'string';
}

const negate = (v: MathValue): MathValue | undefined => (v.kind === 'expr' ? { ...v, json: ['Negate', v.json], src: `-(${v.src})` } : undefined);

/**
 * A bound on `|z|` as a set of z, as SymPy's `as_set` gives it: `1\le|z|\le\frac32` is
 * `[-\frac32,-1]\cup[1,\frac32]`, `|z|<2` is `(-2,2)`, `|z|>1` is `(-\infty,-1)\cup(1,\infty)`.
 */
function absoluteValueSet(lo: MathValue | undefined, hi: MathValue | undefined, loOpen: boolean, hiOpen: boolean): MathValue | undefined {
  const negHi = hi && negate(hi);
  const negLo = lo && negate(lo);
  if (!lo) return hi && negHi ? { kind: 'interval', lo: negHi, hi, loOpen: hiOpen, hiOpen } : undefined;
  if (!negLo) return undefined;
  const right: MathValue = { kind: 'interval', lo, hi: hi ?? INF, loOpen, hiOpen: hi ? hiOpen : true };
  const left: MathValue = { kind: 'interval', lo: negHi ?? NEG_INF, hi: negLo, loOpen: hi ? hiOpen : true, hiOpen: loOpen };
  return { kind: 'union', parts: [left, right] };
}

/** The value without source text, as a string: equal keys mean equal trees. */
const keys = new WeakMap<MathValue, string>();
function structureKey(v: MathValue): string {
  // Cached per value: comparisons of lists and sets ask for the same elements' keys many times.
  let key = keys.get(v);
  if (key === undefined) {
    key = JSON.stringify(v, (k, x: unknown) => (k === 'src' ? undefined : x));
    keys.set(v, key);
  }
  return key;
}

/** Matches every gold element to a distinct equal predicted one (order-free). */
function matchAll(gsIn: MathValue[], psIn: MathValue[], budget: Budget): boolean {
  // Sets: a repeated element counts once (`(1,2),(1,2)` is one pair).
  const dedupe = (xs: MathValue[]): MathValue[] => [...new Map(xs.map((x) => [structureKey(x), x])).values()];
  const gs = dedupe(gsIn);
  const ps = dedupe(psIn);
  if (gs.length !== ps.length) return false;
  const used = new Array<boolean>(ps.length).fill(false);
  const go = (i: number): boolean => {
    if (i === gs.length) return true;
    for (let j = 0; j < ps.length; j++) {
      if (used[j] || !valuesEqual(gs[i] as MathValue, ps[j] as MathValue, budget)) continue;
      used[j] = true;
      if (go(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return go(0);
}

/** Two sets of reals with numeric bounds, compared as canonical pieces; undefined when either is not one. */
function setsByValue(gold: MathValue, pred: MathValue, budget: Budget): boolean | undefined {
  const [pg, pp] = [toPieces(gold, budget), toPieces(pred, budget)];
  if (!pg || !pp) return undefined;
  const [cg, cp] = [canonical(pg), canonical(pp)];
  return (
    cg.length === cp.length &&
    cg.every((g, k) => {
      const p = cp[k] as (typeof cp)[number];
      return g.loOpen === p.loOpen && g.hiOpen === p.hiOpen && valuesEqual(g.lo, p.lo, budget) && valuesEqual(g.hi, p.hi, budget);
    })
  );
}

function inOrder(gs: MathValue[], ps: MathValue[], budget: Budget): boolean {
  return gs.length === ps.length && gs.every((g, k) => valuesEqual(g, ps[k] as MathValue, budget));
}

/**
 * Whether `pred` equals `gold` under Math-Verify's rules. May throw `TimeLimitError` through
 * `budget`; the caller turns that into "not equal".
 */
export function valuesEqual(gold: MathValue, pred: MathValue, budget: Budget): boolean {
  budget.tick();
  // Structural equality first: the same tree is equal even where it cannot be evaluated (`f(t)`, `\dot{x}`).
  if (structureKey(gold) === structureKey(pred)) return true;
  // 1. Assignments and equations.
  if (gold.kind === 'rel' && gold.op === '=' && pred.kind !== 'rel' && isAssignmentSide(gold.lhs)) return valuesEqual(gold.rhs, pred, budget);
  if (pred.kind === 'rel' && pred.op === '=' && gold.kind !== 'rel' && gold.kind !== 'and') return namesQuantity(pred.lhs) && valuesEqual(gold, pred.rhs, budget);
  // 2. A gold relation against a predicted set or interval: the relation as a set.
  if ((gold.kind === 'rel' || gold.kind === 'and') && (pred.kind === 'interval' || pred.kind === 'union' || pred.kind === 'list')) {
    const asSet = relationToSet(gold);
    return asSet !== undefined && valuesEqual(asSet, pred, budget);
  }
  if (gold.kind === 'rel' && pred.kind === 'rel') return relationsEqual(gold, pred, budget);
  if (gold.kind === 'and' && pred.kind === 'and') {
    return gold.rels.length === pred.rels.length && gold.rels.every((r, k) => valuesEqual(r, pred.rels[k] as MathValue, budget));
  }
  if (gold.kind === 'rel' || gold.kind === 'and' || pred.kind === 'rel' || pred.kind === 'and') return false;
  // Unions compare by value, as SymPy sets do: `(-\infty,1)\cup[1,2]` = `(-\infty,2]`.
  if (gold.kind === 'union' || pred.kind === 'union') {
    const byValue = setsByValue(gold, pred, budget);
    if (byValue !== undefined) return byValue;
  }
  // 3-5. Structures.
  switch (gold.kind) {
    case 'interval':
      if (pred.kind === 'interval') {
        return gold.loOpen === pred.loOpen && gold.hiOpen === pred.hiOpen && valuesEqual(gold.lo, pred.lo, budget) && valuesEqual(gold.hi, pred.hi, budget);
      }
      // An open pair `(a,b)` against a written pair `a, b` or a tuple: compared in order.
      if (gold.loOpen && gold.hiOpen && (pred.kind === 'list' || pred.kind === 'tuple')) return inOrder([gold.lo, gold.hi], pred.items, budget);
      if (pred.kind === 'union') return pred.parts.length === 1 && valuesEqual(gold, pred.parts[0] as MathValue, budget);
      return false;
    case 'tuple':
      return (pred.kind === 'tuple' || pred.kind === 'list') && inOrder(gold.items, pred.items, budget);
    case 'list':
      if (pred.kind === 'list') return matchAll(gold.items, pred.items, budget);
      if (pred.kind === 'interval' && pred.loOpen && pred.hiOpen && !gold.braced) return inOrder(gold.items, [pred.lo, pred.hi], budget);
      if (pred.kind === 'tuple') return inOrder(gold.items, pred.items, budget);
      return gold.items.length === 1 && valuesEqual(gold.items[0] as MathValue, pred, budget);
    case 'union':
      if (pred.kind === 'union') return matchAll(gold.parts, pred.parts, budget);
      return gold.parts.length === 1 && valuesEqual(gold.parts[0] as MathValue, pred, budget);
    case 'matrix':
      return (
        pred.kind === 'matrix' &&
        gold.rows.length === pred.rows.length &&
        gold.rows.every((row, i) => inOrder(row, pred.rows[i] as MathValue[], budget))
      );
    case 'text':
    case 'expr': {
      if (pred.kind === 'list') return pred.items.length === 1 && valuesEqual(gold, pred.items[0] as MathValue, budget);
      if (pred.kind === 'union') return pred.parts.length === 1 && valuesEqual(gold, pred.parts[0] as MathValue, budget);
      if (gold.kind === 'text' || pred.kind === 'text') {
        const [wg, wp] = [word(gold), word(pred)];
        return wg !== undefined && wg === wp;
      }
      return pred.kind === 'expr' && exprsEqual(gold, pred, budget);
    }
    default:
      return false;
  }
}

export type { RelOp };
