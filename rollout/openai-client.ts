import OpenAI from 'openai';
import pLimit, { type LimitFunction } from 'p-limit';
import { ConfigError, ProviderError, type ProviderFailure } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Message } from '../core/types.js';
import type { Completion, CompletionRequest, PolicyClient, SamplingOptions } from './types.js';

export interface OpenAIClientOptions {
  /** The OpenAI-compatible base URL, e.g. `http://localhost:8000/v1`. */
  baseURL: string;
  /** API key; defaults to `OPENAI_API_KEY`, else a placeholder local servers accept. */
  apiKey?: string;
  /** Model name; defaults to the first model the endpoint lists. */
  model?: string;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Retries on 408/409/429/5xx and connection errors, with exponential back-off (default 3). */
  maxRetries?: number;
  /** Per-request timeout in milliseconds (default 120 000). */
  timeoutMs?: number;
  /** Sampling defaults applied to every request. */
  defaults?: SamplingOptions;
  /**
   * How `tool` messages are sent. exitgym's tool protocol is text (`<tool>…</tool>`), and the
   * OpenAI API only accepts `tool` messages that answer structured tool calls, so by default
   * they are sent as `user` messages.
   */
  toolRole?: 'user' | 'tool';
}

type OpenAIMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

function classify(e: unknown): ProviderFailure {
  if (e instanceof OpenAI.APIConnectionTimeoutError) return 'timeout';
  if (e instanceof OpenAI.APIConnectionError) return 'unreachable';
  if (e instanceof OpenAI.AuthenticationError || e instanceof OpenAI.PermissionDeniedError) return 'auth';
  if (e instanceof OpenAI.NotFoundError) return 'not_found';
  if (e instanceof OpenAI.RateLimitError) return 'rate_limit';
  if (e instanceof OpenAI.BadRequestError || e instanceof OpenAI.UnprocessableEntityError) return 'bad_request';
  if (e instanceof OpenAI.APIError) return 'server';
  return 'garbage';
}

/**
 * A `PolicyClient` for any OpenAI-compatible chat endpoint (vLLM, llama.cpp server, a hosted
 * API, `exitgym serve-model`), built on the `openai` package: bounded concurrency, retries with
 * back-off, timeouts, and one clear `ProviderError` that names the endpoint.
 *
 * @example
 * const client = new OpenAIPolicyClient({ baseURL: 'http://localhost:8000/v1', model: 'Qwen2.5-7B-Instruct' });
 * const { text } = await client.complete({ messages: [{ role: 'user', content: 'What is 2+2?' }], seed: 1 });
 */
