/**
 * Mechanical variants of a gold answer for the false-positive hunt (hunt.ts): wrong variants made by
 * one small edit (a digit, an exponent, a sign, a denominator, a base subscript, an operator, an
 * interval bound or floor/ceiling argument, a unit's power, a set or tuple element, a number
 * appended or prepended, a huge wrapper) and equivalent rewrites (the same value written another
 * way). Pure and seeded: the same gold and seed give the same variants.
 *
 * A "wrong" variant is wrong by construction in almost every case, but not always (a digit changed
 * inside `0^{5}` keeps the value): hunt.ts decides those exactly rather than trusting the label.
 */
import { Rng } from '../../core/rng.js';
import { findClosingBrace } from './normalize.js';
import { equivalentRewrite } from './rewrite.js';

/** One variant of a gold answer. `mutation` names the edit, e.g. `digit`, `rewrite-reorder`. */
export interface Variant {
  kind: 'wrong' | 'rewrite';
  mutation: string;
  text: string;
}

type Mutation = (g: string, rng: Rng) => string | undefined;

/** Number tokens (`12`, `3.5`) outside command names, with their offsets. */
function numbers(g: string): { start: number; end: number; text: string }[] {
  return [...g.matchAll(/\d+(?:\.\d+)?/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0] }));
}

const splice = (g: string, start: number, end: number, text: string): string => g.slice(0, start) + text + g.slice(end);

/** An integer text plus one, or `(x)+1` for anything else. */
const bump = (x: string): string => (/^\s*\d+\s*$/.test(x) ? String(BigInt(x.trim()) + 1n) : /^-\d+$/.test(x.trim()) ? String(BigInt(x.trim()) + 1n) : `${x}+1`);

/** `$…$` around the whole answer: the inner part and a function to put it back. */
function unwrapDollar(g: string): { inner: string; wrap: (s: string) => string } {
  const m = /^\$([^$]+)\$$/.exec(g.trim());
  return m ? { inner: m[1] as string, wrap: (s) => `$${s}$` } : { inner: g, wrap: (s) => s };
}

const digit: Mutation = (g, rng) => {
  const digits = [...g.matchAll(/\d/g)].map((m) => m.index);
  if (digits.length === 0) return undefined;
  const at = rng.choice(digits);
  const d = Number(g[at]);
  return splice(g, at, at + 1, String((d + 1 + rng.int(9)) % 10));
};

const exponent: Mutation = (g, rng) => {
  const sites: { start: number; end: number; text: string }[] = [];
  for (const m of g.matchAll(/\^\s*(\{)?/g)) {
    const from = m.index + m[0].length;
    // Degrees and primes are marks, not exponents.
    if (/^\s*\\(?:circ|prime)/.test(g.slice(from))) continue;
    if (m[1] !== undefined) {
      const close = findClosingBrace(g, from - 1);
      if (close > 0) sites.push({ start: from, end: close, text: g.slice(from, close) });
    } else {
      const one = /^(?:\d|[a-zA-Z]|\\[a-zA-Z]+)/.exec(g.slice(from));
      if (one) sites.push({ start: from, end: from + one[0].length, text: one[0] });
    }
  }
  if (sites.length === 0) return undefined;
  const s = rng.choice(sites);
  const wrapped = `{${bump(s.text)}}`;
  const [start, end] = g[s.start - 1] === '{' ? [s.start - 1, s.end + 1] : [s.start, s.end];
  return splice(g, start, end, wrapped);
};

const sign: Mutation = (g, rng) => {
  const nums = numbers(g).filter((n) => !/[\^_{]$/.test(g.slice(0, n.start)) || g[n.start - 1] === '{');
  if (nums.length === 0) return undefined;
  const n = rng.choice(nums);
  const before = g.slice(0, n.start);
  if (/-\s*$/.test(before)) return before.replace(/-\s*$/, /[\d)}a-zA-Z]\s*-\s*$/.test(before) ? '+' : '') + g.slice(n.start);
  if (/\+\s*$/.test(before)) return before.replace(/\+\s*$/, '-') + g.slice(n.start);
  return splice(g, n.start, n.start, '-');
};

