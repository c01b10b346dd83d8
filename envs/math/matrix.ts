/**
 * An answer that is an expression of matrices (`\frac{1}{5}\begin{pmatrix}…\end{pmatrix}`,
 * `A + B`, `A B`) evaluated to one matrix, entry by entry as expression trees, as Math-Verify's
 * SymPy matrices are. Terms are separated by `+`/`-`; a term is an optional scalar followed by one
 * or more matrices (juxtaposed, `\cdot` or `\times`: a matrix product).
 */
import type { MathJson } from './latex-engine.js';
import type { MathValue } from './value.js';

type Expr = Extract<MathValue, { kind: 'expr' }>;
type Grid = Expr[][];

const BLOCK = /\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?[\s\S]*?\\end\{\1\}/g;
// Tested on trimmed text: `^\s*…\s*$` backtracked quadratically on long runs of spaces.
const PRODUCT = /^(?:\\cdot|\\times)?$/;

function asGrid(v: MathValue | undefined): Grid | undefined {
  if (v?.kind !== 'matrix' || v.rows.length === 0) return undefined;
  const width = v.rows[0]?.length ?? 0;
  if (!v.rows.every((r) => r.length === width && r.every((c) => c.kind === 'expr' && !c.percent))) return undefined;
  return v.rows as Grid;
}

const expr = (json: MathJson, approx: boolean): Expr => ({ kind: 'expr', json, approx, percent: false, src: '' });

/** Nodes in a tree, counting up to `cap` (then stops): chained products grow entries geometrically. */
function size(j: MathJson, cap: number): number {
  if (!Array.isArray(j)) return 1;
  let n = 1;
  for (const x of j) {
    n += size(x, cap - n);
    if (n >= cap) return n;
  }
  return n;
}

/** Largest entry tree a matrix expression may build (a bound on the work an answer can cause). */
const MAX_ENTRY_NODES = 4000;

function multiply(a: Grid, b: Grid): Grid | undefined {
  const inner = a[0]?.length ?? 0;
  if (inner !== b.length) return undefined;
  const biggest = (g: Grid): number => Math.max(...g.flat().map((x) => size(x.json, MAX_ENTRY_NODES)));
  if (inner * (biggest(a) + biggest(b) + 1) > MAX_ENTRY_NODES) return undefined;
  return a.map((row) =>
    (b[0] ?? []).map((_, j) => {
      const products = row.map((x, k) => ['Multiply', x.json, (b[k]?.[j] as Expr).json] as MathJson);
      return expr(products.length === 1 ? (products[0] as MathJson) : ['Add', ...products], row.some((x) => x.approx) || b.some((r) => r[j]?.approx));
    }),
  );
}

/**
 * The matrix an expression of matrices equals; undefined when `s` is not such an expression (no
 * matrix, a single matrix alone, text around it that is not a scalar or an operator, or sizes
 * that do not fit). `parse` parses the pieces (the scalars and the matrices themselves).
 */
export function matrixExpression(s: string, parse: (piece: string) => MathValue | undefined): MathValue | undefined {
  const blocks = [...s.matchAll(BLOCK)];
  if (blocks.length === 0 || (blocks.length === 1 && blocks[0]?.[0].length === s.trim().length)) return undefined;
  const texts: string[] = [];
  let at = 0;
  for (const b of blocks) {
    texts.push(s.slice(at, b.index));
    at = b.index + b[0].length;
  }
  if (s.slice(at).trim() !== '') return undefined;
  const grids = blocks.map((b) => asGrid(parse(b[0])));
  if (grids.some((g) => g === undefined)) return undefined;

  // Each term: sign and scalar text, then its matrices.
  const terms: { scalar: string; mats: Grid[] }[] = [];
  for (let k = 0; k < blocks.length; k++) {
    const before = texts[k] as string;
    if (k > 0 && PRODUCT.test(before.trim())) {
      terms.at(-1)?.mats.push(grids[k] as Grid);
      continue;
    }
    const m = k === 0 ? /^\s*(.*?)\s*(?:\\cdot|\\times)?\s*$/.exec(before) : /^\s*([+-].*?)\s*(?:\\cdot|\\times)?\s*$/.exec(before);
    if (!m) return undefined;
    terms.push({ scalar: (m[1] as string).trim(), mats: [grids[k] as Grid] });
  }

  let sum: Grid | undefined;
  for (const t of terms) {
    let g = t.mats[0] as Grid;
    for (const next of t.mats.slice(1)) {
      const p = multiply(g, next);
      if (!p) return undefined;
      g = p;
    }
    const sign = t.scalar.startsWith('-') ? -1 : 1;
    const rest = t.scalar.replace(/^[+-]\s*/, '');
    const scalar = rest === '' ? undefined : parse(rest);
    if (rest !== '' && (scalar?.kind !== 'expr' || scalar.percent)) return undefined;
    const factor = (x: Expr): Expr => {
      let j: MathJson = scalar ? ['Multiply', (scalar as Expr).json, x.json] : x.json;
      if (sign < 0) j = ['Negate', j];
      return expr(j, x.approx || (scalar as Expr | undefined)?.approx === true);
    };
    const scaled = g.map((row) => row.map(factor));
    if (!sum) sum = scaled;
    else {
      if (sum.length !== scaled.length || sum[0]?.length !== scaled[0]?.length) return undefined;
      const acc: Grid = sum;
      sum = acc.map((row, i) => row.map((x, j) => expr(['Add', x.json, (scaled[i]?.[j] as Expr).json], x.approx || (scaled[i]?.[j] as Expr).approx)));
    }
  }
  return sum ? { kind: 'matrix', rows: sum } : undefined;
}
