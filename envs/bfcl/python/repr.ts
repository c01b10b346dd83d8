/**
 * `repr()` and `str()` of Python values (SPEC §6.5): what the result strings show for lists,
 * `None`, ints, and dicts that `json.dumps` cannot serialise.
 */
import { floatRepr, reprStr } from './repr-str.js';
import { PyTuple, type PyValue } from './value.js';

/**
 * `repr(v)`.
 *
 * @example
 * pyRepr(new Map([['result', 2n]])) // "{'result': 2}"
 * pyRepr(['alice', 'bob'])           // "['alice', 'bob']"
 */
export function pyRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return floatRepr(v);
  if (typeof v === 'string') return reprStr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof PyTuple) {
    if (v.items.length === 1) return `(${pyRepr(v.items[0] ?? null)},)`;
    return `(${v.items.map(pyRepr).join(', ')})`;
  }
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, x] of v) parts.push(`${pyRepr(k)}: ${pyRepr(x)}`);
    return `{${parts.join(', ')}}`;
  }
  if (v instanceof Set) {
    if (v.size === 0) return 'set()';
    return `{${[...v].map(pyRepr).join(', ')}}`;
  }
  return v.pyRepr();
}

/**
 * `str(v)`: the text itself for a str, `pyStr()` for objects that define it, else `repr`.
 *
 * @example
 * pyStr('a')  // 'a'
 * pyStr(5.0)  // '5.0'
 */
export function pyStr(v: PyValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set)) {
    if (!(v instanceof PyTuple) && v.pyStr) return v.pyStr();
  }
  return pyRepr(v);
}
