/**
 * Finding the final answer in a model's text (data/math/VERIFY.md section 2): candidates from
 * anchored patterns in priority tiers; inside a tier the rightmost candidate comes first. The
 * verifier takes the first candidate that parses, and never looks at a lower tier once one did.
 */
import { findClosingBrace } from './normalize.js';

/** One possible final answer in a response. */
export interface Candidate {
  /** LaTeX (`latex`) or a plain-text number/arithmetic expression (`expr`), as written. */
  text: string;
  kind: 'latex' | 'expr';
  /** Lower is tried first: 0 "final answer is X. I hope", 50 boxed / "final answer … is", 100 "answer:", 200 "answer", 300 anywhere. */
  tier: number;
  start: number;
  end: number;
}

/** Responses are cut to their last this-many characters: the answer is at the end, and it bounds the work. */
export const MAX_RESPONSE_CHARS = 20_000;

// `(?:\$\s*)?`, not `\$?\s*`: two adjacent `\s*` split a run of spaces every way (quadratic).
const PERCENT_AFTER = /^\s*(?:\$\s*)?(?:\\%|%|percent(?:age)?\b|pct\b)/i;

/** One connector token between boxes; the tokens are prefix-free, so a left-to-right scan is exact. */
const JOINER_TOKEN = /\\text\{\s*(?:and|or)\s*\}|\\q?quad|\\[,;\][()]|and|or|[\s$,;.]/iy;

/**
 * Whether the text between boxes only joins them (`\boxed{1}, \boxed{2}`, `… and \boxed{2}`):
 * connector tokens (spaces, `$`, `,`, `;`, `\quad`, `\,`, `\[`, …, `and`, `or`, `\text{and}`),
 * with `.` allowed only before the first and/or. A scan, not the regular expression it replaces
 * (`^(?:[\s$,;.]|…)*(?:(?:and|or|…|,|;)(?:[\s$,;]|…)*)*$`), whose overlapping `,`/`;`
 * alternatives backtracked exponentially: 0.2 s for 24 commas and a stray character, so a
 * policy could stall the process with one short answer.
 */
export function isBoxJoiner(between: string): boolean {
  let word = false;
  for (JOINER_TOKEN.lastIndex = 0; JOINER_TOKEN.lastIndex < between.length; ) {
    const m = JOINER_TOKEN.exec(between);
    if (!m) return false;
    const t = m[0].toLowerCase();
    if (t === '.') {
      if (word) return false;
    } else if (t === 'and' || t === 'or' || t.startsWith('\\text')) word = true;
  }
  return true;
}

/**
 * Whether the text between two boxes joins them into one answer: only connectors, or (as in
 * Math-Verify) a phrase under 70 characters with and/or/,/; — except a phrase that corrects the
 * earlier box (`\boxed{3} wait no, the final answer is \boxed{5}`), which Math-Verify joins and we do not.
 */
function joins(between: string): boolean {
  if (isBoxJoiner(between)) return true;
  return between.length < 70 && /\b(?:and|or)\b|[,;]/i.test(between) && !/\b(?:wait|no|not|actually|answer|instead|correct(?:ion)?|mistake|sorry|oops|hmm|but|however|so|thus|therefore|hence|then|reflect\w*|re-?check\w*|check\w*|again|final(?:ly)?|got|get)\b/i.test(between);
}

/** `\boxed{…}` / `\fbox{…}` contents, later boxes joined into one list when only a connector separates them. */
function boxed(text: string): Candidate[] {
  const boxes: { content: string; start: number; end: number }[] = [];
  const re = /\\(?:boxed|fbox)\s*(\{)?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] === undefined) {
      // `\boxed 5` (no brace) takes the rest of the line.
      const rest = /^[^\n$]*/.exec(text.slice(re.lastIndex))?.[0].trim() ?? '';
      if (rest) boxes.push({ content: rest, start: m.index, end: re.lastIndex + rest.length });
      continue;
    }
    const close = findClosingBrace(text, re.lastIndex - 1);
    if (close < 0) continue; // an unclosed box is not an answer
    boxes.push({ content: text.slice(re.lastIndex, close), start: m.index, end: close + 1 });
    re.lastIndex = close + 1;
  }
  const out: Candidate[] = [];
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i] as (typeof boxes)[number];
    let group = [b];
    for (let j = i - 1; j >= 0; j--) {
      const prev = boxes[j] as (typeof boxes)[number];
      const head = group[0] as (typeof boxes)[number];
      if (!joins(text.slice(prev.end, head.start)) || group.some((g) => g.content === prev.content)) break;
      group = [prev, ...group];
    }
    const first = group[0] as (typeof boxes)[number];
    const pct = PERCENT_AFTER.test(text.slice(b.end)) ? '\\%' : '';
    out.push({ text: group.map((g) => g.content).join(',') + pct, kind: 'latex', tier: 50, start: first.start, end: b.end });
  }
  return out;
}

