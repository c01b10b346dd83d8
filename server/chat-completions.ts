import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Schema } from 'ajv';
import { ExitgymError } from '../core/errors.js';
import { checkSchema } from '../core/schema.js';
import type { Message } from '../core/types.js';
import type { Completion, CompletionRequest, PolicyClient } from '../rollout/types.js';

/** What the server needs from a model: completions, and optionally streaming and token texts. */
export interface ServableClient extends PolicyClient {
  stream?(request: CompletionRequest, onText: (delta: string) => void): Promise<Completion>;
  tokenText?(id: number): string;
}

export interface ChatServerOptions {
  client: ServableClient;
  /** The model name `/v1/models` lists and responses carry. */
  modelName: string;
  port?: number;
  host?: string;
  /** Default max tokens when a request gives none (default 512). */
  maxTokens?: number;
}

export interface RunningChatServer {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  baseURL: string;
  close(): Promise<void>;
}

const requestSchema: Schema = {
  type: 'object',
  required: ['messages'],
  properties: {
    model: { type: 'string' },
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['role'],
        properties: { role: { enum: ['system', 'user', 'assistant', 'tool', 'developer'] }, content: { type: ['string', 'array', 'null'] } },
      },
    },
    max_tokens: { type: 'integer', minimum: 1 },
    max_completion_tokens: { type: 'integer', minimum: 1 },
    temperature: { type: 'number', minimum: 0 },
    top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    top_k: { type: 'integer', minimum: -1 },
    stop: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 16 }, { type: 'null' }] },
    seed: { type: 'integer' },
    stream: { type: 'boolean' },
    logprobs: { type: 'boolean' },
    n: { const: 1 },
  },
};

interface ChatBody {
  model?: string;
  messages: { role: string; content?: string | { type: string; text?: string }[] | null; tool_call_id?: string }[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string | string[] | null;
  seed?: number;
  stream?: boolean;
  logprobs?: boolean;
}

function toMessages(body: ChatBody): Message[] {
  return body.messages.map((m) => {
    const content = typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((p) => p.text ?? '').join('') : '';
    const role = m.role === 'developer' ? 'system' : (m.role as Message['role']);
    return { role, content, ...(m.tool_call_id ? { toolCallId: m.tool_call_id } : {}) };
  });
}

/**
 * An OpenAI-compatible `/v1/chat/completions` (streaming and not, with logprobs and the sampled
 * token ids as an extension field `token_ids`) and `/v1/models` over any policy client: what
 * `exitgym serve-model` runs, so other tools can use exitgym's models.
 */
export async function startChatCompletionsServer(opts: ChatServerOptions): Promise<RunningChatServer> {
  const created = Math.floor(Date.now() / 1000);
  const send = (res: ServerResponse, status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const error = (res: ServerResponse, status: number, message: string, type = 'invalid_request_error'): void => send(res, status, { error: { message, type, param: null, code: null } });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');
    if (req.method === 'GET' && path === '/v1/models') {
      return send(res, 200, { object: 'list', data: [{ id: opts.modelName, object: 'model', created, owned_by: 'exitgym' }] });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return error(res, 404, `no route ${req.method} ${path}; this server has GET /v1/models and POST /v1/chat/completions`);
    let raw = '';
    for await (const chunk of req as AsyncIterable<Buffer>) raw += chunk.toString('utf8');
    let body: ChatBody;
    try {
      body = JSON.parse(raw) as ChatBody;
    } catch {
      return error(res, 400, 'request body is not valid JSON');
    }
    const valid = checkSchema<ChatBody>(requestSchema, body);
    if (!valid.ok) return error(res, 400, `bad request: ${valid.reason}`);
    if (body.model !== undefined && body.model !== opts.modelName) return error(res, 404, `model "${body.model}" not found; this server serves "${opts.modelName}"`, 'not_found_error');
    const stop = body.stop === null || body.stop === undefined ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
    const request: CompletionRequest = {
      messages: toMessages(body),
      maxTokens: body.max_completion_tokens ?? body.max_tokens ?? opts.maxTokens ?? 512,
      temperature: body.temperature ?? 1,
      ...(body.top_p !== undefined ? { topP: body.top_p } : {}),
      ...(body.top_k !== undefined && body.top_k > 0 ? { topK: body.top_k } : {}),
      ...(stop.length ? { stop } : {}),
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
      logprobs: Boolean(body.logprobs),
    };
    const id = `chatcmpl-${randomUUID()}`;
    const logprobs = (c: Completion): unknown =>
      body.logprobs && c.logprobs
        ? { content: c.logprobs.map((lp, i) => { const t = c.tokenIds?.[i]; const token = t === undefined ? '' : (opts.client.tokenText?.(t) ?? String(t)); return { token, logprob: lp, bytes: [...Buffer.from(token)], top_logprobs: [] }; }) }
        : null;
    const usage = (c: Completion): unknown => (c.usage ? { prompt_tokens: c.usage.promptTokens, completion_tokens: c.usage.completionTokens, total_tokens: c.usage.promptTokens + c.usage.completionTokens } : undefined);

    if (!body.stream) {
      const c = await opts.client.complete(request);
      return send(res, 200, {
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: opts.modelName,
        choices: [{ index: 0, message: { role: 'assistant', content: c.text }, finish_reason: c.finishReason, logprobs: logprobs(c), ...(c.tokenIds ? { token_ids: c.tokenIds } : {}) }],
        usage: usage(c),
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): void => {
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: opts.modelName, choices: [{ index: 0, delta, finish_reason: finish, ...extra }] })}\n\n`);
    };
    chunk({ role: 'assistant', content: '' }, null);
    const onText = (t: string): void => chunk({ content: t }, null);
    const c = opts.client.stream ? await opts.client.stream(request, onText) : await opts.client.complete(request).then((r) => (onText(r.text), r));
    chunk({}, c.finishReason, { logprobs: logprobs(c), ...(c.tokenIds ? { token_ids: c.tokenIds } : {}) });
    res.write('data: [DONE]\n\n');
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const message = e instanceof ExitgymError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
      if (res.headersSent) {
        res.end();
        return;
      }
      error(res, e instanceof ExitgymError && (e.code === 'config' || e.code === 'validation') ? 400 : 500, message, 'server_error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8000, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    baseURL: `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}/v1`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
