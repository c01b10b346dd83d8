/**
 * Assignment forms the APIs use on arbitrary Python values: augmented assignment (`x += y`,
 * `x -= y`), item assignment and deletion (`d[k] = v`, `del d[k]`), and `key in d` / `d.get(key)`
 * for keys that may be tuples.
 *
 * CPython names the operator `+=`/`-=` in its TypeError, and SPEC §7.7 quotes that message
 * (`unsupported operand type(s) for -=: 'NoneType' and 'int'`), so `iadd`/`isub` rewrite the
 * message of `add`/`sub`.
 */
import { PyException, pyRaise } from './errors.js';
import { add, contains, dictDelete, dictGetOr, dictSet, sub } from './ops.js';
import { PyTuple, isKey, typeName, type PyDict, type PyValue } from './value.js';

function augmented(op: '+' | '-', run: () => PyValue): PyValue {
  try {
    return run();
  } catch (e) {
    const prefix = `unsupported operand type(s) for ${op}:`;
    if (e instanceof PyException && e.pyType === 'TypeError' && e.pyMessage.startsWith(prefix)) {
      throw new PyException('TypeError', `unsupported operand type(s) for ${op}=:${e.pyMessage.slice(prefix.length)}`);
    }
    throw e;
  }
}

/**
 * `a += b` for immutable values (numbers, str): the new value.
 *
 * @example
 * iadd(1n, 2.5)  // 3.5
 * iadd(null, 1n) // raises TypeError "unsupported operand type(s) for +=: 'NoneType' and 'int'"
 */
export const iadd = (a: PyValue, b: PyValue): PyValue => augmented('+', () => add(a, b));

/** `a -= b`: the new value. */
export const isub = (a: PyValue, b: PyValue): PyValue => augmented('-', () => sub(a, b));

/**
 * `container[key] = value` for a dict (Python key semantics); TypeError for values that do not
 * support item assignment by key (str, int, None…). List index assignment is not needed here.
 */
export function setItem(container: PyValue, key: PyValue, value: PyValue): void {
  if (container instanceof Map) {
    dictSet(container, key, value);
    return;
  }
  pyRaise('TypeError', `'${typeName(container)}' object does not support item assignment`);
}

/** `del container[key]` for a dict (KeyError when absent). */
export function delItem(container: PyValue, key: PyValue): void {
  if (container instanceof Map) {
    dictDelete(container, key);
    return;
  }
  pyRaise('TypeError', `'${typeName(container)}' object does not support item deletion`);
}

// A tuple is hashable when all its items are; no dict in the APIs has tuple keys.
function hashableTuple(t: PyTuple): boolean {
  return t.items.every((x) => isKey(x) || (x instanceof PyTuple && hashableTuple(x)));
}

/**
 * `key in container`, where `key` may be a tuple (the Bespoke executor turns list arguments into
 * tuples, SPEC §3.2): a hashable tuple is simply absent from the APIs' dicts and sets, where
 * `contains` would reject it as unhashable.
 *
 * @example
 * containsKey(new Map([['AAPL', 1n]]), tuple('AAPL')) // false (no TypeError)
 */
export function containsKey(container: PyValue, key: PyValue): boolean {
  if (key instanceof PyTuple && (container instanceof Map || container instanceof Set)) {
    if (hashableTuple(key)) return false;
    return pyRaise('TypeError', `unhashable type: 'list'`);
  }
  return contains(container, key);
}

/**
 * `d.get(key, fallback)` where `key` may be a tuple (see {@link containsKey}): a hashable tuple
 * is never a key of the APIs' dicts, so the fallback is returned.
 *
 * @example
 * getOr(new Map([['Rivermist', 'RMS']]), tuple('Rivermist'), 'Unknown') // 'Unknown'
 */
export function getOr<T extends PyValue>(d: PyDict, key: PyValue, fallback: T): PyValue | T {
  // containsKey raises TypeError for a tuple holding a list, as Python's hash() would.
  if (key instanceof PyTuple && !containsKey(d, key)) return fallback;
  return dictGetOr(d, key, fallback);
}