/** `\frac{A}{B}` sites: the denominator's span. */
function denominators(g: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of g.matchAll(/\\[dtc]?frac\s*\{/g)) {
    const numClose = findClosingBrace(g, m.index + m[0].length - 1);
    if (numClose < 0 || g[numClose + 1] !== '{') continue;
    const denClose = findClosingBrace(g, numClose + 1);
    if (denClose > 0) out.push({ start: numClose + 2, end: denClose });
  }
  for (const m of g.matchAll(/(?<=\d\s*\/\s*)\d+/g)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

const denominator: Mutation = (g, rng) => {
  const sites = denominators(g);
  if (sites.length === 0) return undefined;
  const s = rng.choice(sites);
  return splice(g, s.start, s.end, bump(g.slice(s.start, s.end)));
};

const base: Mutation = (g, rng) => {
  const sites = [...g.matchAll(/(?<=[\dA-F])_\{?(\d+)\}?/g)];
  if (sites.length === 0) return undefined;
  const m = rng.choice(sites);
  return splice(g, m.index, m.index + m[0].length, `_{${Number(m[1]) + 1}}`);
};

/** Binary operators and relations, each with the one it is swapped for. */
const OPERATOR_SWAPS: [RegExp, string][] = [
  [/(?<=[\w)}\]!]\s*)\+/g, '-'],
  [/(?<=[\w)}\]!]\s*)-/g, '+'],
  [/\\cdot(?![a-zA-Z])|\\times(?![a-zA-Z])/g, '+'],
  [/(?<=[\w)}\]]\s*)\/(?=\s*[\w(\\])/g, '\\cdot'],
  [/\\leq?(?![a-zA-Z])|\\leqslant/g, '<'],
  [/\\geq?(?![a-zA-Z])|\\geqslant/g, '>'],
  [/(?<!\\left|\\right)<(?!=)/g, '\\le'],
  [/(?<!\\left|\\right)>(?!=)/g, '\\ge'],
  [/\\cup(?![a-zA-Z])/g, '\\cap'],
];

const operator: Mutation = (g, rng) => {
  const sites: { start: number; end: number; to: string }[] = [];
  for (const [re, to] of OPERATOR_SWAPS) {
    for (const m of g.matchAll(re)) {
      // Not inside `\begin{…}`-style names or a subscript like `a_{n-1}` label (still an operator there: kept).
      sites.push({ start: m.index, end: m.index + m[0].length, to });
    }
  }
  if (sites.length === 0) return undefined;
  const s = rng.choice(sites);
  return splice(g, s.start, s.end, s.to);
};

/** An interval's end bracket flipped (`[` ↔ `(`), or a floor/ceiling argument changed. */
const bound: Mutation = (g, rng) => {
  const floors = [...g.matchAll(/\\l(floor|ceil)(?![a-zA-Z])([\s\S]*?)\\r\1(?![a-zA-Z])/g)];
  if (floors.length > 0) {
    const m = rng.choice(floors);
    const argStart = m.index + 2 + (m[1] as string).length;
    const arg = m[2] as string;
    const digits = [...arg.matchAll(/\d/g)].map((d) => d.index);
    if (digits.length === 0) return splice(g, argStart, argStart + arg.length, `${arg}+1`);
    const at = argStart + rng.choice(digits);
    return splice(g, at, at + 1, String((Number(g[at]) + 1 + rng.int(9)) % 10));
  }
  // Interval-like: an opening ( or [ whose matching closer follows a top-level comma.
  const sites: number[] = [];
  for (let i = 0; i < g.length; i++) if ('([)]'.includes(g[i] as string) && g[i - 1] !== '\\') sites.push(i);
  const ends = sites.filter((i) => {
    const inner = g[i] === '(' || g[i] === '[' ? g.slice(i + 1, i + 200) : g.slice(Math.max(0, i - 200), i);
    return inner.includes(',');
  });
  if (ends.length === 0) return undefined;
  const at = rng.choice(ends);
  const flip: Record<string, string> = { '(': '[', '[': '(', ')': ']', ']': ')' };
  return splice(g, at, at + 1, flip[g[at] as string] as string);
};

const unitPower: Mutation = (g, rng) => {
  const sites = [...g.matchAll(/\\(?:text|mbox|mathrm)\{[^{}]*[a-zA-Z][^{}]*\}(\^\{?(-?\d+)\}?)?/g)];
  if (sites.length === 0) return undefined;
  const m = rng.choice(sites);
  const end = m.index + m[0].length;
  if (m[1] === undefined) return splice(g, end, end, '^{2}');
  const p = Number(m[2]);
  return splice(g, end - (m[1] as string).length, end, `^{${p === 1 ? 2 : p + 1}}`);
};

/** Top-level comma positions of a list or of the inside of one enclosure. */
function topLevelItems(g: string): { start: number; end: number }[] | undefined {
  let from = 0;
  let to = g.length;
  const open = /^\s*(\\\{|\\left\s*[([]|\\left\\\{|[([])/.exec(g);
  if (open) {
    from = open[0].length;
    const close = /(\\\}|\\right\s*[)\]]|\\right\\\}|[)\]])\s*$/.exec(g);
    if (!close) return undefined;
    to = close.index;
  }
  const items: { start: number; end: number }[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = g[i] as string;
    if (c === '\\') {
      if (g[i + 1] === '{') depth++;
      if (g[i + 1] === '}') depth--;
      i++;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      items.push({ start, end: i });
      start = i + 1;
    }
    if (depth < 0) return undefined;
  }
  items.push({ start, end: to });
  // A trailing comma (`\text{(E)},`) makes no second element.
  return items.length >= 2 && items.every((it) => g.slice(it.start, it.end).trim() !== '') ? items : undefined;
}

