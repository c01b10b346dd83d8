/**
 * The server's error vocabulary: every failure answers `{error: {code, message}}` with the status a
 * client can act on — 400 fix the request, 401 token, 404 unknown, 409 state, 410 gone, 413 too
 * large, 429/503 capacity (with `Retry-After`).
 */
import { ExitgymError, type ErrorCode } from '../core/errors.js';

/** A failure with an HTTP status and a stable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds a client should wait before retrying (429/503). */
    readonly retryAfter?: number,
  ) {
    // An HttpError is an answer to the client, and its stack is never shown or logged; capturing
    // one was a visible share of the cost of a 4xx (an unknown session, a bad body).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'HttpError';
  }
}

/** Statuses of the library's error codes; infrastructure failures are 503 (retry later). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  validation: 400,
  config: 400,
  unknown_id: 404,
  reset_needed: 409,
  episode_ended: 409,
  dataset_missing: 503,
  sandbox: 503,
  provider: 502,
  timeout: 504,
};

/** The body and status of any thrown value; an unexpected error is a 500 `internal`. */
export function errorReply(e: unknown): { status: number; code: string; message: string; retryAfter?: number } {
  if (e instanceof HttpError) return { status: e.status, code: e.code, message: e.message, ...(e.retryAfter === undefined ? {} : { retryAfter: e.retryAfter }) };
  if (e instanceof ExitgymError) {
    const status = STATUS[e.code] ?? 500;
    return { status, code: e.code, message: e.message, ...(status === 503 ? { retryAfter: 5 } : {}) };
  }
  const fastify = fastifyError(e);
  if (fastify) return fastify;
  return { status: 500, code: 'internal', message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
}

/** Fastify's own errors (routing, content type, body) as readable client errors. */
function fastifyError(e: unknown): { status: number; code: string; message: string } | undefined {
  if (!(e instanceof Error)) return undefined;
  const f = e as Error & { code?: string; statusCode?: number };
  if (typeof f.code !== 'string' || !f.code.startsWith('FST_')) return undefined;
  if (f.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: 'too_large', message: f.message };
  if (f.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, code: 'unsupported_media_type', message: `${f.message}; send JSON with "content-type: application/json"` };
  }
  const status = f.statusCode !== undefined && f.statusCode >= 400 && f.statusCode < 500 ? f.statusCode : 500;
  return { status, code: status === 500 ? 'internal' : 'bad_request', message: f.message };
}
