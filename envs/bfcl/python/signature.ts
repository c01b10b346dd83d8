/**
 * Python argument binding: positional then keyword arguments onto a signature, with defaults,
 * raising CPython's TypeErrors for missing, duplicate and unexpected arguments.
 */
import { pyRaise } from './errors.js';
import type { PyValue } from './value.js';

/** One parameter in signature order. A parameter without `default` is required. */
export interface ParamSpec {
  readonly name: string;
  /** Builds the default value; a fresh value per call (no shared mutable defaults, SPEC §6.7). */
  readonly default?: () => PyValue;
}

/** Bound arguments by parameter name. */
export type BoundArgs = Readonly<Record<string, PyValue>>;

/**
 * Bind `positional` and `keyword` arguments to `params` as Python does for a method
 * `def f(self, a, b=...)`; `method` is the name used in error messages (CPython 3.10+ uses the
 * qualified name, `Class.method`).
 *
 * @example
 * bindArguments('tail', [{ name: 'file_name' }, { name: 'lines', default: () => 10n }], ['log.txt'], new Map())
 * // { file_name: 'log.txt', lines: 10n }
 */
export function bindArguments(
  method: string,
  params: readonly ParamSpec[],
  positional: readonly PyValue[],
  keyword: ReadonlyMap<string, PyValue> | Readonly<Record<string, PyValue>>,
): BoundArgs {
  const kw = keyword instanceof Map ? keyword : new Map(Object.entries(keyword));
  if (positional.length > params.length) {
    // CPython counts `self`, and gives a range when some parameters have defaults.
    const max = params.length + 1;
    const min = params.filter((p) => !p.default).length + 1;
    const takes = min === max ? `${max} positional argument${max === 1 ? '' : 's'}` : `from ${min} to ${max} positional arguments`;
    const given = positional.length + 1;
    pyRaise('TypeError', `${method}() takes ${takes} but ${given} ${given === 1 ? 'was' : 'were'} given`);
  }
  const out: Record<string, PyValue> = {};
  positional.forEach((v, i) => {
    const p = params[i];
    if (p) out[p.name] = v;
  });
  for (const [name, v] of kw) {
    if (!params.some((p) => p.name === name)) {
      pyRaise('TypeError', `${method}() got an unexpected keyword argument '${name}'`);
    }
    if (Object.hasOwn(out, name)) pyRaise('TypeError', `${method}() got multiple values for argument '${name}'`);
    out[name] = v;
  }
  const missing = params.filter((p) => !Object.hasOwn(out, p.name) && !p.default).map((p) => `'${p.name}'`);
  if (missing.length > 0) {
    // CPython's format_missing: "'a' and 'b'" for two names, "'a', 'b', and 'c'" (serial comma) for more.
    const last = missing[missing.length - 1];
    const list =
      missing.length === 1 ? last : missing.length === 2 ? `${missing[0]} and ${last}` : `${missing.slice(0, -1).join(', ')}, and ${last}`;
    pyRaise(
      'TypeError',
      `${method}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`,
    );
  }
  for (const p of params) if (!Object.hasOwn(out, p.name) && p.default) out[p.name] = p.default();
  return out;
}
