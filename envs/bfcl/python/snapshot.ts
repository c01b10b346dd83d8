/**
 * The canonical snapshot of SPEC §5: a plain JSON rendering of Python state for differential
 * tests and replay output. Compare snapshots numerically and ignoring object key order.
 */
import type { JsonValue } from '../../../core/types.js';
import { pyStr } from './repr.js';
import { PyTuple, typeName, type PyKey, type PyValue } from './value.js';

/** A finite float as a JSON number, a non-finite one as `{"$float": "nan" | "inf" | "-inf"}`. */
export function snapshotFloat(x: number): JsonValue {
  if (Number.isNaN(x)) return { $float: 'nan' };
  if (x === Infinity) return { $float: 'inf' };
  if (x === -Infinity) return { $float: '-inf' };
  return x;
}

function nativeKey(k: PyKey): JsonValue {
  if (typeof k === 'bigint') return Number(k);
  if (typeof k === 'number') return snapshotFloat(k);
  return k;
}

// Set members sort by (type name, value), so snapshots do not depend on insertion order.
function compareMembers(a: PyKey, b: PyKey): number {
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a === null || b === null) return 0;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Order strings by code point (Python), not UTF-16 code unit (JS default). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx - cy;
  }
}

/**
 * The canonical snapshot of one value.
 *
 * @example
 * canonicalSnapshot(new Map([[1n, 'a'], ['1', 'b']])) // { $pairs: [[1, 'a'], ['1', 'b']] }
 * canonicalSnapshot(new Set([3n, 1n]))                 // [1, 3]
 */
export function canonicalSnapshot(v: PyValue): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return snapshotFloat(v);
  if (Array.isArray(v)) return v.map(canonicalSnapshot);
  if (v instanceof PyTuple) return v.items.map(canonicalSnapshot);
  if (v instanceof Set) return [...v].sort(compareMembers).map(canonicalSnapshot);
  if (v instanceof Map) {
    const names = new Set<string>();
    let collides = false;
    for (const k of v.keys()) {
      const name = pyStr(k);
      if (names.has(name)) collides = true;
      names.add(name);
    }
    if (collides) return { $pairs: [...v].map(([k, x]) => [nativeKey(k), canonicalSnapshot(x)]) };
    const out: { [key: string]: JsonValue } = {};
    for (const [k, x] of v) out[pyStr(k)] = canonicalSnapshot(x);
    return out;
  }
  return v.pySnapshot();
}
