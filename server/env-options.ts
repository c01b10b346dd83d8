/**
 * The env options a client may set over HTTP. A request reaches the server from outside its trust
 * boundary, so options that name host paths (`dataDir`, `dataRoot`, `syntheticRoot`), executables
 * (`python`), live objects (`sandboxInstance`) or unbounded limits are refused. Each env marks the
 * safe options in its own `optionsSchema` with `x-http`: `true` (as they are) or an object of
 * tighter bounds merged over the option's schema; an object option marked `true` keeps only its
 * marked fields. Unmarked options, and every option of an env that marks none (a plugin's), are
 * the server operator's business. Checked when a session or curriculum is created (400 naming
 * the option).
 */
import type { Schema } from 'ajv';
import { checkSchema } from '../core/schema.js';
import { checkEnvOptions, type EnvEntry } from '../envs/registry.js';
import { HttpError } from './errors.js';

/** The annotation that marks an option safe for HTTP clients. */
export const HTTP_MARK = 'x-http';

type SchemaObject = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

/** The marked part of an object schema: only marked properties, bounds merged, marks removed. */
function httpSubset(schema: SchemaObject): SchemaObject {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const { [HTTP_MARK]: mark, ...rest } = prop;
    if (mark === undefined || mark === false) continue;
    const merged: SchemaObject = mark === true ? rest : { ...rest, ...(mark as Record<string, unknown>) };
    properties[name] = merged.type === 'object' && merged.properties ? httpSubset(merged) : merged;
  }
  const { [HTTP_MARK]: _mark, properties: _all, ...head } = schema;
  return { ...head, type: 'object', properties, additionalProperties: false };
}

const cache = new WeakMap<object, Schema>();

/**
 * The schema of the options a client may pass for an env over HTTP: the `x-http`-marked subset of
 * the env's own `optionsSchema`, with its tighter bounds (served by `GET /v1/envs`).
 */
export function httpOptionSchema(entry: EnvEntry): Schema {
  let s = cache.get(entry.optionsSchema);
  if (!s) cache.set(entry.optionsSchema, (s = httpSubset(entry.optionsSchema as unknown as SchemaObject) as Schema));
  return s;
}

/**
 * Checks client-supplied env options against the HTTP subset, then against the env's own schema;
 * a 400 names the refused option and says why.
 */
export function checkHttpOptions(entry: EnvEntry, options: Record<string, unknown>, where: string): Record<string, unknown> {
  const r = checkSchema<Record<string, unknown>>(httpOptionSchema(entry), options);
  if (!r.ok) {
    throw new HttpError(
      400,
      'validation',
      `${where}: option not accepted over HTTP for env "${entry.id}": ${r.reason}. Host paths, executables and unbounded limits are server-side settings (GET /v1/envs lists each env's HTTP options).`,
    );
  }
  return checkEnvOptions(entry.id, r.value);
}
