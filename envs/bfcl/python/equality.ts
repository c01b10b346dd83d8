/**
 * Python `==` on values (SPEC §5): numbers by value across int/float/bool, dicts by key set and
 * values (order ignored), lists and tuples element-wise (a list never equals a tuple), sets by
 * membership, objects by their own `pyEquals`.
 */
import { PyException } from './errors.js';
import { PyTuple, isPyObject, type PyDict, type PyKey, type PySet, type PyValue } from './value.js';

/** The numeric value of an int/float/bool, or undefined for anything else. */
function numeric(v: PyValue): bigint | number | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return undefined;
}

/** Exact numeric comparison of int/float (no rounding through doubles for large ints). */
export function numEq(a: bigint | number, b: bigint | number): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const i = typeof a === 'bigint' ? a : (b as bigint);
  const f = typeof a === 'number' ? a : (b as number);
  return Number.isInteger(f) && BigInt(f) === i;
}

/**
 * Find the key of `map`/`set` that Python would treat as `key` (`1`, `1.0` and `True` are one key).
 * Returns undefined when absent.
 */
export function findKey(keys: { has(k: PyKey): boolean; keys(): IterableIterator<PyKey> }, key: PyKey): PyKey | undefined {
  if (keys.has(key)) return key;
  const n = numeric(key);
  if (n === undefined || (typeof n === 'number' && Number.isNaN(n))) return undefined;
  for (const k of keys.keys()) {
    const m = numeric(k);
    if (m !== undefined && numEq(m, n)) return k;
  }
  return undefined;
}

function dictEq(a: PyDict, b: PyDict): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const kb = findKey(b, k);
    if (kb === undefined) return false;
    const w = b.get(kb) ?? null;
    // PyObject_RichCompareBool: identical objects are equal without calling __eq__.
    if (v !== w && !pyEq(v, w)) return false;
  }
  return true;
}

function setEq(a: PySet, b: PySet): boolean {
  if (a.size !== b.size) return false;
  for (const k of a) if (findKey(b, k) === undefined) return false;
  return true;
}

function seqEq(a: readonly PyValue[], b: readonly PyValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    // Python compares container items by identity first, then ==.
    if (x !== y && !pyEq(x, y)) return false;
  }
  return true;
}

/**
 * Python `a == b`.
 *
 * @example
 * pyEq(1n, 1.0)              // true
 * pyEq(['a'], tuple('a'))    // false
 * pyEq(new Map([['1', 0n]]), new Map([[1n, 0n]])) // false: '1' != 1
 */
export function pyEq(a: PyValue, b: PyValue): boolean {
  // Self-containing structures (a directory copied into itself) recurse forever; Python stops at
  // its recursion limit with RecursionError, and so do we.
  if (++depth > MAX_DEPTH) {
    depth = 0;
    throw new PyException('RecursionError', 'maximum recursion depth exceeded in comparison');
  }
  try {
    return eqInner(a, b);
  } finally {
    depth = Math.max(0, depth - 1);
  }
}

const MAX_DEPTH = 1000;
let depth = 0;

function eqInner(a: PyValue, b: PyValue): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && numEq(na, nb);
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') return a === b;
  if (isPyObject(a)) return a.pyEquals(b);
  if (isPyObject(b)) return b.pyEquals(a);
  if (Array.isArray(a)) return Array.isArray(b) && seqEq(a, b);
  if (a instanceof PyTuple) return b instanceof PyTuple && seqEq(a.items, b.items);
  if (a instanceof Map) return b instanceof Map && dictEq(a, b);
  if (a instanceof Set) return b instanceof Set && setEq(a, b);
  return false;
}
