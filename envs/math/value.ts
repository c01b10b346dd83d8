/**
 * The answer value model and the parser from normalised LaTeX to it. Structure (lists, sets,
 * tuples, intervals, unions, matrices, relations, text, percent) is decided here with Math-Verify's
 * conventions (VERIFY.md section 3); single expressions go to compute-engine.
 */
import { Budget } from './evaluate.js';
import { parseLatex, type MathJson } from './latex-engine.js';
import { matrixExpression } from './matrix.js';
import { findClosingBrace, normalizeLatex } from './normalize.js';
import { difference, fromPieces, toPieces } from './sets.js';

export type RelOp = '=' | '<' | '<=' | '>' | '>=' | '!=';

export type MathValue =
  /** One expression (a number or a formula with free symbols). `approx`: written with a decimal point. */
  | { kind: 'expr'; json: MathJson; approx: boolean; percent: boolean; src: string }
  /** Words (`\text{Evelyn}`, `(C)`): lower-case letters and digits, parentheses dropped. */
  | { kind: 'text'; text: string }
  /** A comma list `1, 2` (ordered as written) or a braced set `\{1,2\}`. */
  | { kind: 'list'; items: MathValue[]; braced: boolean }
  | { kind: 'tuple'; items: MathValue[] }
  | { kind: 'interval'; lo: MathValue; hi: MathValue; loOpen: boolean; hiOpen: boolean }
  | { kind: 'union'; parts: MathValue[] }
  | { kind: 'matrix'; rows: MathValue[][] }
  | { kind: 'rel'; op: RelOp; lhs: MathValue; rhs: MathValue }
  | { kind: 'and'; rels: MathValue[] };

/** Answers longer than this are refused unparsed: no real final answer is that long, and it bounds parse time. */
export const MAX_ANSWER_CHARS = 1000;

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** Splits at top-level occurrences of `sep` (a regex matching at a position), ignoring bracket type so `[1,2)` nests. */
function splitTop(s: string, sep: RegExp): { parts: string[]; seps: string[] } {
  const parts: string[] = [];
  const seps: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\') {
      const cmd = /^\\[a-zA-Z]+|^\\./.exec(s.slice(i))?.[0] ?? '\\';
      if (cmd === '\\{') depth++;
      else if (cmd === '\\}') depth--;
      else if (depth === 0) {
        const m = sep.exec(s.slice(i, i + 12));
        if (m && m.index === 0) {
          parts.push(s.slice(from, i));
          seps.push(m[0]);
          i += m[0].length - 1;
          from = i + 1;
          continue;
        }
      }
      i += cmd.length - 1;
      continue;
    }
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth--;
    else if (depth === 0) {
      const m = sep.exec(s.slice(i, i + 12));
      if (m && m.index === 0) {
        parts.push(s.slice(from, i));
        seps.push(m[0]);
        i += m[0].length - 1;
        from = i + 1;
      }
    }
  }
  parts.push(s.slice(from));
  return { parts, seps };
}

/** If `s` is one bracketed group `(…)`, `[…)`, `\{…\}`, its brackets and inside. */
function enclosure(s: string): { open: string; close: string; inner: string } | undefined {
  let open: string;
  let start: number;
  if (s.startsWith('\\{')) [open, start] = ['{', 2];
  else if (s[0] === '(' || s[0] === '[') [open, start] = [s[0], 1];
  else return undefined;
  const endLen = open === '{' ? 2 : 1;
  const close = open === '{' ? (s.endsWith('\\}') ? '}' : '') : s.at(-1) ?? '';
  if (close !== ')' && close !== ']' && close !== '}') return undefined;
  // The opening bracket must close at the very end (`(1)+(2)` is not one group).
  let depth = 0;
  for (let i = 0; i < s.length - endLen; i++) {
    const c = s[i] as string;
    if (c === '\\') {
      if (s[i + 1] === '{') depth++;
      else if (s[i + 1] === '}') depth--;
      i++;
    } else if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth--;
    if (depth === 0 && i >= start - 1) return undefined;
  }
  return { open, close, inner: s.slice(start, s.length - endLen) };
}

