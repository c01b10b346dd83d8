/**
 * The Python value model the BFCL APIs run on. The reference APIs are Python, and their results
 * and state are compared as Python values, so the port keeps Python's distinctions:
 *
 * | Python           | TypeScript                                             |
 * | ---------------- | ------------------------------------------------------ |
 * | `None`           | `null`                                                 |
 * | `bool`           | `boolean`                                              |
 * | `int`            | `bigint` (so `15` and `15.0` stay different)           |
 * | `float`          | `number`                                               |
 * | `str`            | `string`                                               |
 * | `list`           | `PyValue[]` (a JS array)                               |
 * | `tuple`          | {@link PyTuple}                                        |
 * | `dict`           | `Map<PyKey, PyValue>` (insertion-ordered, typed keys)  |
 * | `set`            | `Set<PyKey>`                                           |
 * | anything else    | a {@link PyObject} (File, Directory, mpf, Decimal, …)  |
 *
 * Dict keys are primitives so a JS `Map` hashes them: `'1'` and `1n` are different keys, as in
 * Python. Python also merges `1`, `1.0` and `True` into one key; the lookup helpers in `ops.ts`
 * (`dictGet`, `dictSet`, …) do that, plain `Map.get` does not.
 *
 * @example
 * const tweet: PyDict = new Map<PyKey, PyValue>([['id', 0n], ['content', 'hi'], ['tags', []]]);
 */

/** Any Python value the APIs take, store or return. */
export type PyValue = null | boolean | bigint | number | string | PyValue[] | PyTuple | PyDict | PySet | PyObject;

/** Hashable values usable as dict keys and set members. */
export type PyKey = null | boolean | bigint | number | string;

/** A Python dict: insertion-ordered, keys keep their Python type. */
export type PyDict = Map<PyKey, PyValue>;

/** A Python set. Iteration order is insertion order (CPython's hash order is not reproduced). */
export type PySet = Set<PyKey>;

/** A Python tuple: equal only to tuples, printed `(a, b)` / `(a,)`, JSON-dumped as an array. */
export class PyTuple {
  readonly items: readonly PyValue[];
  constructor(items: readonly PyValue[]) {
    this.items = items;
  }
}

/**
 * A Python object of another type. Implementations define how it prints, compares and snapshots.
 * `json.dumps` rejects it (TypeError), so a dict holding one is printed with `repr` (SPEC §1.3).
 */
export interface PyObject {
  /** The Python type name, as in `type(x).__name__` (used in error messages and set ordering). */
  readonly pyType: string;
  /** `repr(x)`. */
  pyRepr(): string;
  /** `str(x)`; defaults to `pyRepr()` when absent. */
  pyStr?(): string;
  /** `x == other`. */
  pyEquals(other: PyValue): boolean;
  /** The canonical snapshot of SPEC §5. */
  pySnapshot(): import('../../../core/types.js').JsonValue;
  /** `copy.deepcopy(x)`; objects without it are shared by deep copies. */
  pyDeepcopy?(memo: Map<object, unknown>): PyObject;
}

/** True for a {@link PyObject} (anything object-like that is not a container of the model). */
export function isPyObject(v: PyValue | undefined): v is PyObject {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Map) &&
    !(v instanceof Set) &&
    !(v instanceof PyTuple)
  );
}

export const isInt = (v: PyValue | undefined): v is bigint => typeof v === 'bigint';
export const isFloat = (v: PyValue | undefined): v is number => typeof v === 'number';
/** `isinstance(v, (int, float))`: bool counts, as it is an int subclass in Python. */
export const isNumber = (v: PyValue | undefined): v is bigint | number | boolean =>
  typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean';
/** A value usable as a dict key / set member. */
export const isKey = (v: PyValue | undefined): v is PyKey =>
  v === null || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string';

/** `type(v).__name__`. */
export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  if (v instanceof Set) return 'set';
  if (v instanceof PyTuple) return 'tuple';
  return v.pyType;
}

/** Build a dict from `[key, value]` pairs or a plain record (string keys, in order). */
export function dict(entries: Iterable<readonly [PyKey, PyValue]> | Record<string, PyValue> = []): PyDict {
  if (Symbol.iterator in entries) return new Map(entries as Iterable<readonly [PyKey, PyValue]>);
  return new Map(Object.entries(entries));
}

/** Build a tuple. */
export const tuple = (...items: PyValue[]): PyTuple => new PyTuple(items);