/** One element changed: a digit in it (a point `(3,2)` becomes `(3,7)`), or `x` → `x+1` when it has none. */
const elementChange: Mutation = (g, rng) => {
  const items = topLevelItems(g);
  if (!items) return undefined;
  const it = rng.choice(items);
  const text = g.slice(it.start, it.end);
  const digits = [...text.matchAll(/\d/g)].map((m) => it.start + m.index);
  if (digits.length > 0) {
    const at = rng.choice(digits);
    return splice(g, at, at + 1, String((Number(g[at]) + 1 + rng.int(9)) % 10));
  }
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  return splice(g, it.start, it.end, lead + bump(text.trim()));
};

const elementDrop: Mutation = (g, rng) => {
  const items = topLevelItems(g);
  if (!items) return undefined;
  const k = rng.int(items.length);
  const it = items[k] as { start: number; end: number };
  // Drop the item with the comma before it (or after it, for the first).
  return k === 0 ? splice(g, it.start, (items[1] as { start: number }).start, '') : splice(g, (items[k - 1] as { end: number }).end, it.end, '');
};

/** A digit 2-9: appended to a number it extends it, after anything else it multiplies (`\\sqrt{5}7`); 1 would keep the value. */
const appendDigit: Mutation = (g, rng) => {
  const { inner, wrap } = unwrapDollar(g);
  return wrap(`${inner}${2 + rng.int(8)}`);
};

const prependDigit: Mutation = (g, rng) => {
  const { inner, wrap } = unwrapDollar(g);
  return wrap(`${2 + rng.int(8)}${inner}`);
};

const appendElement: Mutation = (g, rng) => {
  const { inner, wrap } = unwrapDollar(g);
  return wrap(`${inner}, ${2 + rng.int(98)}`);
};

/** Over 1,000 characters: the gold plus a long sum (a different value), or times a long sum of symbols. */
const wrapHuge: Mutation = (g, rng) => {
  const { inner, wrap } = unwrapDollar(g);
  const n = 520 + rng.int(50);
  return wrap(rng.bool() ? `${Array.from({ length: n }, () => '1').join('+')}+\\left(${inner}\\right)` : `\\left(${inner}\\right)\\cdot\\left(${Array.from({ length: n / 3 }, (_, k) => `x_{${k}}`).join('+')}\\right)`);
};

/**
 * The answer without its `$` delimiters (`$69$,$84$` → `69,84`, as Math-Verify joins the
 * environments), so that edits and rewrites make one clean answer the response can box.
 */
export function bare(gold: string): string {
  const g = /(?<!\\)\$/.test(gold) ? gold.replace(/(?<!\\)\$/g, '').trim().replace(/\.$/, '') : gold.trim();
  const delimited = /^\\\(([\s\S]*)\\\)$|^\\\[([\s\S]*)\\\]$/.exec(g);
  return delimited ? (delimited[1] ?? delimited[2] ?? '').trim() : g;
}

/** The wrong-variant edits, in a fixed order (the order is part of the seeded output). */
export const WRONG_MUTATIONS: Record<string, Mutation> = {
  digit,
  exponent,
  sign,
  denominator,
  base,
  operator,
  bound,
  'unit-power': unitPower,
  'element-change': elementChange,
  'element-drop': elementDrop,
  'append-digit': appendDigit,
  'prepend-digit': prependDigit,
  'append-element': appendElement,
  'wrap-huge': wrapHuge,
};

/** Splits a single expression into top-level signed terms (`a - b + c` → +a, -b, +c); undefined if it is not a sum. */
function terms(g: string): { sign: '+' | '-'; text: string }[] | undefined {
  if (/[=<>,;]|\\(?:le|ge|lt|gt|ne|pm|mp|in|cup|text|begin)(?![a-zA-Z])|\\[{}]/.test(g)) return undefined;
  const out: { sign: '+' | '-'; text: string }[] = [];
  let depth = 0;
  let start = 0;
  let sgn: '+' | '-' = '+';
  const s = g.trim();
  let i = 0;
  if (s[0] === '-') {
    sgn = '-';
    i = start = 1;
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\') {
      i += (/^\\[a-zA-Z]+|^\\./.exec(s.slice(i))?.[0].length ?? 1) - 1;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if ((c === '+' || c === '-') && depth === 0 && /[\w)}\]!]\s*$/.test(s.slice(0, i)) && !/\de$/.test(s.slice(0, i))) {
      out.push({ sign: sgn, text: s.slice(start, i).trim() });
      sgn = c;
      start = i + 1;
    }
  }
  out.push({ sign: sgn, text: s.slice(start).trim() });
  return out.length >= 2 && out.every((t) => t.text !== '') ? out : undefined;
}

