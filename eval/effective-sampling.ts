/**
 * What sampling a model actually used. The paper evaluates each model with its own generation
 * config, so `exitgym eval` sends only the parameters the user set and lets the server (vLLM's
 * `generation_config`, exitgym's serve-model) or the local checkpoint fill in the rest; servers that
 * report the values they applied (`Completion.effectiveSampling`) get them recorded in
 * `summary.json`.
 */
import { canonicalJson } from '../core/hash.js';
import type { Completion, PolicyClient } from '../rollout/types.js';

/** Distinct effective-sampling objects seen, in order; capped so a per-call seed cannot grow it without bound. */
export class EffectiveSampling {
  private readonly seen = new Map<string, Record<string, unknown>>();
  constructor(private readonly cap = 8) {}

  note(c: Completion): Completion {
    const e = c.effectiveSampling;
    if (!e) return c;
    // The per-call seed differs on every call by design, and an unset max_tokens becomes "the
    // context left", which differs with every prompt: neither says anything about the configuration,
    // so the seed is dropped and max_tokens kept as the range seen.
    const { seed: _seed, max_tokens: maxTokens, ...rest } = e;
    const key = canonicalJson(rest);
    let entry = this.seen.get(key);
    if (!entry && this.seen.size < this.cap) this.seen.set(key, (entry = { ...rest }));
    if (entry && typeof maxTokens === 'number') {
      const range = entry.max_tokens as { min: number; max: number } | undefined;
      entry.max_tokens = range ? { min: Math.min(range.min, maxTokens), max: Math.max(range.max, maxTokens) } : { min: maxTokens, max: maxTokens };
    }
    return c;
  }

  /** The configurations seen (usually one; `max_tokens` as `{min, max}`); empty when the backend reported none. */
  values(): Record<string, unknown>[] {
    return [...this.seen.values()];
  }

  /**
   * The client, unchanged except that every completion it returns (one or a batch) is noted. It has
   * no `close`: the caller closes the client it wrapped.
   */
  wrap(client: PolicyClient): PolicyClient {
    const many = client.completeMany?.bind(client);
    return {
      id: client.id,
      complete: async (request) => this.note(await client.complete(request)),
      ...(many ? { completeMany: async (request, n) => (await many(request, n)).map((c) => this.note(c)) } : {}),
    };
  }
}
