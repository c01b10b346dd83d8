/**
 * What the chat and completions routes of the model server share: request validation that names
 * unsupported parameters, sampling settings and seeds from a body, and the server-sent-events
 * writer of streamed responses.
 */
import type { ServerResponse } from 'node:http';
import type { Schema } from 'ajv';
import { checkSchema } from '../core/schema.js';
import { Rng } from '../core/rng.js';
import type { ServedModel, ServedRequest } from '../trainer/served-model.js';
import { MAX_N, type SamplingBody } from './openai-schemas.js';

/** An HTTP error in OpenAI's shape (`{error: {message, type, param, code}}`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly type = status === 404 ? 'not_found_error' : 'invalid_request_error',
  ) {
    super(message);
  }
}

/** What every route needs: the model, its public name, and defaults. */
export interface RouteContext {
  model: ServedModel;
  modelName: string;
  /** Cap on the new tokens of a chat completion that gives none (Infinity: the context left after the prompt). */
  defaultMaxTokens: number;
  /** A seed for a request that gives none: drawn from the server's seeded stream. */
  nextSeed(): number;
}

/** A seed stream: request k without a seed gets `fork(k)` of the server seed. */
export function seedStream(serverSeed: number): () => number {
  const root = Rng.fromSeed(serverSeed);
  let k = 0;
  return () => root.fork(k++).int(2_000_000_000);
}

/**
 * The body as `schema` admits it, or a 400: parameters the schema does not know are named first
 * ("unsupported parameter"), then the first invalid fields.
 */
export function validateBody<T>(schema: Schema, body: unknown, route: string): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, `${route}: the request body must be a JSON object.`);
  const known = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  const unknown = Object.keys(body).filter((k) => !(k in known));
  if (unknown.length) {
    const names = unknown.map((k) => `"${k}"`).join(', ');
    throw new HttpError(400, `${route}: unsupported parameter${unknown.length > 1 ? 's' : ''} ${names}: exitgym serve-model does not implement ${unknown.length > 1 ? 'them' : 'it'}; remove ${unknown.length > 1 ? 'them' : 'it'} from the request.`, unknown[0]);
  }
  const r = checkSchema<T>(schema, body);
  if (!r.ok) {
    const param = /^\/([^/:]+)/.exec(r.reason)?.[1] ?? null;
    throw new HttpError(400, `bad request: ${r.reason}`, param);
  }
  return r.value;
}

/** The model name check of every generation route. */
export function checkModel(ctx: RouteContext, model: string | undefined): void {
  if (model !== undefined && model !== ctx.modelName) throw new HttpError(404, `model "${model}" not found; this server serves "${ctx.modelName}".`, 'model');
}

/**
 * Sampling settings of a body: a field it leaves out takes the checkpoint's generation_config.json
 * value, else OpenAI's default (temperature 1, top_p 1, every token). `prompts` bounds the batch.
 */
export function samplingOf(ctx: RouteContext, body: SamplingBody, prompts = 1): Pick<ServedRequest, 'n' | 'temperature' | 'topP' | 'topK' | 'stop' | 'seed'> {
  if ((body.n ?? 1) * prompts > MAX_N) throw new HttpError(400, `n × prompts is ${(body.n ?? 1) * prompts}; one request generates at most ${MAX_N} sequences. Split it.`, 'n');
  const stop = body.stop === null || body.stop === undefined ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  const d = ctx.model.samplingDefaults;
  const topK = body.top_k ?? d.topK ?? 0;
  return {
    n: body.n ?? 1,
    temperature: body.temperature ?? d.temperature ?? 1,
    topP: body.top_p ?? d.topP ?? 1,
    topK: Math.max(0, topK), // -1 (vLLM) and 0 both keep every token
    ...(stop.length ? { stop: stop.filter((s) => s.length > 0) } : {}),
    seed: body.seed ?? ctx.nextSeed(),
  };
}

/**
 * The max new tokens a request gets: what it asked for, or (`clipMaxTokens`) its default lowered
 * to the context left after the longest prompt. Refuses, before anything is sent, a request that
 * does not fit, so a streamed request fails with a status, not mid-stream.
 */
export function fitMaxTokens(ctx: RouteContext, request: ServedRequest): number {
  const longest = Math.max(...request.prompts.map((p) => ctx.model.encode(p).length));
  const room = ctx.model.contextLength - longest;
  const fitted = request.clipMaxTokens ? Math.min(request.maxTokens, room) : request.maxTokens;
  if (fitted > room || (request.maxTokens > 0 && fitted < 1)) {
    const asked = request.clipMaxTokens ? 'leaves no room for a completion' : `and max_tokens asks for ${request.maxTokens} more`;
    throw new HttpError(400, `this model's maximum context length is ${ctx.model.contextLength} tokens; the prompt has ${longest} tokens ${asked}. Shorten the prompt or lower max_tokens.`, 'max_tokens');
  }
  return fitted;
}

/** The effective sampling settings, as every response reports them (top-level `sampling`). */
export function samplingReport(request: ServedRequest): Record<string, number> {
  return { temperature: request.temperature, top_p: request.topP ?? 1, top_k: request.topK ?? 0, max_tokens: request.maxTokens, seed: request.seed };
}

/** Server-sent events on a raw response (the route has taken the response over). */
export class EventStream {
  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  }

  send(value: unknown): void {
    this.res.write(`data: ${JSON.stringify(value)}\n\n`);
  }

  /** An error after the stream began: one error event, then the end (the status is already sent). */
  fail(message: string): void {
    this.send({ error: { message, type: 'server_error', param: null, code: null } });
    this.end();
  }

  end(): void {
    if (this.res.writableEnded) return;
    this.res.write('data: [DONE]\n\n');
    this.res.end();
  }
}

/** OpenAI usage: the prompt counted once per prompt, completions summed over choices. */
export function usageOf(promptTokens: number, completionTokens: number): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}
