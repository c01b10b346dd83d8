/**
 * Python `str` methods whose JS counterparts differ (SPEC §6.3): `splitlines()`, `split()` with no
 * separator (runs of Unicode whitespace), code-point `len`, and code-point ordering.
 */
import { compareCodePoints } from './snapshot.js';

export { compareCodePoints };

// The line boundaries of str.splitlines(): \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029.
// eslint-disable-next-line no-control-regex
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/**
 * `s.splitlines()`: no trailing empty item, `\r\n` counts once.
 *
 * @example
 * splitlines('a\nb\n')   // ['a', 'b']
 * splitlines('a\r\n\nb') // ['a', '', 'b']
 */
export function splitlines(s: string): string[] {
  if (s === '') return [];
  const parts = s.split(new RegExp(LINE_BREAK.source, 'g'));
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

// Characters for which str.isspace() is true (bidi class WS/B/S or category Zs).
const WHITESPACE = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const WS_RUN = new RegExp(`[${WHITESPACE}]+`, 'g');

/**
 * `s.split()` (no separator): split on runs of whitespace, dropping empty items.
 *
 * @example
 * splitWhitespace('  a  b\tc\n') // ['a', 'b', 'c']
 */
export function splitWhitespace(s: string): string[] {
  return s.split(WS_RUN).filter((p) => p !== '');
}

const WS_CHARS = new Set(WHITESPACE);

/**
 * `s.strip()` with Python's whitespace set. Scanned from both ends: `/^[…]+|[…]+$/g` restarted at
 * every position of an inner run of whitespace (quadratic: 13 s for 100k spaces).
 */
export function strip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && WS_CHARS.has(s[start] as string)) start++;
  while (end > start && WS_CHARS.has(s[end - 1] as string)) end--;
  return s.slice(start, end);
}

/** `sorted(strings)`: code-point order. */
export function sortStrings(values: readonly string[]): string[] {
  return [...values].sort(compareCodePoints);
}

/** `s.lower()`. */
export const lower = (s: string): string => s.toLowerCase();

/** `s.upper()`. */
export const upper = (s: string): string => s.toUpperCase();

/** UTF-8 byte length (`len(s.encode())`). */
export const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');