const REL = /^(?:\\leq?(?![a-zA-Z])|\\geq?(?![a-zA-Z])|\\neq?(?![a-zA-Z])|\\approx|\\lt|\\gt|\\in(?![a-zA-Z])|<=|>=|!=|=|<|>|≤|≥|≠)/;

function relOp(token: string): RelOp | 'in' {
  switch (token.replace(/q$/, '')) {
    case '\\le':
    case '<=':
    case '≤':
      return '<=';
    case '\\ge':
    case '>=':
    case '≥':
      return '>=';
    case '\\ne':
    case '!=':
    case '≠':
      return '!=';
    case '<':
    case '\\lt':
      return '<';
    case '>':
    case '\\gt':
      return '>';
    case '\\in':
      return 'in';
    default:
      return '=';
  }
}

/** Words in `\text{…}` or bare letters: lower-case, parentheses and spaces dropped. */
function textValue(s: string): string {
  return s.replace(/\\text\{([^{}]*)\}/g, '$1').replace(/[()\s.]/g, '').toLowerCase();
}

function isApprox(s: string): boolean {
  return /(^|[^\d])\.\d|\d\.\d/.test(s) && !/\\overline/.test(s);
}

/** A variable or a tuple of them (`x`, `(x, y)`): the left side of `x \in S`. */
function isVariable(v: MathValue): boolean {
  if (v.kind === 'expr') return typeof v.json === 'string' || (typeof v.json === 'object' && !Array.isArray(v.json) && 'sym' in v.json);
  if (v.kind === 'text') return /^[a-z]$/.test(v.text);
  return (v.kind === 'tuple' || v.kind === 'interval') && (v.kind === 'tuple' ? v.items : [v.lo, v.hi]).every(isVariable);
}

/** The order written in a differential: `d^{2}` → 2, `dt^2` → 2, `d` → 1. */
const ORDER = String.raw`(?:\s*\^\s*\{?\s*(\d+)\s*\}?)?`;

/**
 * Whether every Leibniz derivative `\frac{d^n y}{dx^m}` has n equal to the total order of its
 * denominator. compute-engine reads `\frac{d^2 v}{dt^3}` as the second derivative, so without this
 * check it would equal `\frac{d^2 v}{dt^2}`.
 */
