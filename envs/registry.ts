import { closest, distance } from 'fastest-levenshtein';
import { ConfigError, ExitgymError, UnknownIdError } from '../core/errors.js';
import { checkOptions, type OptionsSchema } from '../core/schema.js';
import type { Budgets, Domain, EvalMetric, EvalScaffold, RecurrentEnv } from './types.js';

/** A registry entry: static facts for listings, and a lazy factory (heavy modules load on use). */
export interface EnvEntry {
  id: string;
  domain: Domain;
  description: string;
  qualityRange: [number, number];
  /** Budgets by configuration name (e.g. `train`, `test`), for `exitgym envs list`. */
  budgets: Record<string, Budgets>;
  /**
   * The env's options as a JSON schema listing every option (`additionalProperties: false`):
   * `makeEnv` and `envTasks` check options against it, so an unknown or mistyped option is an
   * error naming it; the CLI reads option types from it and the HTTP server serves it.
   */
  optionsSchema: OptionsSchema;
  /**
   * The base task ids of a split (the same `options` as `create`), in a stable order; what
   * `exitgym eval` iterates over and what the curriculum draws base tasks from. Call it through
   * `envTasks`, which checks the options first.
   */
  tasks?(options: Record<string, unknown>): Promise<string[]>;
  /** How `exitgym eval` runs a chain on this env (default `self-improve`). */
  evalScaffold?: EvalScaffold;
  /** The headline metric of `exitgym eval` on this env (default `accuracy`). */
  evalMetric?: EvalMetric;
  /** Builds an env; `options` are the env's own (split, data dir, sandbox, …). */
  create(options: Record<string, unknown>): Promise<RecurrentEnv>;
}

const entries = new Map<string, EnvEntry>();

/** Adds an env to the registry (exitgym's own envs register in `envs/builtin.ts`). */
export function registerEnv(entry: EnvEntry): void {
  if (entries.has(entry.id)) throw new ConfigError(`registerEnv: an env with id "${entry.id}" is already registered; pick another id.`);
  entries.set(entry.id, entry);
}

/** Removes a user-registered env (tests register fixtures and clean up). */
export function unregisterEnv(id: string): boolean {
  return entries.delete(id);
}

/** Registered ids, sorted. */
export function envIds(): string[] {
  return [...entries.keys()].sort();
}

/** All registry entries, sorted by id. */
export function envEntries(): EnvEntry[] {
  return envIds().map((id) => entries.get(id) as EnvEntry);
}

/** The entry for an id, or an `UnknownIdError` that lists the ids and suggests the nearest. */
export function envEntry(id: string): EnvEntry {
  const entry = entries.get(id);
  if (entry) return entry;
  const ids = envIds();
  const near = ids.length > 0 ? closest(id, ids) : undefined;
  // Only suggest when the nearest id is plausibly a typo of the one given.
  const suggestion = near !== undefined && distance(id, near) <= Math.max(2, Math.floor(near.length / 3)) ? near : undefined;
  throw new UnknownIdError('env', id, ids, suggestion);
}

/** Checks options against an env's schema; returns them unchanged, or throws a `ConfigError` naming the option. */
export function checkEnvOptions(id: string, options: unknown): Record<string, unknown> {
  return checkOptions(id, envEntry(id).optionsSchema, options) as Record<string, unknown>;
}

/** The base task ids of a registered env's split, after checking the options. */
export async function envTasks(id: string, options: Record<string, unknown> = {}): Promise<string[]> {
  const entry = envEntry(id);
  checkEnvOptions(id, options);
  if (!entry.tasks) throw new ConfigError(`env "${id}" does not list its tasks; give its registry entry a tasks(options) function.`);
  return entry.tasks(options);
}

/**
 * Builds a registered env; its options are checked against the entry's `optionsSchema` first.
 *
 * @example
 * const env = await makeEnv('math', { split: 'math500' });
 * const { observation } = await env.reset(baseStart('math500/0'));
 */
export async function makeEnv(id: string, options: Record<string, unknown> = {}): Promise<RecurrentEnv> {
  const entry = envEntry(id);
  checkEnvOptions(id, options);
  try {
    return await entry.create(options);
  } catch (e) {
    if (e instanceof ExitgymError) throw e;
    throw new ConfigError(`makeEnv("${id}", ${JSON.stringify(options)}) failed: ${(e as Error).message}`, { cause: e });
  }
}
