/**
 * The HTTP env server on Fastify, so RL code in any language (a Python trainer on a cluster) can
 * use the envs and the ExIt curriculum. Routes are in `routes.ts` (served as OpenAPI at
 * `GET /v1/schema`); every error is `{error: {code, message}}` with an actionable status.
 *
 * @example
 * const server = await startEnvServer({ port: 8765 });
 * // curl -XPOST localhost:8765/v1/sessions -d '{"env":"math","options":{"split":"math500"}}'
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { ConfigError } from '../core/errors.js';
import { bearerMatches, isLoopback } from './auth.js';
import { readJsonBody } from './body.js';
import { CurriculumService } from './curriculum-service.js';
import { errorReply, HttpError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { ROUTES, type RouteContext } from './routes.js';
import { SessionTable } from './sessions.js';
import { EnvWorkerPool } from './env-workers.js';

export interface EnvServerOptions {
  port?: number;
  host?: string;
  /** Bearer token every request must carry (`Authorization: Bearer T`); required beyond loopback. */
  token?: string;
  /** Sessions idle this long are closed (default 900). */
  idleSeconds?: number;
  /** Live sessions at most (default 256). */
  maxSessions?: number;
  /** Largest request body in bytes (default 4 MiB). */
  maxBodyBytes?: number;
  /** Folder the curricula are saved to and restored from; absent = curricula are not saved. */
  stateDir?: string;
  /** Save changed curricula this often (default 60 s). */
  autosaveSeconds?: number;
  /** How long `close()` lets running requests finish before closing their sessions (default 30 s). */
  drainSeconds?: number;
  /** Lines for the operator (shutdown, autosave failures, internal errors); default: none. */
  log?: (line: string) => void;
  /**
   * Worker threads that hold the sessions of exitgym's own envs, so env work runs beside the HTTP
   * thread (default 0: envs run in the server's thread). `exitgym serve` defaults to one fewer
   * than the cores (at most 8). If the workers cannot start, envs run in the server's thread.
   */
  envWorkers?: number;
}

export interface EnvServer {
  url: string;
  sessions: SessionTable;
  curricula: CurriculumService;
  /** Requests being answered now. */
  inFlight(): number;
  /** Env worker threads running (0: envs run in the server's thread). */
  envWorkers: number;
  /** Stops accepting, lets running requests finish (up to `drainSeconds`), saves curricula, closes envs. */
  close(): Promise<void>;
}

/** The env worker pool, or undefined (envs in this thread) for 0 workers or when they cannot start. */
async function startWorkers(count: number, log: (line: string) => void): Promise<EnvWorkerPool | undefined> {
  if (!Number.isInteger(count) || count < 0) throw new ConfigError(`envWorkers must be a whole number ≥ 0, got ${count}.`);
  if (count === 0) return undefined;
  try {
    return await EnvWorkerPool.start(count, log);
  } catch (e) {
    log(`env worker threads could not start (${(e as Error).message}); envs run in the server's thread`);
    return undefined;
  }
}

/** Starts the server; refuses to bind beyond loopback without a token. */
export async function startEnvServer(opts: EnvServerOptions = {}): Promise<EnvServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.token) {
    throw new ConfigError(`binding ${host} exposes the envs beyond this machine; pass --token T (clients send "Authorization: Bearer T"), or bind 127.0.0.1.`);
  }
  const log = opts.log ?? (() => {});
  const workers = await startWorkers(opts.envWorkers ?? 0, log);
  const sessions = new SessionTable({
    idleSeconds: opts.idleSeconds ?? 900,
    maxSessions: opts.maxSessions ?? 256,
    ...(workers ? { makeEnv: (envId, options) => workers.makeEnv(envId, options) } : {}),
  });
  const curricula = await CurriculumService.start({ ...(opts.stateDir ? { stateDir: opts.stateDir } : {}), ...(opts.autosaveSeconds === undefined ? {} : { autosaveSeconds: opts.autosaveSeconds }), log });
  const maxBody = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  let inFlight = 0;
  const ctx: RouteContext = { sessions, curricula, inFlight: () => inFlight };

  const app: FastifyInstance = Fastify({ logger: false, return503OnClosing: true, forceCloseConnections: 'idle', keepAliveTimeout: 65_000 });
  app.removeAllContentTypeParsers();
  // Every body is read as JSON by our reader (drains over-size bodies, refuses deep nesting).
  const parseBody = async (_req: unknown, payload: NodeJS.ReadableStream): Promise<unknown> => readJsonBody(payload as never, maxBody);
  // The same reader twice: Fastify caches the parser of a named type, but looks '*' up afresh
  // (parsing the content-type header) on every request, and JSON is what clients send.
  app.addContentTypeParser('application/json', parseBody);
  app.addContentTypeParser('*', parseBody);

  const token = opts.token ? Buffer.from(opts.token) : undefined;
  // Callback hooks: they run on every request, and an async hook costs a promise each time.
  app.addHook('onRequest', (req, _reply, done) => {
    inFlight++;
    if (token && req.url !== '/healthz' && !bearerMatches(req.headers.authorization, token)) {
      done(new HttpError(401, 'unauthorized', 'this server needs "Authorization: Bearer <token>" (the --token it was started with).'));
    } else done();
  });
  app.addHook('onResponse', (_req, _reply, done) => {
    inFlight--;
    done();
  });
  app.setErrorHandler((e, _req, reply) => {
    const r = errorReply(e);
    if (r.status >= 500 && r.code === 'internal') log(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (r.retryAfter !== undefined) void reply.header('retry-after', String(r.retryAfter));
    if (r.status === 401) void reply.header('www-authenticate', 'Bearer');
    void reply.code(r.status).send({ error: { code: r.code, message: r.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}; GET /v1/schema lists the routes.` } });
  });

  const schema = openApiDocument(ROUTES);
  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (req, reply) => {
        const out = route.path === '/v1/schema' ? schema : await route.handler(ctx, req.params as Record<string, string>, req.body);
        void reply.code(route.status ?? 200);
        return out;
      },
    });
  }

  await app.listen({ port: opts.port ?? 8765, host });
  const addr = app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const drain = (opts.drainSeconds ?? 30) * 1000;
    // Past the drain time, sessions close (their running calls answer 410) and then connections.
    const cut = setTimeout(() => {
      log(`still ${inFlight} request(s) after ${drain / 1000} s; closing their sessions`);
      void sessions.closeAll().then(() => setTimeout(() => app.server.closeAllConnections(), 1000).unref());
    }, drain);
    cut.unref();
    // Keep-alive connections that finish their request during the drain close as they go idle.
    const reap = setInterval(() => app.server.closeIdleConnections(), 100);
    reap.unref();
    await app.close();
    clearTimeout(cut);
    clearInterval(reap);
    await sessions.closeAll();
    await workers?.close();
    await curricula.close();
  };
  return {
    url: `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`,
    sessions,
    curricula,
    inFlight: () => inFlight,
    envWorkers: workers?.size ?? 0,
    close: () => (closing ??= close()),
  };
}
