/**
 * Samplers and writers shared by the synthetic generators (SPEC.md §6.0). Every draw comes from
 * the `Rng` passed in, in a fixed order, so the same seed gives byte-identical files.
 */
import { stringify } from 'csv-stringify/sync';
import { zipSync } from 'fflate';
import { ConfigError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';

/** Files of a prepared competition by path relative to `prepared/` (`public/…`, `private/…`). */
export type SyntheticFiles = Map<string, string | Uint8Array>;

/** What a generator gets: its stream and the size multiplier of the small profile. */
export interface GeneratorInput {
  rng: Rng;
  scale: number;
}

export type Generator = (input: GeneratorInput) => SyntheticFiles;

/** Poisson draw: Knuth below λ = 30, a rounded normal above (SPEC.md §6.0). */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda >= 0)) throw new ConfigError(`poisson: λ must be >= 0; got ${lambda}`);
  if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();
export const normal = (rng: Rng, mean: number, sd: number): number => mean + sd * rng.normal();
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** A string of `n` characters from `alphabet`. */
export function randomString(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

export const HEX = '0123456789abcdef';
export const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Draws until `make` gives a value not in `seen`, then records it (unique ids). */
export function unique(seen: Set<string>, make: () => string): string {
  for (let i = 0; i < 10_000; i++) {
    const v = make();
    if (!seen.has(v)) {
      seen.add(v);
      return v;
    }
  }
  throw new ConfigError('synthetic data: could not draw a unique id in 10000 tries; the id space is too small for this scale');
}

/** Number of rows at this scale (at least `min`). */
export function scaled(n: number, scale: number, min = 20): number {
  return Math.max(min, Math.round(n * scale));
}

/** CSV text: header, `\n` line ends, RFC 4180 quoting only where needed. */
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  return stringify([header, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? formatNumber(v) : v)))], { record_delimiter: 'unix' });
}

/** Integers without a decimal point, other numbers with at most 6 decimals. */
export function formatNumber(v: number, decimals = 6): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toFixed(decimals)));
}

/** A zip (deflate) holding `files` at the archive root; timestamps fixed so bytes are reproducible. */
export function zip(files: Record<string, Uint8Array | string>): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const mtime = new Date('2020-01-01T00:00:00Z');
  for (const [name, content] of Object.entries(files)) {
    entries[name] = [typeof content === 'string' ? new TextEncoder().encode(content) : content, { mtime }];
  }
  return zipSync(entries, { level: 6 });
}

/** The test-row count of a random split: ceil(testShare × n), as scikit-learn's train_test_split. */
export function testCount(n: number, testShare: number): number {
  return Math.ceil(testShare * n);
}

/** Words drawn from a list into a sentence-like string. */
export function words(rng: Rng, list: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rng.choice(list));
  return out;
}

export const capitalise = (s: string): string => (s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1));

/** Splits "a b c" word lists written as one string. */
export const list = (s: string): string[] => s.trim().split(/\s+/);
