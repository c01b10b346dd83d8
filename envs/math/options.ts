/**
 * The `math` env's options as a JSON schema, and their type derived from it. `x-http` marks the
 * options HTTP clients may set, with their tighter bounds (server/env-options.ts).
 */
import { checkOptions, type FromSchema } from '../../core/schema.js';
import { MATH_SPLITS, type MathSplit } from '../../datasets/math.js';

export const MATH_OPTIONS_SCHEMA = {
  type: 'object',
  properties: {
    split: { enum: MATH_SPLITS as readonly MathSplit[], description: 'Which split the task ids refer to (default train).', 'x-http': true },
    dataDir: { type: 'string', description: 'A folder holding math/<file>.jsonl (default: EXITGYM_DATA_DIR, then the download cache).' },
    verifyTimeoutMs: { type: 'number', exclusiveMinimum: 0, description: 'Per-answer checker time limit in ms (default 2000).', 'x-http': { type: 'integer', minimum: 1, maximum: 10_000 } },
  },
  additionalProperties: false,
} as const;

/** Options of the `math` env. */
export type MathEnvOptions = FromSchema<typeof MATH_OPTIONS_SCHEMA>;

/** Checks `math` options (unknown or mistyped ones are a `ConfigError` naming them). */
export function mathOptions(options: unknown): MathEnvOptions {
  return checkOptions('math', MATH_OPTIONS_SCHEMA, options);
}
