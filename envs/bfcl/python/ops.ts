/**
 * Python operators on {@link PyValue}s: arithmetic, comparisons, truthiness, `in`, `len`,
 * indexing and dict access with Python key semantics. Each raises the Python exception (as a
 * {@link PyException}) where Python would, instead of coercing like JS (SPEC §6.4): an API
 * written with these gets `'<' not supported between instances of 'str' and 'int'` for free.
 */
import { findKey, numEq, pyEq } from './equality.js';
import { PyException, pyRaise } from './errors.js';
import { mpDiv, mpfFromNumber, mpfToNumber } from './mpmath.js';
import { pyRepr } from './repr.js';
import { compareCodePoints } from './snapshot.js';
import { PyTuple, isKey, typeName, type PyDict, type PyKey, type PyValue } from './value.js';

type Num = bigint | number;

/** int/float/bool as a number type (bool → int), or undefined. */
export function asNum(v: PyValue): Num | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return undefined;
}

const toF = (x: Num): number => (typeof x === 'number' ? x : Number(x));

function unsupported(op: string, a: PyValue, b: PyValue): never {
  return pyRaise('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function numPair(op: string, a: PyValue, b: PyValue): [Num, Num] {
  const x = asNum(a);
  const y = asNum(b);
  if (x === undefined || y === undefined) unsupported(op, a, b);
  return [x, y];
}

/** `a + b` (numbers, str + str, list + list, tuple + tuple). */
export function add(a: PyValue, b: PyValue): PyValue {
  if (typeof a === 'string') {
    if (typeof b === 'string') return a + b;
    return pyRaise('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
  }
  if (Array.isArray(a)) {
    if (Array.isArray(b)) return [...a, ...b];
    return pyRaise('TypeError', `can only concatenate list (not "${typeName(b)}") to list`);
  }
  if (a instanceof PyTuple && b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
  const [x, y] = numPair('+', a, b);
  if (typeof x === 'bigint' && typeof y === 'bigint') return x + y;
  return toF(x) + toF(y);
}

/** `a - b`. */
export function sub(a: PyValue, b: PyValue): PyValue {
  const [x, y] = numPair('-', a, b);
  if (typeof x === 'bigint' && typeof y === 'bigint') return x - y;
  return toF(x) - toF(y);
}

/** `a * b` (numbers, and str/list repetition by an int). */
export function mul(a: PyValue, b: PyValue): PyValue {
  const rep = (seq: PyValue, n: PyValue): PyValue | undefined => {
    if (typeof n !== 'bigint' && typeof n !== 'boolean') return undefined;
    const k = Math.max(0, Number(asNum(n)));
    if (typeof seq === 'string') return seq.repeat(k);
    if (Array.isArray(seq)) return Array.from({ length: k }, () => seq).flat(1);
    return undefined;
  };
  const r = rep(a, b) ?? rep(b, a);
  if (r !== undefined) return r;
  if (typeof a === 'string' || typeof b === 'string' || Array.isArray(a) || Array.isArray(b)) {
    const seq = typeof a === 'string' || Array.isArray(a) ? a : b;
    const other = seq === a ? b : a;
    return pyRaise('TypeError', `can't multiply sequence by non-int of type '${typeName(other)}'`);
  }
  const [x, y] = numPair('*', a, b);
  if (typeof x === 'bigint' && typeof y === 'bigint') return x * y;
  return toF(x) * toF(y);
}

/** `a / b` (always a float; ZeroDivisionError on zero). */
export function truediv(a: PyValue, b: PyValue): number {
  const [x, y] = numPair('/', a, b);
  if (toF(y) === 0 && (typeof y !== 'bigint' || y === 0n)) {
    return pyRaise('ZeroDivisionError', typeof x === 'bigint' && typeof y === 'bigint' ? 'division by zero' : 'float division by zero');
  }
  if (typeof x === 'bigint' && typeof y === 'bigint') return intTrueDiv(x, y);
  return toF(x) / toF(y);
}

// int / int is correctly rounded in Python even beyond 2^53, where Number(x) / Number(y) would round twice.
function intTrueDiv(x: bigint, y: bigint): number {
  const lim = 2n ** 53n;
  if (x < lim && x > -lim && y < lim && y > -lim) return Number(x) / Number(y);
  return mpfToNumber(mpDiv(mpfFromNumber(x), mpfFromNumber(y), 53));
}

/** `a % b`: the result takes the sign of the divisor. */
export function mod(a: PyValue, b: PyValue): PyValue {
  const [x, y] = numPair('%', a, b);
  if (typeof x === 'bigint' && typeof y === 'bigint') {
    if (y === 0n) return pyRaise('ZeroDivisionError', 'integer modulo by zero');
    const r = x % y;
    return r !== 0n && r < 0n !== y < 0n ? r + y : r;
  }
  const fx = toF(x);
  const fy = toF(y);
  if (fy === 0) return pyRaise('ZeroDivisionError', 'float modulo');
  let r = fx % fy;
  if (r !== 0 && r < 0 !== fy < 0) r += fy;
  else if (r === 0) r = fy < 0 ? -0 : 0;
  return r;
}

/** `a // b`. */
export function floordiv(a: PyValue, b: PyValue): PyValue {
  const [x, y] = numPair('//', a, b);
  if (typeof x === 'bigint' && typeof y === 'bigint') {
    if (y === 0n) return pyRaise('ZeroDivisionError', 'integer division or modulo by zero');
    const q = x / y;
    return (x % y !== 0n && x < 0n !== y < 0n) ? q - 1n : q;
  }
  if (toF(y) === 0) return pyRaise('ZeroDivisionError', 'float floor division by zero');
  return Math.floor(toF(x) / toF(y));
}

/** `-a`. */
export function neg(a: PyValue): PyValue {
  const x = asNum(a);
  if (x === undefined) return pyRaise('TypeError', `bad operand type for unary -: '${typeName(a)}'`);
  return typeof x === 'bigint' ? -x : -x;
}

/** `abs(a)`. */
export function pyAbs(a: PyValue): PyValue {
  const x = asNum(a);
  if (x === undefined) return pyRaise('TypeError', `bad operand type for abs(): '${typeName(a)}'`);
  if (typeof x === 'bigint') return x < 0n ? -x : x;
  return Math.abs(x);
}

/** Three-way comparison for `<`-family operators; undefined when Python has no ordering. */
function compare(a: PyValue, b: PyValue): number | undefined {
  const x = asNum(a);
  const y = asNum(b);
  if (x !== undefined && y !== undefined) {
    if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
    if (numEq(x, y)) return 0;
    const fx = toF(x);
    const fy = toF(y);
    if (Number.isNaN(fx) || Number.isNaN(fy)) return NaN;
    return fx < fy ? -1 : 1;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  const seqA = Array.isArray(a) ? a : a instanceof PyTuple ? a.items : undefined;
  const seqB = Array.isArray(b) ? b : b instanceof PyTuple ? b.items : undefined;
  if (seqA && seqB && Array.isArray(a) === Array.isArray(b)) {
    for (let i = 0; i < Math.min(seqA.length, seqB.length); i++) {
      const p = seqA[i] ?? null;
      const q = seqB[i] ?? null;
      if (!pyEq(p, q)) return compare(p, q) ?? unordered('<', p, q);
    }
    return seqA.length - seqB.length;
  }
  return undefined;
}

function unordered(op: string, a: PyValue, b: PyValue): never {
  return pyRaise('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

const cmp = (op: string, test: (c: number) => boolean) => (a: PyValue, b: PyValue): boolean => {
  const c = compare(a, b);
  if (c === undefined) unordered(op, a, b);
  return !Number.isNaN(c) && test(c);
};

/** `a < b`. */
export const lt = cmp('<', (c) => c < 0);
/** `a <= b`. */
export const le = cmp('<=', (c) => c <= 0);
/** `a > b`. */
export const gt = cmp('>', (c) => c > 0);
/** `a >= b`. */
export const ge = cmp('>=', (c) => c >= 0);
/** `a == b`. */
export const eq = pyEq;
/** `a != b`. */
export const ne = (a: PyValue, b: PyValue): boolean => !pyEq(a, b);

/** `bool(v)`. */
export function truthy(v: PyValue): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  return true;
}

/** `len(v)` (code points for str). */
export function len(v: PyValue): bigint {
  if (typeof v === 'string') return BigInt([...v].length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof PyTuple) return BigInt(v.items.length);
  if (v instanceof Map || v instanceof Set) return BigInt(v.size);
  return pyRaise('TypeError', `object of type '${typeName(v)}' has no len()`);
}

function hashable(v: PyValue): PyKey {
  if (!isKey(v)) pyRaise('TypeError', `unhashable type: '${typeName(v)}'`);
  return v;
}

/** `item in container`. */
export function contains(container: PyValue, item: PyValue): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      return pyRaise('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => x === item || pyEq(x, item));
  if (container instanceof PyTuple) return container.items.some((x) => x === item || pyEq(x, item));
  if (container instanceof Map || container instanceof Set) return findKey(container, hashable(item)) !== undefined;
  return pyRaise('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

/** `KeyError(key)`: `str(e)` is the key's repr. */
export const keyError = (key: PyValue): PyException => new PyException('KeyError', pyRepr(key));

/** `d[key]` (KeyError when absent). */
export function dictGet(d: PyDict, key: PyValue): PyValue {
  const k = findKey(d, hashable(key));
  if (k === undefined) throw keyError(key);
  return d.get(k) ?? null;
}

/** `d.get(key, fallback)`. */
export function dictGetOr<T extends PyValue>(d: PyDict, key: PyValue, fallback: T): PyValue | T {
  const k = findKey(d, hashable(key));
  return k === undefined ? fallback : (d.get(k) ?? null);
}

/** `key in d`. */
export const dictHas = (d: PyDict, key: PyValue): boolean => findKey(d, hashable(key)) !== undefined;

/** `d[key] = value` (an equal existing key keeps its identity and position, as in Python). */
export function dictSet(d: PyDict, key: PyValue, value: PyValue): void {
  const k = findKey(d, hashable(key));
  d.set(k === undefined ? (key as PyKey) : k, value);
}

/** `del d[key]` (KeyError when absent). */
export function dictDelete(d: PyDict, key: PyValue): void {
  const k = findKey(d, hashable(key));
  if (k === undefined) throw keyError(key);
  d.delete(k);
}

/** `seq[index]` for list/tuple/str with a Python int index (negative counts from the end). */
export function getIndex(seq: PyValue, index: PyValue): PyValue {
  const items = typeof seq === 'string' ? [...seq] : Array.isArray(seq) ? seq : seq instanceof PyTuple ? seq.items : undefined;
  if (items === undefined) {
    if (seq instanceof Map) return dictGet(seq, index);
    return pyRaise('TypeError', `'${typeName(seq)}' object is not subscriptable`);
  }
  const i = typeof index === 'boolean' ? (index ? 1n : 0n) : index;
  // CPython 3.11 words str's errors differently from list's and tuple's.
  if (typeof i !== 'bigint') {
    return typeof seq === 'string'
      ? pyRaise('TypeError', `string indices must be integers, not '${typeName(index)}'`)
      : pyRaise('TypeError', `${typeName(seq)} indices must be integers or slices, not ${typeName(index)}`);
  }
  const n = BigInt(items.length);
  const j = i < 0n ? i + n : i;
  if (j < 0n || j >= n) return pyRaise('IndexError', `${typeof seq === 'string' ? 'string' : typeName(seq)} index out of range`);
  return items[Number(j)] ?? null;
}

/**
 * `seq[start:]`-style slice bounds, Python semantics: negative indices count from the end and
 * out-of-range bounds clip. `null` means "omitted".
 */
export function sliceBounds(length: number, start: bigint | null, stop: bigint | null): [number, number] {
  const n = BigInt(length);
  const norm = (x: bigint | null, dflt: bigint): bigint => {
    if (x === null) return dflt;
    const y = x < 0n ? x + n : x;
    return y < 0n ? 0n : y > n ? n : y;
  };
  return [Number(norm(start, 0n)), Number(norm(stop, n))];
}

/** Python's `sorted(values)` (stable, by `<`; TypeError on unorderable items). */
export function sorted<T extends PyValue>(values: readonly T[]): T[] {
  return [...values].sort((a, b) => (lt(a, b) ? -1 : lt(b, a) ? 1 : 0));
}

/** `sum(values)`: left to right from int 0 (CPython ≤ 3.11 plain summation, SPEC §6.4). */
export function sum(values: Iterable<PyValue>): PyValue {
  let acc: PyValue = 0n;
  for (const v of values) acc = add(acc, v);
  return acc;
}

/** `min(values)` / `max(values)`: the first extreme item, ValueError on empty input. */
export function pyMin(values: readonly PyValue[]): PyValue {
  if (values.length === 0) return pyRaise('ValueError', 'min() arg is an empty sequence');
  return values.reduce((m, v) => (lt(v, m) ? v : m));
}
export function pyMax(values: readonly PyValue[]): PyValue {
  if (values.length === 0) return pyRaise('ValueError', 'max() arg is an empty sequence');
  return values.reduce((m, v) => (gt(v, m) ? v : m));
}

/** The items of an iterable Python value (list, tuple, str, dict keys, set), TypeError otherwise. */
export function iterate(v: PyValue): PyValue[] {
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return [...v.items];
  if (typeof v === 'string') return [...v];
  if (v instanceof Map) return [...v.keys()];
  if (v instanceof Set) return [...v];
  return pyRaise('TypeError', `'${typeName(v)}' object is not iterable`);
}

/** AttributeError for a method/attribute missing on `v`'s type (e.g. `'int' object has no attribute 'lower'`). */
export function attributeError(v: PyValue, attr: string): PyException {
  return new PyException('AttributeError', `'${typeName(v)}' object has no attribute '${attr}'`);
}

/** Raise AttributeError unless `v` is a str (for calling str methods on arbitrary input). */
export function requireStr(v: PyValue, method: string): string {
  if (typeof v !== 'string') throw attributeError(v, method);
  return v;
}

/** Raise AttributeError unless `v` is a list (for `.append`, `.extend`, … on arbitrary values). */
export function requireList(v: PyValue, method: string): PyValue[] {
  if (!Array.isArray(v)) throw attributeError(v, method);
  return v;
}

/** Raise AttributeError unless `v` is a dict (for `.get`, `.items`, … on arbitrary values). */
export function requireDict(v: PyValue, method: string): PyDict {
  if (!(v instanceof Map)) throw attributeError(v, method);
  return v;
}

/** `list.remove(x)`: removes the first item equal to `x`, ValueError when none. */
export function listRemove(list: PyValue[], x: PyValue): void {
  const i = list.findIndex((y) => y === x || pyEq(y, x));
  if (i < 0) pyRaise('ValueError', 'list.remove(x): x not in list');
  list.splice(i, 1);
}
