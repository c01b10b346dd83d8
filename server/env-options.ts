/**
 * The env options a client may set over HTTP. A request reaches the server from outside its trust
 * boundary, so options that name host paths (`dataDir`, `dataRoot`, `syntheticRoot`), executables
 * (`python`), live objects (`sandboxInstance`) or unbounded limits are refused: each env has an
 * explicit allow-list with bounded values, checked when a session or curriculum is created (400
 * naming the option). Paths are the server operator's business (`EXITGYM_DATA_DIR`).
 */
import type { Schema } from 'ajv';
import { checkSchema, NO_OPTIONS } from '../core/schema.js';
import { MATH_SPLITS } from '../datasets/math.js';
import { BFCL_CONFIGS, BFCL_SPLITS } from '../envs/bfcl/tasks.js';
import { checkEnvOptions, type EnvEntry } from '../envs/registry.js';
import { HttpError } from './errors.js';

const MATH_OPTIONS: Schema = {
  type: 'object',
  properties: {
    split: { enum: MATH_SPLITS },
    verifyTimeoutMs: { type: 'integer', minimum: 1, maximum: 10_000 },
  },
  additionalProperties: false,
};

const BFCL_OPTIONS: Schema = {
  type: 'object',
  properties: {
    split: { enum: [...BFCL_SPLITS] },
    config: { enum: [...BFCL_CONFIGS] },
    bespokeCompat: { type: 'boolean' },
    today: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    maxSteps: { type: 'integer', minimum: 1, maximum: 200 },
  },
  additionalProperties: false,
};

/** MLE-bench over HTTP: synthetic data only, limits at most the benchmark's own (5 min, 4 GiB). */
const MLEBENCH_OPTIONS: Schema = {
  type: 'object',
  properties: {
    sandbox: { enum: ['local', 'docker'] },
    synthetic: { const: true },
    seed: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 },
    scale: { type: 'number', exclusiveMinimum: 0, maximum: 4 },
    paperSpookyRange: { type: 'boolean' },
    limits: {
      type: 'object',
      properties: {
        wallSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 300 },
        cpuSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 300 },
        memoryMb: { type: 'integer', minimum: 64, maximum: 4096 },
        maxProcesses: { type: 'integer', minimum: 4, maximum: 64 },
        maxOutputBytes: { type: 'integer', minimum: 1024, maximum: 1024 * 1024 },
        maxFileBytes: { type: 'integer', minimum: 1024, maximum: 512 * 1024 * 1024 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};


/**
 * The schema of the options a client may pass for an env over HTTP: a safe subset of the env's own
 * `optionsSchema`, with tighter bounds. Envs registered by plugins accept none over HTTP (their
 * options are not known to be safe); the server's operator sets them in the plugin.
 */
export function httpOptionSchema(entry: EnvEntry): Schema {
  if (entry.id === 'math') return MATH_OPTIONS;
  if (entry.id === 'bfcl') return BFCL_OPTIONS;
  if (entry.domain === 'mlebench') return MLEBENCH_OPTIONS;
  return NO_OPTIONS;
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
