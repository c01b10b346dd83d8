import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExitgymError, type ErrorCode } from '../core/errors.js';
import { validate } from '../core/schema.js';
import type { StartState } from '../core/types.js';
import '../envs/builtin.js';
import { envEntries, makeEnv } from '../envs/registry.js';
import { createSessionSchema, resetSchema, stepSchema } from './schemas.js';
import { SessionTable } from './sessions.js';

export interface EnvServerOptions {
  port?: number;
  host?: string;
  /** Sessions idle this long are closed (default 900). */
  idleSeconds?: number;
  /** Live sessions at most (default 256). */
  maxSessions?: number;
  /** Largest request body in bytes (default 4 MiB). */
  maxBodyBytes?: number;
}

export interface EnvServer {
  url: string;
  sessions: SessionTable;
  close(): Promise<void>;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  validation: 400,
  config: 400,
  unknown_id: 404,
  reset_needed: 409,
  episode_ended: 409,
  dataset_missing: 503,
  sandbox: 503,
};

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new HttpError(413, 'too_large', `request body over ${max} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'validation', 'request body is not valid JSON');
  }
}

/**
 * The HTTP env server, so RL code in any language (a Python trainer on a cluster) can use the
 * envs. Routes (JSON in and out; errors are `{error: {code, message}}`):
 *
 * - `GET /v1/envs` — registered envs and their specs
 * - `POST /v1/sessions` `{env, options?}` → `{session, spec}`
 * - `POST /v1/sessions/:id/reset` `{start, seed?}` → `{observation, info}`
 * - `POST /v1/sessions/:id/step` `{action}` → `{observation, reward, terminated, truncated, info}`
 * - `GET /v1/sessions/:id/trace` → `{turns}`
 * - `DELETE /v1/sessions/:id`
 *
 * @example
 * const server = await startEnvServer({ port: 8765 });
 * // curl -XPOST localhost:8765/v1/sessions -d '{"env":"math","options":{"split":"math500"}}'
 */
export async function startEnvServer(opts: EnvServerOptions = {}): Promise<EnvServer> {
  const sessions = new SessionTable({ idleSeconds: opts.idleSeconds ?? 900, maxSessions: opts.maxSessions ?? 256 });
  const maxBody = opts.maxBodyBytes ?? 4 * 1024 * 1024;

  async function route(req: IncomingMessage): Promise<[number, unknown]> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/healthz') return [200, { ok: true, sessions: sessions.size }];
    if (parts[0] !== 'v1') throw new HttpError(404, 'not_found', `no route ${method} ${url.pathname}; see GET /v1/envs`);
    if (method === 'GET' && parts[1] === 'envs' && parts.length === 2) {
      return [200, { envs: envEntries().map((e) => ({ id: e.id, domain: e.domain, description: e.description, qualityRange: e.qualityRange, budgets: e.budgets })) }];
    }
    if (parts[1] === 'sessions') {
      if (method === 'POST' && parts.length === 2) {
        const body = validate<{ env: string; options?: Record<string, unknown> }>(createSessionSchema, await readBody(req, maxBody), 'POST /v1/sessions body');
        const env = await makeEnv(body.env, body.options ?? {});
        return [201, { session: sessions.add(body.env, env), spec: env.spec }];
      }
      const id = parts[2];
      if (id && parts.length === 4 && method === 'POST' && parts[3] === 'reset') {
        const body = validate<{ start: StartState; seed?: number }>(resetSchema, await readBody(req, maxBody), 'reset body');
        return [200, await sessions.use(id, (env) => env.reset(body.start, body.seed === undefined ? {} : { seed: body.seed }))];
      }
      if (id && parts.length === 4 && method === 'POST' && parts[3] === 'step') {
        const body = validate<{ action: string }>(stepSchema, await readBody(req, maxBody), 'step body');
        return [200, await sessions.use(id, (env) => env.step(body.action))];
      }
      if (id && parts.length === 4 && method === 'GET' && parts[3] === 'trace') {
        return [200, { turns: await sessions.use(id, async (env) => env.trace()) }];
      }
      if (id && parts.length === 3 && method === 'DELETE') {
        if (!(await sessions.close(id))) throw new HttpError(404, 'unknown_id', `no session "${id}"`);
        return [200, { closed: id }];
      }
    }
    throw new HttpError(404, 'not_found', `no route ${method} ${url.pathname}; see GET /v1/envs`);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    route(req).then(
      ([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      },
      (e: unknown) => {
        let status = 500;
        let code = 'internal';
        let message = e instanceof Error ? e.message : String(e);
        if (e instanceof HttpError) [status, code] = [e.status, e.code];
        else if (e instanceof ExitgymError) [status, code] = [STATUS[e.code] ?? 500, e.code];
        else message = `internal error: ${message}`;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code, message } }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8765, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`,
    sessions,
    close: async () => {
      await sessions.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
