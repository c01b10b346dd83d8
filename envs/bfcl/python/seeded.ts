/**
 * `random.Random(seed)` for a seed read from scenario data (`random_seed`, SPEC §4). CPython
 * seeds ints (and bools, and integral floats, whose hash is the int) from the value itself; other
 * seed types hash the value in ways this port does not reproduce, so they are rejected.
 */
import { pyRaise } from './errors.js';
import { PyRandom } from './random.js';
import { typeName, type PyValue } from './value.js';

/**
 * A generator seeded as `random.Random(seed)`.
 *
 * @example
 * seededRandom(141053n).randint(100000n, 999999n) // 251675n
 */
export function seededRandom(seed: PyValue): PyRandom {
  if (typeof seed === 'bigint') return new PyRandom(seed);
  if (typeof seed === 'boolean') return new PyRandom(seed ? 1n : 0n);
  if (typeof seed === 'number' && Number.isInteger(seed)) return new PyRandom(BigInt(seed));
  return pyRaise('TypeError', `random_seed: this port supports int seeds only, got ${typeName(seed)}`);
}
