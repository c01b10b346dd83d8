import pLimit from 'p-limit';
import { ConfigError, ProviderError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Message, StartState } from '../core/types.js';
import type { RecurrentEnv, StepResult } from '../envs/types.js';
import { isInfraError, runEpisode, safeTrace, type EpisodeOptions, type EpisodeResult, type EpisodeStep } from './episode.js';
import type { Completion, PolicyClient, SamplingOptions } from './types.js';

/**
 * A pool of env instances (envs are stateful: one episode at a time each), created on demand up
 * to the concurrency and reused.
 */
export class EnvPool {
  private readonly idle: RecurrentEnv[] = [];
  private readonly all: RecurrentEnv[] = [];
  constructor(private readonly make: () => Promise<RecurrentEnv>) {}

  async use<T>(fn: (env: RecurrentEnv) => Promise<T>): Promise<T> {
    let env = this.idle.pop();
    if (!env) {
      env = await this.make();
      this.all.push(env);
    }
    try {
      return await fn(env);
    } finally {
      this.idle.push(env);
    }
  }

  /** Takes `n` envs out of the pool at once (a lockstep group), returning them when `fn` settles. */
  async useMany<T>(n: number, fn: (envs: RecurrentEnv[]) => Promise<T>): Promise<T> {
    const envs: RecurrentEnv[] = [];
    try {
      for (let i = 0; i < n; i++) {
        let env = this.idle.pop();
        if (!env) {
          env = await this.make();
          this.all.push(env);
        }
        envs.push(env);
      }
      return await fn(envs);
    } finally {
      this.idle.push(...envs);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((e) => e.close()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}

/**
 * The seed of member `index` of a group seeded `seed`: a fork of the splittable RNG, so members
 * of different groups never share a seed by construction (an offset scheme such as
 * `seed + 1000·i` gives member i of group j the seed of member i−1 of group j+1 when group seeds
 * are 1000 apart). Kept below 2³¹ so `Rng.fromSeed` uses it as it is.
 */
export function memberSeed(seed: number, index: number): number {
  return Rng.fromSeed(seed).fork(`member:${index}`).uint32() >>> 1;
}

export interface GroupOptions extends Omit<EpisodeOptions, 'seed'> {
  /** Rollout i uses seed `memberSeed(seed, i)`, so members differ and reruns repeat. */
  seed: number;
  /** Rollouts in flight at once (default: the group size). */
  concurrency?: number;
}

/** G rollouts of one start state (a GRPO group), with bounded concurrency; results in member order. */
export async function runGroup(pool: EnvPool, client: PolicyClient, start: StartState, groupSize: number, opts: GroupOptions): Promise<EpisodeResult[]> {
  const limit = pLimit(opts.concurrency ?? groupSize);
  return Promise.all(
    Array.from({ length: groupSize }, (_, i) =>
      limit(() => pool.use((env) => runEpisode(env, client, structuredClone(start), { ...opts, seed: memberSeed(opts.seed, i) }))),
    ),
  );
}

/** One row of a batched model call: a conversation so far, and what the sampler said about its previous call. */
export interface BatchRow {
  messages: Message[];
  /**
   * Whatever the sampler returned as `context` for this conversation's previous call (absent on
   * the first call). A token-level sampler keeps the ids it fed and sampled here, so the next call
   * extends them instead of re-tokenising text ("token in, token out").
   */
  context?: unknown;
}

/** One completion of a batched call, and the context to hand back with the next call of that conversation. */
export interface BatchCompletion {
  completion: Completion;
  context?: unknown;
}

/**
 * Samples one completion for each of several conversations in one batched model call (the
 * in-process policy generates a whole GRPO group as one batch). Throws `ProviderError` when the
 * call failed as a whole (infrastructure); text it returns is data.
 */
export interface BatchSampler {
  readonly id: string;
  /** Row r draws from its own stream of `seed` (the same rows and seed give the same completions). */
  sampleBatch(rows: readonly BatchRow[], opts: SamplingOptions & { seed: number }): Promise<BatchCompletion[]>;
}

export interface LockstepOptions {
  /** Seed of member i's env reset. */
  resetSeed: (member: number) => number;
  /** Seed of the group's k-th batched call (k = 0, 1, …). */
  callSeed: (call: number) => number;
  sampling?: SamplingOptions;
}

interface Member {
  messages: Message[];
  steps: EpisodeStep[];
  context?: unknown;
  total: number;
  quality: number | undefined;
  result?: EpisodeResult;
}

/**
 * Plays a GRPO group of `envs.length` episodes from one start in lockstep: every call of the
 * episode is one batched `sampleBatch` over the members still playing, then each member's env
 * steps (concurrently: MLE-bench steps run sandboxes). An infrastructure failure (the env throws
 * `SandboxError`/`ProviderError`, or the batched call throws `ProviderError`) ends only the members
 * it hit, with `failure` set; the others play on. Results in member order.
 */
export async function runGroupLockstep(envs: readonly RecurrentEnv[], sampler: BatchSampler, start: StartState, opts: LockstepOptions): Promise<EpisodeResult[]> {
  const members: Member[] = envs.map(() => ({ messages: [], steps: [], total: 0, quality: undefined }));
  const fail = (i: number, step: number, error: string, source: 'model' | 'env', fatal = false): void => {
    const m = members[i] as Member;
    m.result = { start, trace: safeTrace(envs[i] as RecurrentEnv), steps: m.steps, return: 0, quality: undefined, terminated: false, truncated: false, failure: { step, error, fatal, source } };
  };
  await Promise.all(
    envs.map(async (env, i) => {
      try {
        const reset = await env.reset(structuredClone(start), { seed: opts.resetSeed(i) });
        (members[i] as Member).messages = [...reset.observation];
      } catch (e) {
        if (!isInfraError(e)) throw e;
        fail(i, -1, `${e.name}: ${e.message}`, 'env');
      }
    }),
  );
  const stop = envs[0]?.spec.stop;
  const sampling: SamplingOptions = { ...(stop ? { stop } : {}), ...opts.sampling };
  const maxCalls = envs[0]?.spec.budgets.maxSteps ?? 0;
  for (let call = 0; ; call++) {
    const active = members.flatMap((m, i) => (m.result ? [] : [i]));
    if (active.length === 0) break;
    if (call >= maxCalls) {
      throw new ConfigError(`env ${envs[0]?.spec.id}: an episode went on past its step budget (spec.budgets.maxSteps = ${maxCalls}); the env must end episodes by then.`);
    }
    let outs: BatchCompletion[];
    try {
      outs = await sampler.sampleBatch(
        active.map((i) => ({ messages: [...(members[i] as Member).messages], ...((members[i] as Member).context !== undefined ? { context: (members[i] as Member).context } : {}) })),
        { ...sampling, seed: opts.callSeed(call) },
      );
    } catch (e) {
      if (!(e instanceof ProviderError)) throw e;
      for (const i of active) fail(i, call, e.message, 'model', e.fatal);
      continue;
    }
    await Promise.all(
      active.map(async (i, row) => {
        const m = members[i] as Member;
        const env = envs[i] as RecurrentEnv;
        const out = outs[row] as BatchCompletion;
        let r: StepResult;
        try {
          r = await env.step(out.completion.text);
        } catch (e) {
          if (!isInfraError(e)) throw e;
          fail(i, call, `${e.name}: ${e.message}`, 'env');
          return;
        }
        m.steps.push({ prompt: [...m.messages], completion: out.completion, reward: r.reward, info: r.info });
        m.context = out.context;
        m.total += r.reward;
        if (r.info.quality !== undefined) m.quality = r.info.quality;
        m.messages.push({ role: 'assistant', content: out.completion.text }, ...r.observation);
        if (r.terminated || r.truncated) {
          m.result = { start, trace: env.trace(), steps: m.steps, return: m.total, quality: m.quality, terminated: r.terminated, truncated: r.truncated, finalInfo: r.info };
        }
      }),
    );
  }
  return members.map((m) => m.result as EpisodeResult);
}