export class OpenAIPolicyClient implements PolicyClient {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly limit: LimitFunction;
  private model: string | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly opts: OpenAIClientOptions) {
    let url: URL | undefined;
    try {
      url = new URL(opts.baseURL);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(`model endpoint "${opts.baseURL}" is not a URL; pass e.g. http://localhost:8000/v1.`);
    }
    if (opts.concurrency !== undefined && !(Number.isInteger(opts.concurrency) && opts.concurrency >= 1)) {
      throw new ConfigError(`concurrency must be an integer >= 1; got ${opts.concurrency}.`);
    }
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.client = new OpenAI({
      baseURL: url.toString().replace(/\/$/, ''),
      apiKey: opts.apiKey ?? process.env.OPENAI_API_KEY ?? 'EMPTY',
      maxRetries: opts.maxRetries ?? 3,
      timeout: this.timeoutMs,
    });
    this.limit = pLimit(opts.concurrency ?? 8);
    this.model = opts.model;
    this.id = `${opts.baseURL}${opts.model ? ` (${opts.model})` : ''}`;
  }

  private fail(e: unknown, what: string): ProviderError {
    const failure = classify(e);
    const status = e instanceof OpenAI.APIError && e.status ? ` (HTTP ${e.status})` : '';
    const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
    const where = this.opts.baseURL;
    const messages: Record<ProviderFailure, string> = {
      unreachable: `cannot reach the model endpoint ${where}: ${detail}. Is the server running and the URL right (it should end in /v1)?`,
      auth: `the model endpoint ${where} rejected the API key${status}; pass --api-key or set OPENAI_API_KEY.`,
      not_found: `the model endpoint ${where} answered 404 for ${what}${this.model ? ` with model "${this.model}"` : ''}: ${detail}. Check the URL (it should end in /v1) and the model name.`,
      timeout: `the model endpoint ${where} did not answer ${what} within ${this.timeoutMs / 1000} s; raise --timeout or lower --concurrency.`,
      rate_limit: `the model endpoint ${where} kept rate-limiting ${what}${status} after retries; lower --concurrency.`,
      server: `the model endpoint ${where} failed ${what}${status} after retries: ${detail}`,
      bad_request: `the model endpoint ${where} refused ${what}${status}: ${detail}`,
      garbage: `the model endpoint ${where} returned something that is not an OpenAI chat completion for ${what}: ${detail}. Is it an OpenAI-compatible /v1 base URL?`,
    };
    return new ProviderError(messages[failure], { cause: e, failure });
  }

  /** The model name: the configured one, or the first the endpoint lists (asked once). */
  async resolveModel(): Promise<string> {
    if (this.model) return this.model;
    let body: unknown;
    try {
      // The raw body, not `models.list()`: its page object turns a non-JSON 200 into an empty list.
      body = await this.client.get<unknown>('/models');
    } catch (e) {
      throw this.fail(e, 'GET /models');
    }
    const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
    if (!Array.isArray(data)) {
      // A 200 that is not a model list (an HTML page, say) means the URL is not an OpenAI API.
      throw new ProviderError(
        `the model endpoint ${this.opts.baseURL} returned something that is not an OpenAI model list for GET /models. Is it an OpenAI-compatible /v1 base URL?`,
        { failure: 'garbage' },
      );
    }
    const first = (data as { id?: unknown }[])[0]?.id;
    if (typeof first !== 'string') {
      throw new ProviderError(`the model endpoint ${this.opts.baseURL} lists no models at /models; pass the model name with --model-name.`, { failure: 'garbage' });
    }
    this.model = first;
    return first;
  }

  private toOpenAI(m: Message): OpenAIMessage {
    if (m.role === 'tool') {
      if (this.opts.toolRole === 'tool' && m.toolCallId) return { role: 'tool', content: m.content, tool_call_id: m.toolCallId };
      return { role: 'user', content: m.content };
    }
    return { role: m.role, content: m.content };
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    return (await this.request(request, 1))[0] as Completion;
  }

  /**
   * `n` samples of one request as one OpenAI request with `n` (vLLM and `exitgym serve-model`
   * generate them as one group sharing the prompt's prefill). An endpoint that ignores or refuses
   * `n` (llama.cpp's server answers one choice) is asked once per sample from then on, sample `j`
   * seeded with `fork(j)` of the request seed.
   */
  async completeMany(request: CompletionRequest, n: number): Promise<Completion[]> {
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`completeMany: n must be a positive integer; got ${n}.`);
    if (n === 1) return this.request(request, 1);
    if (!this.nUnsupported) {
      try {
        return await this.request(request, n);
      } catch (e) {
        if (!(e instanceof ProviderError && (e.failure === 'bad_request' || (e.failure === 'garbage' && e.message.includes('does not implement n'))))) throw e;
      }
    }
    const root = Rng.fromSeed(request.seed ?? 0);
    const each = await Promise.all(Array.from({ length: n }, (_, j) => this.request({ ...request, seed: root.fork(j).int(2_000_000_000) }, 1)));
    this.nUnsupported = true; // the per-sample requests worked where the n request did not
    return each.map((c) => c[0] as Completion);
  }

  /** Set once the endpoint has shown it does not implement `n`. */
  private nUnsupported = false;

  private async request(request: CompletionRequest, n: number): Promise<Completion[]> {
    const model = await this.resolveModel();
    const s = { ...this.opts.defaults, ...request };
    return this.limit(async () => {
      let response: OpenAI.Chat.Completions.ChatCompletion;
      try {
        response = await this.client.chat.completions.create({
          model,
          messages: request.messages.map((m) => this.toOpenAI(m)),
          ...(n > 1 ? { n } : {}),
          ...(s.maxTokens !== undefined ? { max_tokens: s.maxTokens } : {}),
          ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
          ...(s.topP !== undefined ? { top_p: s.topP } : {}),
          ...(s.stop && s.stop.length > 0 ? { stop: s.stop } : {}),
          ...(request.seed !== undefined ? { seed: request.seed } : {}),
          ...(request.logprobs ? { logprobs: true } : {}),
          // vLLM and exitgym's server read these extensions; other servers ignore them.
          ...(s.topK !== undefined ? ({ top_k: s.topK } as object) : {}),
        });
      } catch (e) {
        throw this.fail(e, 'POST /chat/completions');
      }
      const choices = Array.isArray((response as { choices?: unknown } | undefined)?.choices) ? response.choices : [];
      if (n > 1 && choices.length !== n) {
        throw new ProviderError(`the model endpoint ${this.opts.baseURL} answered a request for n=${n} choices with ${choices.length}; it does not implement n. Use one request per sample.`, { failure: 'garbage' });
      }
      return Array.from({ length: n }, (_, i) => this.parse(response, i, n, s.stop ?? []));
    });
  }

  private parse(response: unknown, index: number, n = 1, stops: readonly string[] = []): Completion {
    const all = (response as { choices?: { index?: unknown }[] } | undefined)?.choices;
    const choice = (all?.find((c) => c?.index === index) ?? all?.[index]) as
      | { message?: { content?: unknown }; finish_reason?: unknown; logprobs?: { content?: { logprob?: unknown }[] | null } | null; token_ids?: unknown }
      | undefined;
    const text = choice?.message?.content;
    if (typeof text !== 'string') {
      const preview = JSON.stringify(response)?.slice(0, 120) ?? String(response);
      throw new ProviderError(
        `the model endpoint ${this.opts.baseURL} returned something that is not an OpenAI chat completion (no choices[${index}].message.content): ${preview}. Is it an OpenAI-compatible /v1 base URL?`,
        { failure: 'garbage' },
      );
    }
    const out: Completion = { text, finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : 'stop' };
    const lp = choice?.logprobs?.content;
    if (Array.isArray(lp) && lp.every((t) => typeof t.logprob === 'number')) out.logprobs = lp.map((t) => t.logprob as number);
    if (Array.isArray(choice?.token_ids) && choice.token_ids.every((t) => Number.isInteger(t))) out.tokenIds = choice.token_ids as number[];
    const usage = (response as { usage?: { prompt_tokens?: number; completion_tokens?: number } }).usage;
    if (usage && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number') {
      // With n choices the usage covers them all; a choice's own count needs its token ids.
      if (n === 1) out.usage = { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
      else if (out.tokenIds) out.usage = { promptTokens: usage.prompt_tokens, completionTokens: out.tokenIds.length };
    }
    // vLLM and exitgym's server name the stop string that ended the text (which they strip).
    const stopReason = (choice as { stop_reason?: unknown } | undefined)?.stop_reason;
    if (typeof stopReason === 'string' && stops.includes(stopReason)) out.stopString = stopReason;
    const version = (response as { weights_version?: unknown }).weights_version;
    if (Number.isInteger(version)) out.weightsVersion = version as number;
    const sampling = (response as { sampling?: unknown }).sampling;
    if (sampling !== null && typeof sampling === 'object' && !Array.isArray(sampling)) {
      const fields = Object.entries(sampling).filter((e): e is [string, number | string | null] => e[1] === null || typeof e[1] === 'number' || typeof e[1] === 'string');
      out.effectiveSampling = Object.fromEntries(fields);
    }
    return out;
  }
}
