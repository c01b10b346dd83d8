/**
 * Augmented assignment (`x += y`, `x -= y`). The value is that of `+`/`-`, but CPython names the
 * operator `+=`/`-=` in its TypeError, and SPEC §7.7 quotes that message
 * (`unsupported operand type(s) for -=: 'NoneType' and 'int'`), so the message is rewritten here.
 */
import { PyException } from './errors.js';
import { add, sub } from './ops.js';
import type { PyValue } from './value.js';

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
 * iadd(1n, 2.5) // 3.5
 * iadd(null, 1n) // raises TypeError "unsupported operand type(s) for +=: 'NoneType' and 'int'"
 */
export const iadd = (a: PyValue, b: PyValue): PyValue => augmented('+', () => add(a, b));

/** `a -= b`: the new value. */
export const isub = (a: PyValue, b: PyValue): PyValue => augmented('-', () => sub(a, b));
