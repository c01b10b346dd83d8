/**
 * The result string the BFCL executor makes of a returned value (SPEC §1.3 step 5).
 */
import { PyException } from './errors.js';
import { jsonDumps } from './json.js';
import { pyStr } from './repr.js';
import type { PyValue } from './value.js';

/**
 * A returned value as upstream's executor prints it: a str as itself; a dict as `json.dumps`, or
 * `str()` when that raises (an `mpf` inside); anything else as `str()`.
 *
 * @example
 * formatResult(new Map([['result', 5000.0]])) // '{"result": 5000.0}'
 * formatResult(['alice', 'bob'])               // "['alice', 'bob']"
 * formatResult(null)                           // 'None'
 */
export function formatResult(v: PyValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Map) {
    try {
      return jsonDumps(v);
    } catch (e) {
      if (e instanceof PyException) return pyStr(v);
      throw e;
    }
  }
  return pyStr(v);
}

/** A raised exception as upstream's executor prints it. */
export const formatRaised = (e: PyException): string => `Error during execution: ${e.pyMessage}`;