/** Words in the answer (`… where $b$ is an arbitrary integer`): a sentence has no mechanical rewrite. */
const prose = (g: string): boolean => /(?<![\\a-zA-Z])[a-zA-Z]{3,}(?![a-zA-Z])/.test(g.replace(/\\(?:text|mathrm|mbox)\{[^{}]*\}/g, ''));

/** Equivalent rewrites; each returns undefined where it does not apply. */
export const REWRITES: Record<string, (g: string) => string | undefined> = {
  /** The rewrite the data-gated gold test uses (`\frac12` → `0.5`, `12` → `12.0`, spacing in tuples). */
  'rewrite-basic': (g) => equivalentRewrite(g),
  /** Spaces around commas and operators. */
  'rewrite-spacing': (g) => (/\\(?:text|mbox|begin)|\$|\d,\d{3}/.test(g) ? undefined : g.replace(/\s*([,+=])\s*/g, ' $1 ').replace(/\s+/g, ' ').trim()),
  /** `\left(`…`\right)` for every parenthesis. */
  'rewrite-leftright': (g) => (/\(/.test(g) && !/\\left|\\right|\$/.test(g) ? g.replace(/\(/g, '\\left(').replace(/\)/g, '\\right)') : undefined),
  /** The same terms of a sum in reverse order. */
  'rewrite-commute': (g) => {
    const ts = terms(g);
    if (!ts) return undefined;
    const r = [...ts].reverse();
    return r.map((t, k) => (k === 0 ? (t.sign === '-' ? '-' : '') : t.sign === '-' ? ' - ' : ' + ') + t.text).join('');
  },
  /** An answer stated as an assignment: `x = 5`. */
  'rewrite-assign': (g) => (/[=<>,]|\\(?:le|ge|lt|gt|ne|in|text)|\$/.test(g) ? undefined : `x = ${g}`),
  /** A decimal as a fraction (`0.35` → `\frac{35}{100}`), an integer as `\frac{2n}{2}`. */
  'rewrite-fraction': (g) => {
    const t = g.trim();
    const dec = /^(-?)(\d*)\.(\d+)$/.exec(t);
    if (dec) return `${dec[1]}\\frac{${BigInt((dec[2] || '0') + dec[3])}}{1${'0'.repeat((dec[3] as string).length)}}`;
    if (/^-?\d{1,15}$/.test(t)) return `${t.startsWith('-') ? '-' : ''}\\frac{${2n * BigInt(t.replace('-', ''))}}{2}`;
    return undefined;
  },
  /** A braced set or a plain list of numbers in reverse order. */
  'rewrite-reorder': (g) => {
    const set = /^\\\{(.*)\\\}$/.exec(g.trim());
    const inner = set ? (set[1] as string) : g.trim();
    // A plain list of numbers, not one number with thousands separators (`58,500`).
    if (!set && (!/^-?[\d.]+(?:\s*,\s*-?[\d.]+)+$/.test(inner) || /^-?\d{1,3}(?:,\d{3})+$/.test(inner))) return undefined;
    const items = topLevelItems(inner);
    if (!items) return undefined;
    const parts = items.map((it) => inner.slice(it.start, it.end).trim()).reverse();
    return set ? `\\{${parts.join(', ')}\\}` : parts.join(', ');
  },
};

/**
 * The variants of one gold answer: one wrong variant per applicable edit and one rewrite per
 * applicable rewrite, deduplicated, none equal to the gold's own text. `rng` should be forked per
 * gold (e.g. `Rng.fromSeed(seed).fork(goldId)`), so a subset of golds sees the same variants.
 *
 * @example variants('\\frac{1}{2}', Rng.fromSeed(1)).find((v) => v.mutation === 'denominator')?.text // '\\frac{1}{3}'
 */
export function variants(goldAnswer: string, rng: Rng): Variant[] {
  const out: Variant[] = [];
  const gold = bare(goldAnswer);
  const seen = new Set([goldAnswer.trim(), gold]);
  for (const [name, mutate] of Object.entries(WRONG_MUTATIONS)) {
    const text = mutate(gold, rng.fork(name));
    if (text === undefined || seen.has(text.trim())) continue;
    seen.add(text.trim());
    out.push({ kind: 'wrong', mutation: name, text });
  }
  for (const [name, rewrite] of Object.entries(REWRITES)) {
    const text = prose(gold) ? undefined : rewrite(gold);
    if (text === undefined || seen.has(text.trim())) continue;
    seen.add(text.trim());
    out.push({ kind: 'rewrite', mutation: name, text });
  }
  return out;
}
