/**
 * The live env sessions. Each env is stateful, so calls on one session run one at a time in
 * arrival order. A session that is running a call is never expired; a session closed while a call
 * runs answers that call 410 (its result is a server-side cut, never a reward). A slot is reserved
 * before the env is built, so the cap is checked first and a refused create builds nothing.
 */
import { randomUUID } from 'node:crypto';
import { makeEnv } from '../envs/registry.js';
import type { RecurrentEnv } from '../envs/types.js';
import { HttpError } from './errors.js';

interface Session {
  id: string;
  envId: string;
  env: RecurrentEnv;
  lastUsed: number;
  /** Calls running or queued. */
  busy: number;
  closed: boolean;
  /** Tail of the call queue. */
  queue: Promise<unknown>;
  /** Recent client request ids and their results, so a retried call is answered, not repeated. */
  requests: Map<string, Promise<unknown>>;
}

/** Request ids remembered per session (a retry comes soon after the original). */
const REMEMBERED_REQUESTS = 16;

export interface SessionTableOptions {
  /** Sessions idle (no call running) this long are closed. */
  idleSeconds: number;
  maxSessions: number;
  /** Builds a session's env (default: the registry's `makeEnv`, in this thread; the server may pass env worker threads). */
  makeEnv?: (envId: string, options: Record<string, unknown>) => Promise<RecurrentEnv>;
}

/** The live env sessions, with an idle timeout and a cap so a crashed client cannot leak envs. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  private reserved = 0;
  private readonly timer: NodeJS.Timeout;
  /** Sessions closed by expiry since start (for /healthz). */
  expired = 0;

  constructor(private readonly opts: SessionTableOptions) {
    this.timer = setInterval(() => void this.sweep(), Math.max(50, Math.min(60_000, opts.idleSeconds * 500)));
    this.timer.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Builds an env in a reserved slot and registers it; 429 with `Retry-After` when the table is
   * full (before anything is built).
   */
  async create(envId: string, build: () => Promise<RecurrentEnv>): Promise<{ id: string; env: RecurrentEnv }> {
    if (this.sessions.size + this.reserved >= this.opts.maxSessions) {
      throw new HttpError(
        429,
        'capacity',
        `the server already holds ${this.opts.maxSessions} sessions (--max-sessions); DELETE finished sessions, or retry after idle ones expire (${this.opts.idleSeconds} s).`,
        Math.max(1, Math.min(60, Math.ceil(this.opts.idleSeconds / 10))),
      );
    }
    this.reserved++;
    try {
      const env = await build();
      const id = randomUUID();
      this.sessions.set(id, { id, envId, env, lastUsed: Date.now(), busy: 0, closed: false, queue: Promise.resolve(), requests: new Map() });
      return { id, env };
    } finally {
      this.reserved--;
    }
  }

  /** `create` with the table's env factory. */
  createEnv(envId: string, options: Record<string, unknown>): Promise<{ id: string; env: RecurrentEnv }> {
    return this.create(envId, () => (this.opts.makeEnv ?? makeEnv)(envId, options));
  }

  private get(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new HttpError(404, 'unknown_id', `no session "${id}" (it was closed, or expired after ${this.opts.idleSeconds} s idle); create one with POST /v1/sessions.`);
    return s;
  }

  /** The env id of a live session. */
  envIdOf(id: string): string {
    return this.get(id).envId;
  }

  /**
   * Runs `fn` on the session's env after its earlier calls finish. With a `requestId` seen
   * recently on this session, answers with that call's result instead of running `fn` again.
   */
  use<T>(id: string, fn: (env: RecurrentEnv) => Promise<T>, requestId?: string): Promise<T> {
    const s = this.get(id);
    if (requestId !== undefined) {
      const earlier = s.requests.get(requestId);
      if (earlier) return earlier as Promise<T>;
    }
    const call = async (): Promise<T> => {
      if (s.closed) throw gone(id);
      try {
        const out = await fn(s.env);
        if (s.closed) throw gone(id);
        return out;
      } catch (e) {
        // A call cut by close() fails in whatever way the env fails: report the close, not that.
        if (s.closed) throw gone(id);
        throw e;
      } finally {
        s.busy--;
        s.lastUsed = Date.now();
      }
    };
    s.busy++;
    s.lastUsed = Date.now();
    // With no call running or queued (the usual case: one client per session) it starts now;
    // waiting on the settled queue would cost a promise and a turn of the microtask queue.
    const run = s.busy === 1 ? call() : s.queue.then(call);
    s.queue = run.catch(() => undefined);
    if (requestId !== undefined) {
      s.requests.set(requestId, run);
      // A failed call is forgotten, so its retry runs again (a failure left the env as it was).
      run.catch(() => s.requests.get(requestId) === run && s.requests.delete(requestId));
      if (s.requests.size > REMEMBERED_REQUESTS) s.requests.delete(s.requests.keys().next().value as string);
    }
    return run;
  }

  /**
   * Closes a session: now (calls still running on it answer 410), or with `afterQueued` once the
   * calls queued before this one finish (a batch's ops on one session run in order). False when
   * there is none.
   */
  async close(id: string, afterQueued = false): Promise<boolean> {
    let s = this.sessions.get(id);
    if (s && afterQueued) {
      // Counted as a queued call, so a call that arrives meanwhile queues behind this close (and
      // answers 410) instead of starting at once.
      const waiting = s;
      waiting.busy++;
      try {
        await waiting.queue;
      } finally {
        waiting.busy--;
      }
      s = this.sessions.get(id);
    }
    if (!s) return false;
    this.sessions.delete(id);
    s.closed = true;
    await s.env.close();
    return true;
  }

  /** Closes sessions idle longer than the timeout; a session with a call running is not idle. */
  async sweep(now = Date.now()): Promise<void> {
    for (const s of [...this.sessions.values()]) {
      if (s.busy === 0 && now - s.lastUsed > this.opts.idleSeconds * 1000) {
        this.expired++;
        await this.close(s.id);
      }
    }
  }

  /** Calls running or queued, over all sessions. */
  get inFlight(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.busy;
    return n;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }
}

function gone(id: string): HttpError {
  return new HttpError(410, 'session_closed', `session "${id}" was closed (DELETE, expiry or server shutdown) while this call ran; its result is void. Create a new session and rerun the episode.`);
}
