/**
 * The slice of Python's `datetime` the BFCL APIs use: `datetime.strptime` for the directives
 * `%Y %m %d %H %I %M %S %p %%` (CPython's `_strptime` regexes, so `'9:30 am'` and `'2024-9-1'`
 * parse as they do there), naive date-time ordering, second arithmetic and `%Y-%m-%d %H:%M:%S`
 * formatting. Time zones never enter: TradingBot's clock is naive (SPEC §4).
 *
 * Deviation: CPython's `\d` also matches non-ASCII decimal digits; here only ASCII digits parse.
 */
import { pyRaise } from './errors.js';
import { reprStr } from './repr-str.js';
import { typeName, type PyValue } from './value.js';

/** A naive `datetime` (fields as in Python, month and day 1-based). */
export interface NaiveDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

// CPython's _strptime.TimeRE, for the directives the APIs use (C locale).
const DIRECTIVES: Readonly<Record<string, string>> = {
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  m: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  Y: '(\\d\\d\\d\\d)',
  p: '(am|pm)',
  '%': '(%)',
};

interface CompiledFormat {
  readonly regex: RegExp;
  readonly groups: readonly string[];
}

const compiled = new Map<string, CompiledFormat>();

function compileFormat(format: string): CompiledFormat {
  const hit = compiled.get(format);
  if (hit) return hit;
  const groups: string[] = [];
  let source = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] ?? '';
    if (ch === '%') {
      const d = format[i + 1] ?? '';
      const re = DIRECTIVES[d];
      // Only the formats written in the API sources reach here; anything else is a port bug.
      if (re === undefined) throw new Error(`strptime: directive %${d} is not supported by this port`);
      groups.push(d);
      source += re;
      i++;
    } else if (/\s/.test(ch)) {
      // CPython turns each run of whitespace in the format into \s+.
      while (/\s/.test(format[i + 1] ?? '')) i++;
      source += '\\s+';
    } else {
      source += ch.replace(/[.^$*+?()[\]{}|\\]/g, '\\$&');
    }
  }
  const out = { regex: new RegExp(`^(?:${source})`, 'i'), groups };
  compiled.set(format, out);
  return out;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in `month` of `year` (month 1-based). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `datetime.strptime(text, format)`.
 * Raises ValueError `time data '…' does not match format '…'`, `unconverted data remains: …` or
 * `day is out of range for month`, and TypeError for a non-str argument, as CPython does.
 *
 * @example
 * strptime('9:30 am', '%I:%M %p') // { year: 1900, month: 1, day: 1, hour: 9, minute: 30, second: 0 }
 */
export function strptime(text: PyValue, format: string): NaiveDateTime {
  if (typeof text !== 'string') {
    // CPython's argument parser names None itself, other values by their type.
    return pyRaise('TypeError', `strptime() argument 1 must be str, not ${text === null ? 'None' : typeName(text)}`);
  }
  const { regex, groups } = compileFormat(format);
  const found = regex.exec(text);
  if (!found) {
    return pyRaise('ValueError', `time data ${reprStr(text)} does not match format ${reprStr(format)}`);
  }
  if (found[0].length !== text.length) {
    return pyRaise('ValueError', `unconverted data remains: ${text.slice(found[0].length)}`);
  }
  const value = (d: string): string | undefined => {
    const i = groups.indexOf(d);
    return i < 0 ? undefined : found[i + 1];
  };
  const num = (d: string, dflt: number): number => {
    const v = value(d);
    return v === undefined ? dflt : Number.parseInt(v.trim(), 10);
  };
  let hour = num('H', 0);
  if (value('I') !== undefined) {
    hour = num('I', 0);
    const ampm = (value('p') ?? '').toLowerCase();
    if (ampm === '' || ampm === 'am') {
      if (hour === 12) hour = 0;
    } else if (hour !== 12) {
      hour += 12;
    }
  }
  const dt: NaiveDateTime = {
    year: num('Y', 1900),
    month: num('m', 1),
    day: num('d', 1),
    hour,
    minute: num('M', 0),
    second: num('S', 0),
  };
  if (dt.day > daysInMonth(dt.year, dt.month)) pyRaise('ValueError', 'day is out of range for month');
  if (dt.second > 59) pyRaise('ValueError', 'second must be in 0..59');
  return dt;
}

/** Seconds since 0001-01-01 00:00:00 (proleptic Gregorian), for ordering and arithmetic. */
export function toSeconds(dt: NaiveDateTime): number {
  let days = 0;
  const y = dt.year - 1;
  days += y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  for (let m = 1; m < dt.month; m++) days += daysInMonth(dt.year, m);
  days += dt.day - 1;
  return ((days * 24 + dt.hour) * 60 + dt.minute) * 60 + dt.second;
}

/** The date-time `seconds` after 0001-01-01 00:00:00 (inverse of {@link toSeconds}). */
export function fromSeconds(seconds: number): NaiveDateTime {
  let days = Math.floor(seconds / 86400);
  let rest = seconds - days * 86400;
  const hour = Math.floor(rest / 3600);
  rest -= hour * 3600;
  const minute = Math.floor(rest / 60);
  const second = rest - minute * 60;
  let year = 1;
  // 400 Gregorian years are exactly 146097 days.
  year += 400 * Math.floor(days / 146097);
  days %= 146097;
  while (days >= (isLeap(year) ? 366 : 365)) {
    days -= isLeap(year) ? 366 : 365;
    year++;
  }
  let month = 1;
  while (days >= daysInMonth(year, month)) {
    days -= daysInMonth(year, month);
    month++;
  }
  return { year, month, day: days + 1, hour, minute, second };
}

/** `a + timedelta(seconds=s)`. */
export const addSeconds = (dt: NaiveDateTime, seconds: number): NaiveDateTime => fromSeconds(toSeconds(dt) + seconds);

/** `a < b`-style three-way comparison of naive date-times. */
export const compareDateTime = (a: NaiveDateTime, b: NaiveDateTime): number => toSeconds(a) - toSeconds(b);

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** `dt.strftime('%Y-%m-%d %H:%M:%S')`. */
export function formatDateTime(dt: NaiveDateTime): string {
  return `${pad(dt.year, 4)}-${pad(dt.month, 2)}-${pad(dt.day, 2)} ${pad(dt.hour, 2)}:${pad(dt.minute, 2)}:${pad(dt.second, 2)}`;
}

/** `dt.strftime('%I:%M %p')` (C locale). */
export function formatClock12(dt: NaiveDateTime): string {
  const h = dt.hour % 12 === 0 ? 12 : dt.hour % 12;
  return `${pad(h, 2)}:${pad(dt.minute, 2)} ${dt.hour < 12 ? 'AM' : 'PM'}`;
}