/** Math environments: `$$…$$`, `\[…\]`, `$…$`, `\(…\)`, `[ … ]`; runs joined by `,`/and/or become one list. */
function latexEnvs(text: string): Candidate[] {
  const found: Candidate[] = [];
  const taken: boolean[] = [];
  const patterns: RegExp[] = [
    /\$\$([\s\S]+?)\$\$/g,
    /\\\[([\s\S]+?)\\\]/g,
    /(?<![\\\d$])\$(?!\$)((?:\\\$|[^$\n])+?)(?<!\\)\$/g,
    /\\\(([^\n]+?)\\\)/g,
    /(?<=^|\s)\[\s([^\n[\]]+?)\s\](?=\s|$|[.,;])/g,
    // A bare `\frac{a}{b}` of plain numbers (no delimiters), as Math-Verify's no-anchor tier accepts.
    /(?<![\\\w{])(-?\\[dt]?frac\{\d+\}\{\d+\})/g,
  ];
  for (const re of patterns) {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = m.index + m[0].length;
      // Inside a `$$…$$` already matched: skip the inner `$…$` re-matches.
      if (taken[start] || taken[end - 1]) continue;
      for (let k = start; k < end; k++) taken[k] = true;
      const pct = PERCENT_AFTER.exec(text.slice(end));
      found.push({ text: (m[1] as string) + (pct ? '\\%' : ''), kind: 'latex', tier: 300, start, end: end + (pct ? pct[0].length : 0) });
    }
  }
  found.sort((a, b) => a.start - b.start);
  const merged: Candidate[] = [];
  for (let i = 0; i < found.length; i++) {
    merged.push(found[i] as Candidate);
    let group = [found[i] as Candidate];
    for (let j = i + 1; j < found.length && group.length < 6; j++) {
      const next = found[j] as Candidate;
      if (!/^\s*(?:,|and|or)\s*$/i.test(text.slice((group.at(-1) as Candidate).end, next.start))) break;
      group = [...group, next];
    }
    if (group.length > 1) {
      const last = group.at(-1) as Candidate;
      merged.push({ text: group.map((g) => g.text).join(','), kind: 'latex', tier: 300, start: (group[0] as Candidate).start, end: last.end });
    }
  }
  return merged;
}

/** Plain-text numbers (`7,425,000`, `.4`, `$12`, `1000,99`, `025`) and simple arithmetic (`1/2`, `(9+1)`). */
function plainNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  const num = String.raw`(?:\d{1,3}(?:[,  ]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+)`;
  // A trailing unit (`1,000.99m²`) may follow; digits inside words (`AZYUK2A`) never start a number.
  const re = new RegExp(String.raw`(?<=^|[\s=(:])[$€£¥₹]?(-?${num}(?:\s*[-+*×/÷^]\s*\(?-?${num}\)?)*)(?:[a-zA-Zµ]{1,5}[²³]?)?(?![\w\\])(?:\s*(?:%|percent(?:age)?\b|pct\b))?`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let body = m[1] as string;
    // `1,000,000` and `1 000` are thousands; a single comma not followed by 3 digits is a decimal comma.
    if (/^-?\d{1,3}(?:[,  ]\d{3})+(?:\.\d+)?$/.test(body)) body = body.replace(/[,  ]/g, '');
    else if (/^-?\d+,\d+$/.test(body)) body = body.replace(',', '.');
    const pct = /(?:%|percent|pct)\s*$/i.test(m[0]) ? '\\%' : '';
    out.push({ text: body + pct, kind: 'expr', tier: 300, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The candidates nearest after an anchor: those starting first in [from, to] (an anchor names one answer, not every later number). */
function startingIn(all: Candidate[], from: number, to: number, tier: number): Candidate[] {
  const inWindow = all.filter((c) => c.start >= from && c.start <= to);
  const first = Math.min(...inWindow.map((c) => c.start));
  return inWindow.filter((c) => c.start === first).map((c) => ({ ...c, tier }));
}

/**
 * Every candidate final answer in `response`, in the order the verifier tries them.
 *
 * @example extract('so the answer is $\\boxed{5}$.')[0]?.text // '5'
 */
export function extract(response: string): Candidate[] {
  const text = response.length > MAX_RESPONSE_CHARS ? response.slice(-MAX_RESPONSE_CHARS) : response;
  const anywhere = [...latexEnvs(text), ...plainNumbers(text)];
  const out: Candidate[] = [];

  for (const m of text.matchAll(/final answer is\s*([\s\S]{1,300}?)\.?\s*I hope/gi)) {
    const from = (m.index ?? 0) + m[0].indexOf(m[1] as string);
    const inner = startingIn(anywhere, from, from + 3, 0);
    out.push(...(inner.length ? inner : [{ text: m[1] as string, kind: 'latex' as const, tier: 0, start: from, end: from + (m[1] as string).length }]));
  }
  out.push(...boxed(text));
  for (const m of text.matchAll(/final answer[\s\S]{0,100}?\bis\b\s*/gi)) {
    const from = (m.index ?? 0) + m[0].length;
    out.push(...startingIn(anywhere, from, from + 3, 50));
  }
  for (const m of text.matchAll(/answer\s*:/gi)) {
    const from = (m.index ?? 0) + m[0].length;
    out.push(...startingIn(anywhere, from, from + 50, 100));
  }
  for (const m of text.matchAll(/answer/gi)) {
    const from = (m.index ?? 0) + m[0].length;
    out.push(...startingIn(anywhere, from, from + 50, 200));
  }
  out.push(...anywhere);
  out.sort((a, b) => a.tier - b.tier || b.end - a.end || a.start - b.start);
  return out;
}
