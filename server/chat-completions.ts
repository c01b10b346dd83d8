/**
 * The OpenAI-compatible model server `exitgym serve-model` runs (Fastify): `GET /v1/models`
 * (with the context length), `POST /v1/chat/completions`, `POST /v1/completions`, and
 * `POST /v1/weights` / `GET /v1/weights` to swap the served weights while serving (a training
 * run keeps the server on its current policy). Errors are OpenAI's shape with the right status;
 * every parameter the server does not implement is a 400 naming it.
 */
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError } from 'fastify';
import { ConfigError, ExitgymError } from '../core/errors.js';
import type { ServedModel } from '../trainer/served-model.js';
import { bearerMatches, isLoopback } from './auth.js';
import { chatCompletions } from './openai-chat.js';
import { HttpError, seedStream, validateBody, type RouteContext } from './openai-common.js';
import { completions } from './openai-completions.js';
import { weightsRequestSchema } from './openai-schemas.js';

export interface ChatServerOptions {
  model: ServedModel;
  /** The model name `/v1/models` lists and responses carry. */
  modelName: string;
  port?: number;
  host?: string;
  /** Cap on the max tokens of a chat completion that gives none (default: the context left after the prompt, as vLLM). */
  maxTokens?: number;
  /** Seeds the seeds of requests that give none (default 0): a server's answers are reproducible in arrival order. */
  seed?: number;
  /** When set, every request needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Largest request body in bytes (default 64 MiB). */
  bodyLimit?: number;
  /**
   * Most completion requests queued or running at once (default 256); one more answers 429 with
   * `Retry-After`, so a flood of clients meets back-pressure instead of an ever-growing queue
   * whose answers come too late for anyone.
   */
  maxQueued?: number;
}

export interface RunningChatServer {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  baseURL: string;
  close(): Promise<void>;
}

/**
 * A signal that fires when the client goes away before its answer is complete (its connection
 * closed: a timeout, a cancelled rollout), so a queued request never runs and a running
 * generation stops instead of computing for nobody.
 */
function gone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection before the answer was complete'));
  });
  return controller.signal;
}

/**
 * Starts the server over a served model.
 *
 * @example
 * const server = await startChatCompletionsServer({ model: new ServedPolicy(policy), modelName: 'tiny', port: 0 });
 * const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'none' });
 */
export async function startChatCompletionsServer(opts: ChatServerOptions): Promise<RunningChatServer> {
  const created = Math.floor(Date.now() / 1000);
  const host = opts.host ?? '127.0.0.1';
  const ctx: RouteContext = { model: opts.model, modelName: opts.modelName, defaultMaxTokens: opts.maxTokens ?? Infinity, nextSeed: seedStream(opts.seed ?? 0) };
  const app = Fastify({ bodyLimit: opts.bodyLimit ?? 64 * 1024 * 1024, logger: false });

  app.setErrorHandler((e: FastifyError | HttpError | ExitgymError, _req, reply) => {
    let status = 500;
    let message = `internal error: ${e.message}`;
    let param: string | null = null;
    if (e instanceof HttpError) [status, message, param] = [e.status, e.message, e.param];
    else if (e instanceof ExitgymError) [status, message] = [e.code === 'config' || e.code === 'validation' ? 400 : 500, e.message];
    else if ('statusCode' in e && typeof e.statusCode === 'number' && e.statusCode < 500) [status, message] = [e.statusCode, e.message];
    if (status === 429) void reply.header('retry-after', '1');
    const type = status === 404 ? 'not_found_error' : status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status < 500 ? 'invalid_request_error' : 'server_error';
    return reply.status(status).send({ error: { message, type, param, code: null } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: { message: `no route ${req.method} ${req.url.split('?')[0]}; this server has GET /v1/models, POST /v1/chat/completions, POST /v1/completions, GET|POST /v1/weights.`, type: 'not_found_error', param: null, code: null },
    }),
  );
  if (opts.apiKey) {
    const key = Buffer.from(opts.apiKey);
    app.addHook('onRequest', async (req) => {
      if (!bearerMatches(req.headers.authorization, key)) throw new HttpError(401, 'missing or wrong API key: send Authorization: Bearer <the --api-key the server was started with>.');
    });
  }

  app.get('/v1/models', async () => ({
    object: 'list',
    data: [{ id: opts.modelName, object: 'model', created, owned_by: 'exitgym', max_model_len: ctx.model.contextLength, context_length: ctx.model.contextLength, weights_version: ctx.model.weightsVersion }],
  }));
  const maxQueued = opts.maxQueued ?? 256;
  if (!Number.isInteger(maxQueued) || maxQueued < 1) throw new ConfigError(`maxQueued must be a positive integer, got ${maxQueued}.`);
  let queued = 0;
  /** Runs one completion request within the queue cap (see `maxQueued`). */
  const admitted = async <T>(run: () => Promise<T>): Promise<T> => {
    if (queued >= maxQueued) throw new HttpError(429, `the server already has ${queued} completion requests queued or running (its --max-queued); retry after a moment.`);
    queued++;
    try {
      return await run();
    } finally {
      queued--;
    }
  };
  app.post('/v1/chat/completions', async (req, reply) => {
    const out = await admitted(() => chatCompletions(ctx, req.body, () => reply.hijack().raw, gone(reply.raw)));
    return out === undefined ? reply : out;
  });
  app.post('/v1/completions', async (req, reply) => {
    const out = await admitted(() => completions(ctx, req.body, () => reply.hijack().raw, gone(reply.raw)));
    return out === undefined ? reply : out;
  });
  app.get('/v1/weights', async () => ({ version: ctx.model.weightsVersion }));
  app.post('/v1/weights', async (req) => {
    // Loading weights reads any folder the server can: only from loopback, or with a key.
    if (!opts.apiKey && !isLoopback(host)) throw new HttpError(403, 'POST /v1/weights is disabled on a server reachable beyond loopback without --api-key; restart with --api-key.', null, 'permission_error');
    const { path } = validateBody<{ path: string }>(weightsRequestSchema, req.body, 'POST /v1/weights');
    return { version: await ctx.model.reloadWeights(path) };
  });

  await app.listen({ port: opts.port ?? 8000, host });
  const addr = app.server.address() as AddressInfo;
  return {
    baseURL: `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}/v1`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
