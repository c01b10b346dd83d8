/**
 * Python exceptions raised by the simulated APIs. A raised exception is a *result* of a call
 * (SPEC §1.3: `"Error during execution: " + str(e)`), not a failure of exitgym, so it is a separate
 * class from `ExitgymError`: executors catch `PyException` and let every other error through.
 */

/** Exception types the APIs raise (CPython names). */
export type PyExceptionType =
  | 'TypeError'
  | 'ValueError'
  | 'KeyError'
  | 'IndexError'
  | 'AttributeError'
  | 'ZeroDivisionError'
  | 'OverflowError'
  | 'NameError'
  | 'RecursionError'
  | 'RuntimeError';

export class PyException extends Error {
  readonly pyType: PyExceptionType;
  /** `str(e)` in Python (a KeyError shows the key's repr, quotes included). */
  readonly pyMessage: string;
  constructor(pyType: PyExceptionType, pyMessage: string) {
    super(`${pyType}: ${pyMessage}`);
    this.name = 'PyException';
    this.pyType = pyType;
    this.pyMessage = pyMessage;
  }
}

/** `raise TypeError(msg)` etc. */
export function pyRaise(pyType: PyExceptionType, message: string): never {
  throw new PyException(pyType, message);
}

/** True if `e` is a Python exception raised by an API method. */
export const isPyException = (e: unknown): e is PyException => e instanceof PyException;
