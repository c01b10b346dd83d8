/**
 * The ExIt curriculum as a service: each curriculum is one env (id + HTTP options), a strategy
 * preset with overrides, a seeded RNG and the curriculum state of `curriculum/`. `next` draws
 * starts with `nextStart` (idempotent per group key), `report` feeds finished groups to
 * `updateCurriculum` — whole, or one sample at a time, assembled here — and the state is saved to
 * the server's state folder (atomically, periodically, and on shutdown).
 */
import type { Schema } from 'ajv';
import pLimit, { type LimitFunction } from 'p-limit';
import { Rng } from '../core/rng.js';
import { validate } from '../core/schema.js';
import type { Trace } from '../core/types.js';
import { CURRICULUM_DOMAINS, curriculumPreset, type CurriculumConfig, type CurriculumDomain, type Strategy } from '../curriculum/config.js';
import { createCurriculum, nextStart, type CurriculumState } from '../curriculum/episode-start.js';
import { updateCurriculum } from '../curriculum/expansion.js';
import { bufferMetrics, runMetrics } from '../curriculum/metrics.js';
import { envEntry, makeEnv } from '../envs/registry.js';
import { EnvPool } from '../rollout/group.js';
import { addSample, closedReply, groupOutcome, startItem, type ClosedGroup, type OpenGroup } from './curriculum-groups.js';
import { checkHttpOptions } from './env-options.js';
import { HttpError } from './errors.js';
import { toolsFor } from './operations.js';
import { createCurriculumSchema, nextSchema, reportSchema } from './schemas.js';

/** How a curriculum was created; saved with it. */
export interface CurriculumSpec {
  id: string;
  env: string;
  options: Record<string, unknown>;
  domain: CurriculumDomain;
  strategy: Strategy;
  overrides: Partial<CurriculumConfig>;
  seed: number;
  leaseSeconds: number;
}

/** One curriculum: its spec, config, state, RNG and the groups in flight. */
export interface Curriculum {
  spec: CurriculumSpec;
  config: CurriculumConfig;
  state: CurriculumState;
  rng: Rng;
  /** Groups handed out and not yet scored, by id. */
  open: Map<string, OpenGroup>;
  /** Group ids by client group key (open groups). */
  byKey: Map<string, string>;
  /** Recently closed groups by id and by key (bounded). */
  closed: Map<string, ClosedGroup>;
  closedByKey: Map<string, string>;
  counters: { groups: number; completed: number; expired: number; samples: number; scoreSum: number; scored: number };
  /** Saved since the last change. */
  dirty: boolean;
  pool: EnvPool;
  /** First observations being built, by group id (a concurrent `next` for the same key waits on it). */
  building: Map<string, Promise<void>>;
  /** Bounds the envs building first observations at once (the pool grows to this many). */
  limit: LimitFunction;
}

/** Envs building first observations at once, per curriculum. */
const OBSERVATION_CONCURRENCY = 8;

/** Closed groups remembered per curriculum (enough for stragglers and retries). */
const CLOSED_KEPT = 4096;
const DEFAULT_LEASE_SECONDS = 600;

export function curriculumConfigOf(spec: CurriculumSpec): CurriculumConfig {
  return curriculumPreset(spec.domain, spec.strategy, spec.overrides);
}

/** A curriculum object around a state (new or loaded). */
export function assemble(spec: CurriculumSpec, state: CurriculumState, rng: Rng): Curriculum {
  return {
    spec,
    config: curriculumConfigOf(spec),
    state,
    rng,
    open: new Map(),
    byKey: new Map(),
    closed: new Map(),
    closedByKey: new Map(),
    counters: { groups: 0, completed: 0, expired: 0, samples: 0, scoreSum: 0, scored: 0 },
    dirty: false,
    pool: new EnvPool(() => makeEnv(spec.env, spec.options)),
    building: new Map(),
    limit: pLimit(OBSERVATION_CONCURRENCY),
  };
}

function check<T>(schema: Schema, body: unknown, where: string): T {
  return validate<T>(schema, body ?? {}, where);
}

