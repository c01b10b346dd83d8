/**
 * The Python-compatibility layer the simulated BFCL APIs are written on: a value model that keeps
 * Python's int/float/list/tuple/dict distinctions, Python printing (`repr`, `str`, `json.dumps`),
 * equality, canonical snapshots, operators that raise like Python, CPython's `random`, rounding,
 * string methods and argument binding. See `value.ts` for the type mapping.
 */
export * from './value.js';
export * from './errors.js';
export * from './repr-str.js';
export * from './repr.js';
export * from './json.js';
export * from './equality.js';
export * from './snapshot.js';
export * from './copy.js';
export * from './ops.js';
export * from './number.js';
export * from './strings.js';
export * from './random.js';
export * from './signature.js';
export * from './result-string.js';
export * from './power.js';
export * from './mpmath.js';
export * from './decimal.js';
