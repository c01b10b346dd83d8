/**
 * The rollouts route, for engines that let the env drive: the server plays a GRPO group of G
 * episodes from one start against an OpenAI-compatible endpoint (`runGroup`), reports the group
 * to the curriculum when the start came from one, and returns rewards, traces and — where the
 * endpoint returns them — token ids and logprobs. A failed model call is an infrastructure
 * failure: that episode has `failure` set and a null quality, and the group is still reported.
 */
import { validate } from '../core/schema.js';
import type { StartState } from '../core/types.js';
import { envEntry, makeEnv } from '../envs/registry.js';
import { validateStartState } from '../core/start-state.js';
import type { EpisodeResult } from '../rollout/episode.js';
import { EnvPool, runGroup } from '../rollout/group.js';
import { OpenAIPolicyClient } from '../rollout/openai-client.js';
import type { SamplingOptions } from '../rollout/types.js';
import type { CurriculumService } from './curriculum-service.js';
import { nextStarts, report } from './curricula.js';
import { checkHttpOptions } from './env-options.js';
import { rolloutsSchema } from './schemas.js';

interface RolloutsBody {
  curriculum?: string;
  env?: string;
  options?: Record<string, unknown>;
  start?: StartState;
  groupSize: number;
  seed?: number;
  logprobs?: boolean;
  endpoint: { baseURL: string; model: string; apiKey?: string; timeoutSeconds?: number };
  sampling?: SamplingOptions;
}

function episodeJson(e: EpisodeResult): Record<string, unknown> {
  const failed = e.failure !== undefined;
  return {
    return: e.return,
    quality: failed ? null : (e.quality ?? null),
    terminated: e.terminated,
    truncated: e.truncated,
    ...(failed ? { failure: e.failure } : {}),
    trace: e.trace,
    steps: e.steps.map((s) => ({
      text: s.completion.text,
      reward: s.reward,
      finishReason: s.completion.finishReason,
      ...(s.completion.stopString ? { stopString: s.completion.stopString } : {}),
      ...(s.completion.promptIds ? { promptIds: s.completion.promptIds } : {}),
      ...(s.completion.tokenIds ? { tokenIds: s.completion.tokenIds } : {}),
      ...(s.completion.logprobs ? { logprobs: s.completion.logprobs } : {}),
      ...(s.completion.weightsVersion === undefined ? {} : { weightsVersion: s.completion.weightsVersion }),
    })),
  };
}

/** `POST /v1/rollouts`. */
export async function runRollouts(curricula: CurriculumService, body: unknown): Promise<Record<string, unknown>> {
  const b = validate<RolloutsBody>(rolloutsSchema, body ?? {}, 'POST /v1/rollouts body');
  const client = new OpenAIPolicyClient({
    baseURL: b.endpoint.baseURL,
    model: b.endpoint.model,
    ...(b.endpoint.apiKey === undefined ? {} : { apiKey: b.endpoint.apiKey }),
    timeoutMs: (b.endpoint.timeoutSeconds ?? 120) * 1000,
    concurrency: b.groupSize,
    maxRetries: 2,
  });
  const opts = { seed: b.seed ?? 0, ...(b.sampling ? { sampling: b.sampling } : {}), ...(b.logprobs ? { logprobs: true } : {}) };
  if (b.curriculum !== undefined) {
    const c = curricula.get(b.curriculum);
    const { starts } = await nextStarts(c, { n: 1 });
    const item = starts[0] as { group: string; start: StartState };
    const results = await runGroup(c.pool, client, item.start, b.groupSize, opts);
    const episodes = results.map(episodeJson);
    const reported = report(c, { group: item.group, qualities: episodes.map((e) => e.quality), traces: results.map((r, i) => (episodes[i]?.quality === null ? null : r.trace)) });
    return { group: item.group, start: item.start, score: reported.score ?? null, episodes };
  }
  const entry = envEntry(b.env as string);
  const options = checkHttpOptions(entry, b.options ?? {}, 'POST /v1/rollouts body');
  const start = validateStartState(b.start, 'POST /v1/rollouts body');
  const pool = new EnvPool(() => makeEnv(entry.id, options));
  try {
    const results = await runGroup(pool, client, start, b.groupSize, opts);
    return { start, episodes: results.map(episodeJson) };
  } finally {
    await pool.close();
  }
}
