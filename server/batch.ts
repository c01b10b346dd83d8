/**
 * The batch route: many session operations in one request, each answered with its own status and
 * result or error, so one bad item never fails the others. Items run concurrently; operations on
 * the same session still run in the order they appear (each session's calls are queued).
 */
import { validate } from '../core/schema.js';
import { errorReply, HttpError } from './errors.js';
import { createSession, deleteSession, resetSession, sessionTools, stepSession, traceSession } from './operations.js';
import { batchOpSchema, batchSchema } from './schemas.js';
import type { SessionTable } from './sessions.js';

export type BatchItemResult = { status: number; result: unknown } | { status: number; error: { code: string; message: string } };

function needSession(op: Record<string, unknown>, i: number): string {
  if (typeof op.session !== 'string') throw new HttpError(400, 'validation', `ops[${i}]: "${String(op.op)}" needs "session" (the id from a create).`);
  return op.session;
}

/** Runs one item; its `op` and `session` are stripped before the body is checked like the single route's. */
async function runOp(sessions: SessionTable, raw: unknown, i: number): Promise<[number, unknown]> {
  const op = validate<Record<string, unknown>>(batchOpSchema, raw, `ops[${i}]`);
  const { op: name, session: _session, ...body } = op;
  switch (name) {
    case 'create':
      return [201, await createSession(sessions, body)];
    case 'reset':
      return [200, await resetSession(sessions, needSession(op, i), body)];
    case 'step':
      return [200, await stepSession(sessions, needSession(op, i), body)];
    case 'trace':
      return [200, await traceSession(sessions, needSession(op, i))];
    case 'tools':
      return [200, await sessionTools(sessions, needSession(op, i))];
    default:
      return [200, await deleteSession(sessions, needSession(op, i), true)];
  }
}

/** `POST /v1/batch` `{ops: [...]}` → `{results: [{status, result} | {status, error}]}`, in item order. */
export async function runBatch(sessions: SessionTable, body: unknown): Promise<{ results: BatchItemResult[] }> {
  const { ops } = validate<{ ops: unknown[] }>(batchSchema, body ?? {}, 'POST /v1/batch body');
  const results = await Promise.all(
    ops.map((raw, i) =>
      runOp(sessions, raw, i).then(
        ([status, result]): BatchItemResult => ({ status, result }),
        (e: unknown): BatchItemResult => {
          const r = errorReply(e);
          return { status: r.status, error: { code: r.code, message: r.message } };
        },
      ),
    ),
  );
  return { results };
}
