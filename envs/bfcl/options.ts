/**
 * The `bfcl` env's options as a JSON schema, and their type derived from it. `x-http` marks the
 * options HTTP clients may set, with their tighter bounds (server/env-options.ts).
 */
import { checkOptions, type FromSchema } from '../../core/schema.js';
import { BFCL_CONFIGS, BFCL_SPLITS } from './tasks.js';

export const BFCL_OPTIONS_SCHEMA = {
  type: 'object',
  properties: {
    split: { enum: BFCL_SPLITS, description: "Which tasks: Bespoke Labs' train or test half, or all 200 (default all).", 'x-http': true },
    config: { enum: BFCL_CONFIGS, description: 'Episode configuration: train (first request, 10 calls) or test (all requests, 60); default follows the split.', 'x-http': true },
    bespokeCompat: { type: 'boolean', description: "Reproduce the original reward's three quirks (SPEC §3.4) and the JSON-quoted first request.", 'x-http': true },
    dataDir: { type: 'string', description: 'Data folder (default EXITGYM_DATA_DIR, then the download cache).' },
    today: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: "datetime.today() for the APIs, YYYY-MM-DD (default the APIs' fixed date).", 'x-http': true },
    maxSteps: { type: 'integer', minimum: 1, description: "Assistant calls per episode, overriding the configuration's budget (10 train, 60 test).", 'x-http': { maximum: 200 } },
  },
  additionalProperties: false,
} as const;

/** Options of the `bfcl` env. */
export type BfclEnvOptions = FromSchema<typeof BFCL_OPTIONS_SCHEMA>;

/** Checks `bfcl` options (unknown or mistyped ones are a `ConfigError` naming them). */
export function bfclOptions(options: unknown): BfclEnvOptions {
  return checkOptions('bfcl', BFCL_OPTIONS_SCHEMA, options);
}
