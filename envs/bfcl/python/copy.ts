/** `copy.deepcopy` for Python values: shared sub-objects stay shared in the copy, as in Python. */
import { PyTuple, type PyDict, type PySet, type PyValue } from './value.js';

/**
 * `copy.deepcopy(v)`. Objects without `pyDeepcopy` are shared (they are immutable here).
 *
 * @example
 * const a: PyValue[] = []; const b = deepcopy([a, a]) as PyValue[][]; b[0] === b[1] // true
 */
export function deepcopy<T extends PyValue>(v: T, memo: Map<object, unknown> = new Map()): T {
  if (v === null || typeof v !== 'object') return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen as T;
  if (Array.isArray(v)) {
    const out: PyValue[] = [];
    memo.set(v, out);
    for (const x of v) out.push(deepcopy(x, memo));
    return out as T;
  }
  if (v instanceof PyTuple) {
    const out = new PyTuple(v.items.map((x) => deepcopy(x, memo)));
    memo.set(v, out);
    return out as T;
  }
  if (v instanceof Map) {
    const out: PyDict = new Map();
    memo.set(v, out);
    for (const [k, x] of v as PyDict) out.set(k, deepcopy(x, memo));
    return out as T;
  }
  if (v instanceof Set) {
    const out: PySet = new Set(v);
    memo.set(v, out);
    return out as T;
  }
  const out = v.pyDeepcopy ? v.pyDeepcopy(memo) : v;
  memo.set(v, out);
  return out as T;
}
