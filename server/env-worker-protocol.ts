/** Messages between the HTTP thread and an env worker thread (env-workers.ts, env-worker.ts). */
import type { ErrorCode } from '../core/errors.js';
import type { StartState } from '../core/types.js';
import type { ResetOptions } from '../envs/types.js';

/** One call on the worker; `id` pairs it with its answer. */
export type WorkerCall = { id: number } & (
  | { op: 'create'; envId: string; options: Record<string, unknown> }
  | { op: 'reset'; handle: number; start: StartState; opts?: ResetOptions }
  | { op: 'step'; handle: number; action: string }
  | { op: 'trace'; handle: number }
  | { op: 'close'; handle: number }
  // Closes every env, then ends the thread (so the envs' process 'exit' hooks run, which
  // Worker#terminate skips). Not answered: the thread's exit is the answer.
  | { op: 'shutdown' }
);

/** The answer to call `id`: its value, or the error code and message it threw. */
export type WorkerAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: ErrorCode; message: string };