function leibnizConsistent(src: string): boolean {
  for (const m of src.matchAll(/\\frac\s*\{\s*(?:d|\\partial)(?![a-zA-Z]{2})/g)) {
    const open = m.index + m[0].indexOf('{');
    const numClose = findClosingBrace(src, open);
    if (numClose < 0 || src[numClose + 1] !== '{') continue;
    const denClose = findClosingBrace(src, numClose + 1);
    if (denClose < 0) continue;
    const num = new RegExp(String.raw`^\s*(?:d|\\partial)` + ORDER).exec(src.slice(open + 1, numClose));
    const n = Number(num?.[1] ?? 1);
    let m2 = 0;
    for (const d of src.slice(numClose + 2, denClose).matchAll(new RegExp(String.raw`(?:\bd|\\partial)\s*(?:[a-zA-Z]|\\[a-zA-Z]+)` + ORDER, 'g'))) m2 += Number(d[1] ?? 1);
    if (m2 > 0 && m2 !== n) return false;
  }
  return true;
}

function parseExpr(s: string): MathValue | undefined {
  let src = s.trim();
  let percent = false;
  if (/\\?%$/.test(src)) {
    percent = true;
    src = src.replace(/\\?%$/, '').trim();
  }
  if (src === '') return undefined;
  if (/^\\text\{[^{}]*\}$/.test(src) || /^\([A-Za-z]\)$/.test(src)) {
    const t = textValue(src);
    if (/^-?\d+(\.\d+)?$/.test(t)) return parseExpr(t);
    if (t !== '') return { kind: 'text', text: t };
  }
  // Plain thousands separators (`10,000`, `10{,}000`) are one number, not a list.
  const compact = src.replace(/\{,\}/g, ',');
  if (/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(compact)) src = compact.replace(/,/g, '');
  const json = parseLatex(src);
  if (json === undefined || !leibnizConsistent(src)) return undefined;
  if (typeof json === 'string' && json.startsWith("'")) return { kind: 'text', text: textValue(json.slice(1, -1)) };
  return { kind: 'expr', json, approx: isApprox(src), percent, src };
}

function parseItems(inner: string, depth: number): MathValue[] | undefined {
  if (inner.trim() === '') return [];
  const items = splitTop(inner, /^,/).parts.map((p) => parseNormalized(p.trim(), depth + 1));
  return items.every((x): x is MathValue => x !== undefined) ? items : undefined;
}

/** Parses an already-normalised answer; undefined when it does not parse. */
export function parseNormalized(s: string, depth = 0): MathValue | undefined {
  if (depth > 8 || s === '') return undefined;
  // ±: both signs, as a list (`1\pm\sqrt2` is {1-√2, 1+√2}).
  if (/\\(?:pm|mp)(?![a-zA-Z])/.test(s) && depth === 0) {
    const plus = parseNormalized(s.replace(/\\(?:pm|mp)(?![a-zA-Z])/g, '+').replace(/^\+/, ''), depth + 1);
    const minus = parseNormalized(s.replace(/\\(?:pm|mp)(?![a-zA-Z])/g, '-'), depth + 1);
    return plus && minus ? { kind: 'list', items: [minus, plus], braced: false } : undefined;
  }
  // One matrix alone (its body holds no other \begin / \end: `A + B` is handled by matrixExpression).
  const matrix = /^\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?((?:(?!\\(?:begin|end)\{)[\s\S])*)\\end\{\1\}$/.exec(s);
  if (matrix) {
    const rows = (matrix[2] as string).split(/\\\\/).map((r) => r.trim()).filter((r) => r !== '');
    const cells = rows.map((r) => r.split('&').map((c) => parseNormalized(c.trim(), depth + 1)));
    if (cells.some((r) => r.some((c) => c === undefined))) return undefined;
    return { kind: 'matrix', rows: cells as MathValue[][] };
  }
  if (/^(?:\\emptyset|\\varnothing|\\\{\s*\\\})$/.test(s)) return { kind: 'list', items: [], braced: true };
  if (/^\\mathbb\{R\}$/.test(s)) return { kind: 'interval', lo: { kind: 'expr', json: ['Negate', 'PositiveInfinity'], approx: false, percent: false, src: '-\\infty' }, hi: { kind: 'expr', json: 'PositiveInfinity', approx: false, percent: false, src: '\\infty' }, loOpen: true, hiOpen: true };
  // `p=5,q=2;p=7,q=2`: semicolons separate groups (here two solutions), commas the items of a group.
  const groups = splitTop(s, /^;/);
  if (groups.parts.length > 1 && groups.parts.some((g) => splitTop(g, /^,/).parts.length > 1)) {
    const items = groups.parts.map((g) => parseNormalized(g.trim(), depth + 1));
    return items.every((x) => x !== undefined) ? { kind: 'list', items: items as MathValue[], braced: false } : undefined;
  }
  if (/\\begin\{/.test(s)) {
    const m = matrixExpression(s, (piece) => parseNormalized(piece.trim(), depth + 1));
    if (m) return m;
  }
  const union = splitTop(s, /^\\cup(?![a-zA-Z])/);
  if (union.parts.length > 1) {
    const parts = union.parts.map((p) => parseNormalized(p.trim(), depth + 1));
    return parts.every((p) => p !== undefined) ? { kind: 'union', parts: parts as MathValue[] } : undefined;
  }
  // `[0,2]\setminus\{1\}`, `\mathbb{R}\setminus\{0\}`: the difference, computed, when the bounds are numbers.
  const minus = splitTop(s, /^\\setminus(?![a-zA-Z])/);
  if (minus.parts.length === 2) {
    const [a, b] = minus.parts.map((p) => parseNormalized(p.trim(), depth + 1));
    try {
      const budget = new Budget(Date.now() + 200);
      const [pa, pb] = a && b ? [toPieces(a, budget), toPieces(b, budget)] : [];
      return pa && pb ? fromPieces(difference(pa, pb)) : undefined;
    } catch {
      return undefined; // bounds too costly to evaluate: no answer (parsing never throws)
    }
  }
  const commas = splitTop(s, /^[,;]/);
  if (commas.parts.length > 1 && !/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) {
    const items = parseItems(s.replace(/;/g, ','), depth);
    return items ? { kind: 'list', items, braced: false } : undefined;
  }
  const rel = splitTop(s, REL);
  if (rel.parts.length > 1) {
    const sides = rel.parts.map((p) => parseNormalized(p.trim(), depth + 1));
    if (sides.some((x) => x === undefined)) return undefined;
    const vals = sides as MathValue[];
    // `x = 5+5+1 = 1/3 \approx 0.33`: an approximation after an exact chain is commentary.
    const approxAt = rel.seps.findIndex((t) => t === '\\approx');
    if (approxAt > 0 && rel.seps.slice(0, approxAt).some((t) => relOp(t) === '=')) {
      vals.splice(approxAt + 1);
      rel.seps.splice(approxAt);
    }
    const ops = rel.seps.map(relOp);
    // `x \in [a,b]`: the set is the answer, when what is in it is just the variable (`3x \in [a,b]` is another set).
    if (ops.includes('in')) return ops.length === 1 && isVariable(vals[0] as MathValue) ? vals.at(-1) : undefined;
    if (ops.every((o) => o === '=')) return { kind: 'rel', op: '=', lhs: vals[0] as MathValue, rhs: vals.at(-1) as MathValue };
    const rels: MathValue[] = ops.map((op, k) => ({ kind: 'rel', op: op as RelOp, lhs: vals[k] as MathValue, rhs: vals[k + 1] as MathValue }));
    return rels.length === 1 ? rels[0] : { kind: 'and', rels };
  }
  // Plain braces around the whole answer are TeX grouping (`{1,3}`), not a set.
  if (s.startsWith('{') && s.endsWith('}') && findClosingBrace(s, 0) === s.length - 1) return parseNormalized(s.slice(1, -1).trim(), depth + 1);
  const enc = enclosure(s);
  if (enc) {
    const items = parseItems(enc.inner, depth);
    if (!items) return undefined;
    if (enc.open === '{') return { kind: 'list', items, braced: true };
    if (items.length === 1 && enc.open === '(' && enc.close === ')') return items[0];
    if (items.length === 1 && enc.open === '[' && enc.close === ']') return items[0];
    if (items.length === 2) {
      return { kind: 'interval', lo: items[0] as MathValue, hi: items[1] as MathValue, loOpen: enc.open === '(', hiOpen: enc.close === ')' };
    }
    // `(a,b,c]` is no tuple: mixed brackets only make sense on an interval's two ends.
    if (items.length >= 3) return (enc.open === '(') === (enc.close === ')') ? { kind: 'tuple', items } : undefined;
    return undefined;
  }
  return parseExpr(s);
}

/**
 * Normalises and parses one extracted answer. Never throws; undefined = does not parse.
 *
 * @example parseAnswer('\\left( 3, \\frac{\\pi}{2} \\right)')?.kind // 'interval' (a 2-element open pair)
 */
export function parseAnswer(raw: string): MathValue | undefined {
  if (raw.length > MAX_ANSWER_CHARS) return undefined;
  const s = normalizeLatex(raw);
  if (s === '' || s.length > MAX_ANSWER_CHARS) return undefined;
  return parseNormalized(s);
}
