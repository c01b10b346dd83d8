import pLimit from 'p-limit';
import type { StartState } from '../core/types.js';
import type { RecurrentEnv } from '../envs/types.js';
import { runEpisode, type EpisodeOptions, type EpisodeResult } from './episode.js';
import type { PolicyClient } from './types.js';

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

  async close(): Promise<void> {
    await Promise.all(this.all.map((e) => e.close()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}

export interface GroupOptions extends Omit<EpisodeOptions, 'seed'> {
  /** Rollout i uses seed `seed + 1000 * i`, so members differ and reruns repeat. */
  seed: number;
  /** Rollouts in flight at once (default: the group size). */
  concurrency?: number;
}

/** G rollouts of one start state (a GRPO group), with bounded concurrency; results in member order. */
export async function runGroup(pool: EnvPool, client: PolicyClient, start: StartState, groupSize: number, opts: GroupOptions): Promise<EpisodeResult[]> {
  const limit = pLimit(opts.concurrency ?? groupSize);
  return Promise.all(
    Array.from({ length: groupSize }, (_, i) =>
      limit(() => pool.use((env) => runEpisode(env, client, structuredClone(start), { ...opts, seed: opts.seed + 1000 * i }))),
    ),
  );
}
