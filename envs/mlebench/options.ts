/**
 * The MLE-bench envs' options as a JSON schema, and their type derived from it. `sandboxInstance`
 * (an existing `Sandbox` object) is a programmatic option only: it has no JSON form, so the schema
 * (what the registry, the CLI and the HTTP server check) does not list it. `x-http` marks the
 * options HTTP clients may set, with their tighter bounds (server/env-options.ts): synthetic data
 * only, no host paths or interpreter, limits at most the benchmark's own.
 */
import { ConfigError } from '../../core/errors.js';
import { checkOptions, type FromSchema } from '../../core/schema.js';
import type { Sandbox } from './sandbox/index.js';

const seconds = { type: 'number', exclusiveMinimum: 0 } as const;
const count = { type: 'integer', minimum: 1 } as const;

export const MLEBENCH_OPTIONS_SCHEMA = {
  type: 'object',
  properties: {
    sandbox: { enum: ['local', 'docker'], description: 'Which sandbox runs the scripts (default local, bubblewrap).', 'x-http': true },
    dataRoot: { type: 'string', description: "A folder holding <competition>/prepared/{public,private} (MLE-bench's layout) with real data." },
    synthetic: { type: 'boolean', description: 'Use seeded synthetic data (the default when no dataRoot is given).', 'x-http': { const: true } },
    seed: { type: 'integer', description: 'Seed of the synthetic data (default 0).', 'x-http': { minimum: 0, maximum: 2 ** 31 - 1 } },
    scale: { type: 'number', exclusiveMinimum: 0, description: 'Size multiplier of the synthetic data (default 1, SPEC.md §6 "small").', 'x-http': { maximum: 4 } },
    syntheticRoot: { type: 'string', description: 'Where synthetic data is generated (default the cache).' },
    limits: {
      type: 'object',
      description: "Sandbox limits per run (default: 300 s wall time, the sandbox's memory/process caps).",
      properties: {
        wallSeconds: { ...seconds, 'x-http': { maximum: 300 } },
        cpuSeconds: { ...seconds, 'x-http': { maximum: 300 } },
        memoryMb: { type: 'number', exclusiveMinimum: 0, 'x-http': { type: 'integer', minimum: 64, maximum: 4096 } },
        maxProcesses: { ...count, 'x-http': { minimum: 4, maximum: 64 } },
        maxOutputBytes: { ...count, 'x-http': { minimum: 1024, maximum: 1024 * 1024 } },
        maxFileBytes: { ...count, 'x-http': { minimum: 1024, maximum: 512 * 1024 * 1024 } },
        maxDiskBytes: count,
        maxFiles: count,
        maxCollectBytes: count,
      },
      additionalProperties: false,
      // Over HTTP: the limits marked above, at most the benchmark's own (5 min, 4 GiB).
      'x-http': true,
    },
    paperSpookyRange: { type: 'boolean', description: "Normalise with the paper's printed Table 3 range (differs for spooky only; SPEC.md §5).", 'x-http': true },
    python: { type: 'string', description: "The interpreter inside the sandbox (default Debian's /usr/bin/python3)." },
  },
  additionalProperties: false,
} as const;

/** Options of an MLE-bench env: the JSON ones, plus an existing sandbox to run in (not closed by `close()`). */
export type MleBenchEnvOptions = FromSchema<typeof MLEBENCH_OPTIONS_SCHEMA> & { sandboxInstance?: Sandbox };

/**
 * Checks an MLE-bench env's options: the JSON ones against the schema (unknown or mistyped ones
 * are a `ConfigError` naming them), `sandboxInstance` by shape.
 */
export function mlebenchOptions(envId: string, options: unknown): MleBenchEnvOptions {
  const { sandboxInstance, ...json } = (options ?? {}) as Record<string, unknown>;
  const checked = checkOptions(envId, MLEBENCH_OPTIONS_SCHEMA, json);
  if (sandboxInstance === undefined) return checked;
  if (sandboxInstance === null || typeof (sandboxInstance as Sandbox).run !== 'function') {
    throw new ConfigError(`${envId}: option sandboxInstance must be a Sandbox object (createSandbox('local' | 'docker')); it has no JSON form.`);
  }
  return { ...checked, sandboxInstance: sandboxInstance as Sandbox };
}
