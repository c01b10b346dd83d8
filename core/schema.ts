import { Ajv, type ErrorObject, type Schema, type ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { ConfigError, ValidationError } from './errors.js';
import { err, ok, type Result } from './result.js';

/** The shared ajv instance: all errors collected, strict schemas, no coercion. */
export const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });

const cache = new WeakMap<object, ValidateFunction>();

function compile(schema: Schema): ValidateFunction {
  if (typeof schema === 'boolean') return ajv.compile(schema);
  const cached = cache.get(schema);
  if (cached) return cached;
  const fn = ajv.compile(schema);
  cache.set(schema, fn);
  return fn;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One readable line for one ajv error, naming the field. */
function describe(e: ErrorObject, root: unknown): string {
  const field = e.instancePath === '' ? '(root)' : e.instancePath;
  const got = e.instancePath === '' ? root : e.instancePath.split('/').slice(1).reduce<unknown>((v, k) => {
    const key = k.replace(/~1/g, '/').replace(/~0/g, '~');
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }, root);
  switch (e.keyword) {
    case 'required':
      return `${field}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'additionalProperties':
      return `${field}: unexpected field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'enum':
      return `${field}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}; got ${preview(got)}`;
    case 'type':
      return `${field}: must be ${(e.params as { type: string }).type}; got ${preview(got)}`;
    default:
      return `${field}: ${e.message ?? e.keyword}; got ${preview(got)}`;
  }
}

/** Checks a value against a JSON schema; the failure is one line naming the field(s). */
export function checkSchema<T>(schema: Schema, value: unknown): Result<T> {
  const fn = compile(schema);
  if (fn(value)) return ok(value as T);
  const errors = (fn.errors ?? []).filter((e) => e.keyword !== 'if');
  // anyOf/oneOf produce one error per branch; the most specific (deepest) ones say most.
  const deepest = Math.max(...errors.map((e) => e.instancePath.length));
  const shown = errors.filter((e) => e.instancePath.length === deepest || !['anyOf', 'oneOf'].includes(e.keyword));
  const lines = [...new Set(shown.map((e) => describe(e, value)))];
  return err(lines.slice(0, 3).join('; ') + (lines.length > 3 ? ` (and ${lines.length - 3} more)` : ''));
}

/**
 * Validates a value crossing a boundary and returns it typed, or throws a `ValidationError` whose
 * message starts with `where` (e.g. "math500.jsonl line 12") and names the field.
 */
export function validate<T>(schema: Schema, value: unknown, where: string): T {
  const r = checkSchema<T>(schema, value);
  if (!r.ok) throw new ValidationError(`${where}: ${r.reason}`);
  return r.value;
}

/**
 * The TypeScript type of the values a JSON schema (written `as const`) accepts, derived by
 * json-schema-to-ts.
 *
 * @example
 * const schema = { type: 'object', properties: { split: { enum: ['a', 'b'] } }, additionalProperties: false } as const;
 * type Options = FromSchema<typeof schema>; // { split?: 'a' | 'b' }
 */
export type { FromSchema } from 'json-schema-to-ts';

/** A JSON schema for a flat options object: its `properties` name every option. */
export interface OptionsSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, JSONSchema>>;
  readonly additionalProperties: false;
  readonly required?: readonly string[];
  readonly description?: string;
}

/**
 * Checks an options object (an env's, a command's) against its schema and returns it typed; a
 * failure is a `ConfigError` naming `where`, the option and what it must be: an unknown option is
 * named with the nearest known one ("did you mean …?") and the list of options.
 */
export function checkOptions<S extends OptionsSchema, T = FromSchema<S>>(where: string, schema: S, options: unknown): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`${where}: options must be an object of named options; got ${preview(options)}.`);
  }
  const known = Object.keys(schema.properties);
  const list = known.length > 0 ? `the options are ${known.join(', ')}` : 'it takes no options';
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = known.length > 0 ? closest(key, known) : undefined;
    const hint = near !== undefined && distance(key.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.floor(near.length / 3)) ? ` (did you mean "${near}"?)` : '';
    throw new ConfigError(`${where}: unknown option "${key}"${hint}; ${list}.`);
  }
  const fn = compile(schema as Schema);
  if (fn(options)) return options as T;
  // One line per error, said as options: `option split must be one of …`, `unknown option "limits/wallSecond"`.
  const lines = (fn.errors ?? []).slice(0, 3).map((e) => {
    const path = e.instancePath.slice(1);
    if (e.keyword === 'additionalProperties') return `unknown option "${path}/${(e.params as { additionalProperty: string }).additionalProperty}"`;
    return `option ${path || '(all)'} ${describe(e, options).replace(/^[^:]*: /, '')}`;
  });
  throw new ConfigError(`${where}: ${[...new Set(lines)].join('; ')}.`);
}

/** The options schema of an env (or command) that takes no options. */
export const NO_OPTIONS = { type: 'object', properties: {}, additionalProperties: false } as const satisfies OptionsSchema;
