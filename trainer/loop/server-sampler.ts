/**
 * Rollouts from an OpenAI-compatible server while the learner trains in process. Each row is one
 * `POST /chat/completions` (rows in parallel, seeded per row); the prompt ids trained on are built
 * locally with the learner's tokenizer, token in, token out (tokens.ts), and the completion ids
 * and logprobs are the server's (`token_ids`, `logprobs`: exitgym serve-model returns both).
 * After every update the loop saves the weights and `pushWeights` asks the server to load them
 * (`POST /v1/weights {path}` → `{version}`); each response's `weights_version` gives the
 * staleness of its sample (learner version − sampling version).
 */
import { ProviderError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { BatchCompletion, BatchRow, BatchSampler } from '../../rollout/group.js';
import type { SamplingOptions } from '../../rollout/types.js';
import type { Policy } from '../policy/policy.js';
import { completionText, nextPromptIds, templateMessages, type TokenContext } from './tokens.js';

export interface ServerSamplerOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL: string;
  modelName: string | null;
  /** The learner (its tokenizer builds the prompt ids). */
  policy: Policy;
  /** Weights pushes so far (a resumed run continues the count). */
  version?: number;
  timeoutMs?: number;
}

interface ChatResponse {
  choices?: { message?: { content?: string }; finish_reason?: string; token_ids?: number[]; logprobs?: { content?: { logprob: number }[] } }[];
  weights_version?: number;
}

export class ServerBatchSampler implements BatchSampler {
  readonly id: string;
  /** Versions pushed so far (the learner's policy version). */
  private version = 0;
  private staleness: number[] = [];
  private readonly base: string;

  constructor(private readonly opts: ServerSamplerOptions) {
    this.base = opts.baseURL.replace(/\/$/, '');
    this.id = `server:${this.base}`;
    this.version = opts.version ?? 0;
  }

  /** False once the server answered 404 to a weights push (not exitgym serve-model): it samples from its own weights. */
  private synced = true;

  private async post(path: string, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(this.opts.timeoutMs ?? 300_000) });
    } catch (e) {
      throw new ProviderError(`rollout server ${this.base}${path} unreachable: ${(e as Error).message}`, { cause: e, failure: 'unreachable' });
    }
    const text = await res.text();
    if (res.status === 404 && path === '/weights') return null;
    if (!res.ok) throw new ProviderError(`rollout server ${this.base}${path} answered ${res.status}: ${text.slice(0, 200)}`, { failure: res.status >= 500 ? 'server' : 'bad_request' });
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ProviderError(`rollout server ${this.base}${path} answered with something that is not JSON: ${text.slice(0, 120)}`, { failure: 'garbage' });
    }
  }

  async sampleBatch(rows: readonly BatchRow[], opts: SamplingOptions & { seed: number }): Promise<BatchCompletion[]> {
    const { tokenizer, config } = this.opts.policy;
    const base = Rng.fromSeed(opts.seed);
    return Promise.all(
      rows.map(async (row, r) => {
        const promptIds = nextPromptIds(tokenizer, row.messages, row.context as TokenContext | undefined);
        const res = (await this.post('/chat/completions', {
          // exitgym serve-model refuses an unknown name and accepts none.
          ...(this.opts.modelName ? { model: this.opts.modelName } : {}),
          messages: templateMessages(row.messages),
          max_tokens: opts.maxTokens,
          ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
          ...(opts.stop?.length ? { stop: opts.stop } : {}),
          seed: base.fork(r).uint32() >>> 1,
          logprobs: true,
        })) as ChatResponse;
        const choice = res.choices?.[0];
        const ids = choice?.token_ids;
        const lps = choice?.logprobs?.content?.map((c) => c.logprob);
        if (!choice || !Array.isArray(ids) || !Array.isArray(lps) || lps.length !== ids.length) {
          throw new ProviderError(`rollout server ${this.base} returned no token_ids with matching logprobs; training needs both (exitgym serve-model returns them).`, { failure: 'garbage' });
        }
        // Trained on as they come: ids must index the learner's vocabulary, logprobs be log-probabilities, and no more than asked for.
        if (ids.length > (opts.maxTokens ?? Infinity) || ids.some((id) => !Number.isInteger(id) || id < 0 || id >= config.vocabSize) || lps.some((lp) => typeof lp !== 'number' || !(lp <= 0))) {
          throw new ProviderError(`rollout server ${this.base} returned token ids outside the learner's vocabulary (${config.vocabSize}), logprobs that are not ≤ 0, or more tokens than max_tokens (${opts.maxTokens}).`, { failure: 'garbage' });
        }
        if (typeof res.weights_version === 'number') this.staleness.push(this.version - res.weights_version);
        const last = ids[ids.length - 1];
        const context: TokenContext = { ids: [...promptIds, ...ids], covered: row.messages.length + 1, endedWithEot: last !== undefined && config.eosTokenIds.includes(last) };
        return {
          completion: { text: completionText(tokenizer, ids), finishReason: choice.finish_reason ?? 'stop', promptIds, tokenIds: ids, logprobs: lps },
          context,
        };
      }),
    );
  }

  /** Asks the server to load the weights in `dir`; returns the staleness of the samples since the last push. */
  async pushWeights(dir: string): Promise<Record<string, number>> {
    const staleness = this.staleness;
    this.staleness = [];
    const res = this.synced ? ((await this.post('/weights', { path: dir })) as { version?: number } | null) : null;
    // A server without the route keeps its own weights: the run goes on, unsynchronised, and says so.
    if (res === null) this.synced = false;
    this.version = typeof res?.version === 'number' ? res.version : this.version + 1;
    return {
      ...(staleness.length ? { 'rollout/staleness_mean': staleness.reduce((a, b) => a + b, 0) / staleness.length } : {}),
      'rollout/weights_version': this.version,
      'rollout/weights_synced': this.synced ? 1 : 0,
    };
  }
}