/** Builds a curriculum from a create request (options checked like a session's). */
export async function newCurriculum(body: unknown, makeId: () => string): Promise<Curriculum> {
  const where = 'POST /v1/curricula body';
  const b = check<{ id?: string; env: string; options?: Record<string, unknown>; strategy?: Strategy; domain?: CurriculumDomain; overrides?: Partial<CurriculumConfig>; seed?: number; leaseSeconds?: number; tasks?: string[] }>(
    createCurriculumSchema,
    body,
    where,
  );
  const entry = envEntry(b.env);
  const options = checkHttpOptions(entry, b.options ?? {}, where);
  const domain = b.domain ?? ((CURRICULUM_DOMAINS as readonly string[]).includes(entry.domain) ? (entry.domain as CurriculumDomain) : undefined);
  if (domain === undefined) {
    throw new HttpError(400, 'validation', `${where}: env "${b.env}" has domain "${entry.domain}", which has no curriculum preset; pass "domain" (${CURRICULUM_DOMAINS.join(', ')}) to pick one.`);
  }
  const spec: CurriculumSpec = {
    id: b.id ?? makeId(),
    env: b.env,
    options,
    domain,
    strategy: b.strategy ?? 'exit',
    overrides: b.overrides ?? {},
    seed: b.seed ?? 0,
    leaseSeconds: b.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
  };
  const config = curriculumConfigOf(spec);
  let tasks = b.tasks;
  if (!tasks) {
    if (!entry.tasks) throw new HttpError(400, 'validation', `${where}: env "${b.env}" cannot list its tasks; pass "tasks" (the base task ids).`);
    tasks = await entry.tasks(options);
  }
  return assemble(spec, createCurriculum(config, tasks), Rng.fromSeed(spec.seed));
}

function remember(c: Curriculum, g: ClosedGroup): void {
  c.closed.set(g.id, g);
  if (g.key !== undefined) c.closedByKey.set(g.key, g.id);
  if (c.closed.size > CLOSED_KEPT) {
    const oldest = c.closed.values().next().value as ClosedGroup;
    c.closed.delete(oldest.id);
    if (oldest.key !== undefined && c.closedByKey.get(oldest.key) === oldest.id) c.closedByKey.delete(oldest.key);
  }
}

/** Scores a group, updates the buffer and closes the group. */
function finish(c: Curriculum, g: OpenGroup, outcome: { qualities: (number | null)[]; traces: (Trace | null)[] }, expired: boolean): { score: number | null; inserted: number } {
  const { score, results } = updateCurriculum(c.state, c.config, { episode: g.episode, traces: outcome.traces, qualities: outcome.qualities });
  c.open.delete(g.id);
  if (g.key !== undefined) c.byKey.delete(g.key);
  remember(c, { id: g.id, ...(g.key === undefined ? {} : { key: g.key }), groupSize: outcome.qualities.length, received: g.samples.length, score, expired, sampleIds: g.samples.map(([id]) => id) });
  c.counters[expired ? 'expired' : 'completed']++;
  if (score !== null) {
    c.counters.scored++;
    c.counters.scoreSum += score;
  }
  c.dirty = true;
  return { score, inserted: results.filter((r) => r.outcome !== 'rejected').length };
}

/**
 * `next`: one start per group key (the same key answers the same start while the group is open
 * or remembered), or `n` new starts. Starts are drawn synchronously in request order, so a seeded
 * curriculum replays; the first observations are then built on pooled envs.
 */
export async function nextStarts(c: Curriculum, body: unknown): Promise<{ starts: Record<string, unknown>[] }> {
  const b = check<{ n?: number; groupKeys?: string[] }>(nextSchema, body, 'next body');
  if (b.n !== undefined && b.groupKeys && b.n !== b.groupKeys.length) {
    throw new HttpError(400, 'validation', `next body: n is ${b.n} but ${b.groupKeys.length} groupKeys were given; give one key per start (or leave n out).`);
  }
  const keys: (string | undefined)[] = b.groupKeys ?? Array.from({ length: b.n ?? 1 }, () => undefined);
  for (const key of keys) {
    const closed = key === undefined || c.byKey.has(key) ? undefined : c.closed.get(c.closedByKey.get(key) ?? '');
    if (closed) throw new HttpError(409, 'group_closed', `group key "${key ?? ''}" belongs to group "${closed.id}", which is already scored; use a new key for a new group.`);
  }
  const now = Date.now();
  const groups: OpenGroup[] = [];
  const waits: Promise<void>[] = [];
  for (const key of keys) {
    const known = key === undefined ? undefined : c.open.get(c.byKey.get(key) ?? '');
    if (known) {
      known.leaseExpiresAt = now + c.spec.leaseSeconds * 1000;
      groups.push(known);
      const building = c.building.get(known.id);
      if (building) waits.push(building);
      continue;
    }
    const episode = nextStart(c.state, c.config, c.rng);
    const g: OpenGroup = { id: `g${++c.counters.groups}`, ...(key === undefined ? {} : { key }), episode, observation: [], leaseExpiresAt: now + c.spec.leaseSeconds * 1000, samples: [] };
    c.open.set(g.id, g);
    if (key !== undefined) c.byKey.set(key, g.id);
    groups.push(g);
    c.dirty = true;
    const building = c
      .limit(() =>
        c.pool.use(async (env) => {
          g.observation = (await env.reset(structuredClone(g.episode.start))).observation;
          const tools = await toolsFor(env, g.episode.start.taskId);
          if (tools) g.tools = tools;
        }),
      )
      .catch((e: unknown) => {
        // A start the env refuses (a bad task id in `tasks`) is dropped, not left to expire.
        c.open.delete(g.id);
        if (g.key !== undefined) c.byKey.delete(g.key);
        throw e;
      })
      .finally(() => c.building.delete(g.id));
    c.building.set(g.id, building);
    waits.push(building);
  }
  await Promise.all(waits);
  return { starts: groups.map(startItem) };
}

