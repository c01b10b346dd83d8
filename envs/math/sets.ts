/**
 * Sets of real numbers with numeric bounds, as a canonical list of disjoint pieces (intervals and
 * points), so that set answers compare by value as Math-Verify's SymPy sets do:
 * `[0,2]\setminus\{1\}` = `[0,1)\cup(1,2]`, `(-\infty,1)\cup[1,2]` = `(-\infty,2]`.
 */
import { Budget, evalFloat, freeSymbols } from './evaluate.js';
import type { MathValue } from './value.js';

/** One piece: the bounds as written (for exact comparison) and their values (for ordering). */
export interface Piece {
  lo: MathValue;
  hi: MathValue;
  loOpen: boolean;
  hiOpen: boolean;
  a: number;
  b: number;
}

const NUMERIC_LIMIT = 64;

function numberOf(v: MathValue, budget: Budget): number | undefined {
  if (v.kind !== 'expr' || v.percent || freeSymbols(v.json).size > 0) return undefined;
  const x = evalFloat(v.json, new Map(), budget);
  return Number.isNaN(x) ? undefined : x;
}

/**
 * The pieces of an interval, a union, or a braced set of numbers (points); undefined when a bound
 * is not a number or the value is no set. Not canonical: see `canonical`.
 */
export function toPieces(v: MathValue, budget: Budget): Piece[] | undefined {
  if (v.kind === 'interval') {
    const [a, b] = [numberOf(v.lo, budget), numberOf(v.hi, budget)];
    return a === undefined || b === undefined || a > b ? undefined : [{ lo: v.lo, hi: v.hi, loOpen: v.loOpen, hiOpen: v.hiOpen, a, b }];
  }
  if (v.kind === 'union') {
    const parts = v.parts.map((p) => toPieces(p, budget));
    return parts.every((p) => p !== undefined) ? (parts as Piece[][]).flat() : undefined;
  }
  if (v.kind === 'list' && v.braced && v.items.length <= NUMERIC_LIMIT) {
    const pts = v.items.map((x) => ({ x, n: numberOf(x, budget) }));
    return pts.every((p) => p.n !== undefined && Number.isFinite(p.n)) ? pts.map(({ x, n }) => ({ lo: x, hi: x, loOpen: false, hiOpen: false, a: n as number, b: n as number })) : undefined;
  }
  return undefined;
}

const empty = (p: Piece): boolean => p.a > p.b || (p.a === p.b && (p.loOpen || p.hiOpen));

/** Disjoint pieces in increasing order; touching pieces merged when the touching point belongs to one of them. */
export function canonical(pieces: Piece[]): Piece[] {
  const sorted = pieces.filter((p) => !empty(p)).sort((x, y) => x.a - y.a || Number(x.loOpen) - Number(y.loOpen));
  const out: Piece[] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && (p.a < last.b || (p.a === last.b && !(p.loOpen && last.hiOpen)))) {
      if (p.b > last.b || (p.b === last.b && !p.hiOpen)) out[out.length - 1] = { ...last, hi: p.hi, b: p.b, hiOpen: p.hiOpen };
    } else out.push(p);
  }
  return out;
}

/** A \ B for canonical piece lists: each piece of A minus every piece of B. */
export function difference(A: Piece[], B: Piece[]): Piece[] {
  let rest = canonical(A);
  for (const cut of canonical(B)) {
    const next: Piece[] = [];
    for (const p of rest) {
      if (cut.b < p.a || cut.a > p.b || (cut.b === p.a && (cut.hiOpen || p.loOpen)) || (cut.a === p.b && (cut.loOpen || p.hiOpen))) {
        next.push(p);
        continue;
      }
      // The part of p left of the cut, then the part right of it.
      next.push({ ...p, hi: cut.lo, b: cut.a, hiOpen: !cut.loOpen });
      next.push({ ...p, lo: cut.hi, a: cut.b, loOpen: !cut.hiOpen });
    }
    rest = canonical(next);
  }
  return rest;
}

/** The pieces as an answer value: an interval, a braced set of points, or a union of those. */
export function fromPieces(pieces: Piece[]): MathValue {
  const parts: MathValue[] = pieces.map((p) => (p.a === p.b ? { kind: 'list', items: [p.lo], braced: true } : { kind: 'interval', lo: p.lo, hi: p.hi, loOpen: p.loOpen, hiOpen: p.hiOpen }));
  if (parts.length === 1) return parts[0] as MathValue;
  if (parts.length === 0) return { kind: 'list', items: [], braced: true };
  return { kind: 'union', parts };
}
