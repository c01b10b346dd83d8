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
  /** Max new tokens of a chat completion that gives none. */
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

/** Sampling settings of a body (defaults as OpenAI's: temperature 1, top_p 1); `prompts` bounds the batch. */
export function samplingOf(ctx: RouteContext, body: SamplingBody, prompts = 1): Pick<ServedRequest, 'n' | 'temperature' | 'topP' | 'topK' | 'stop' | 'seed'> {
  if ((body.n ?? 1) * prompts > MAX_N) throw new HttpError(400, `n × prompts is ${(body.n ?? 1) * prompts}; one request generates at most ${MAX_N} sequences. Split it.`, 'n');
  const stop = body.stop === null || body.stop === undefined ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  return {
    n: body.n ?? 1,
    temperature: body.temperature ?? 1,
    ...(body.top_p !== undefined && body.top_p !== null ? { topP: body.top_p } : {}),
    ...(body.top_k !== undefined && body.top_k !== null && body.top_k > 0 ? { topK: body.top_k } : {}),
    ...(stop.length ? { stop: stop.filter((s) => s.length > 0) } : {}),
    seed: body.seed ?? ctx.nextSeed(),
  };
}

/**
 * Refuses, before anything is sent, a request whose prompt and max tokens do not fit the context
 * (the model checks again; this makes a streamed request fail with a status, not mid-stream).
 */
export function checkFits(ctx: RouteContext, request: ServedRequest): void {
  const longest = Math.max(...request.prompts.map((p) => ctx.model.encode(p).length));
  const room = ctx.model.contextLength - longest;
  const asked = request.clipMaxTokens ? Math.min(1, request.maxTokens) : request.maxTokens;
  if (asked > room) {
    throw new HttpError(400, `this model's maximum context length is ${ctx.model.contextLength} tokens; the prompt has ${longest} tokens and max_tokens asks for ${request.maxTokens} more. Shorten the prompt or lower max_tokens.`, 'max_tokens');
  }
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