/** `report`: a whole group, or one sample with its group size. */
export function report(c: Curriculum, body: unknown): { complete: boolean; received: number; groupSize: number; score?: number | null; inserted?: number } {
  const b = check<{ group: string; qualities?: (number | null)[]; traces?: (Trace | null)[]; sample?: { id: string; quality: number | null; trace?: Trace | null }; groupSize?: number }>(reportSchema, body, 'report body');
  const g = c.open.get(b.group) ?? c.open.get(c.byKey.get(b.group) ?? '');
  if (!g) {
    const closed = c.closed.get(b.group) ?? c.closed.get(c.closedByKey.get(b.group) ?? '');
    if (closed) return closedReply(closed, b.sample?.id);
    throw new HttpError(404, 'unknown_id', `no group "${b.group}" in curriculum "${c.spec.id}" (ids come from next; closed groups are forgotten after ${CLOSED_KEPT} more).`);
  }
  if (b.sample) {
    c.counters.samples++;
    const complete = addSample(g, b.sample.id, { quality: b.sample.quality, trace: b.sample.trace ?? null }, b.groupSize as number);
    g.leaseExpiresAt = Date.now() + c.spec.leaseSeconds * 1000;
    c.dirty = true;
    if (!complete) return { complete: false, received: g.samples.length, groupSize: g.groupSize as number };
    return { complete: true, received: g.samples.length, groupSize: g.groupSize as number, ...finish(c, g, groupOutcome(g), false) };
  }
  if (g.samples.length > 0) {
    throw new HttpError(409, 'group_mixed', `group "${g.id}" already has ${g.samples.length} per-sample report(s); report its remaining samples one at a time.`);
  }
  const qualities = b.qualities as (number | null)[];
  const traces = b.traces ?? qualities.map(() => null);
  if (traces.length !== qualities.length) {
    throw new HttpError(400, 'validation', `report body: ${qualities.length} qualities but ${traces.length} traces; give one trace (or null) per rollout.`);
  }
  c.counters.samples += qualities.length;
  g.samples = qualities.map((q, i) => [`${i}`, { quality: q, trace: traces[i] ?? null }]);
  return { complete: true, received: qualities.length, groupSize: qualities.length, ...finish(c, g, { qualities, traces }, false) };
}

/** Scores every group whose lease ran out with the samples it has (none: dropped). */
export function expireGroups(c: Curriculum, now = Date.now()): number {
  let n = 0;
  for (const g of [...c.open.values()]) {
    if (g.leaseExpiresAt > now) continue;
    n++;
    if (g.samples.length === 0) {
      c.open.delete(g.id);
      if (g.key !== undefined) c.byKey.delete(g.key);
      remember(c, { id: g.id, ...(g.key === undefined ? {} : { key: g.key }), groupSize: g.groupSize ?? 0, received: 0, score: null, expired: true, sampleIds: [] });
      c.counters.expired++;
      c.dirty = true;
    } else {
      finish(c, g, groupOutcome(g), true);
    }
  }
  return n;
}

/** The curriculum's metrics: `bufferMetrics`, `runMetrics` and the service's own counters. */
export function curriculumMetrics(c: Curriculum): Record<string, number> {
  return {
    ...bufferMetrics(c.state.buffer, c.config),
    ...runMetrics(c.state),
    'curriculum/open_groups': c.open.size,
    'curriculum/groups_completed': c.counters.completed,
    'curriculum/groups_expired': c.counters.expired,
    'curriculum/samples_reported': c.counters.samples,
    'curriculum/learnability_mean': c.counters.scored ? c.counters.scoreSum / c.counters.scored : 0,
  };
}

/** What GET /v1/curricula/:id answers. */
export function curriculumInfo(c: Curriculum): Record<string, unknown> {
  return { curriculum: c.spec.id, env: c.spec.env, options: c.spec.options, domain: c.spec.domain, strategy: c.spec.strategy, seed: c.spec.seed, leaseSeconds: c.spec.leaseSeconds, config: c.config };
}
