import { randomUUID } from 'node:crypto';
import { ExitgymError } from '../core/errors.js';
import type { RecurrentEnv } from '../envs/types.js';

interface Session {
  id: string;
  envId: string;
  env: RecurrentEnv;
  lastUsed: number;
  /** Calls on one env run one at a time (envs are stateful). */
  queue: Promise<unknown>;
}

/** The live env sessions, with an idle timeout and a cap so a crashed client cannot leak envs. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: { idleSeconds: number; maxSessions: number }) {
    this.timer = setInterval(() => void this.sweep(), Math.min(60_000, opts.idleSeconds * 500));
    this.timer.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  add(envId: string, env: RecurrentEnv): string {
    if (this.sessions.size >= this.opts.maxSessions) {
      throw new ExitgymError('config', `the server already holds ${this.opts.maxSessions} sessions (--max-sessions); DELETE finished ones first.`);
    }
    const id = randomUUID();
    this.sessions.set(id, { id, envId, env, lastUsed: Date.now(), queue: Promise.resolve() });
    return id;
  }

  /** Runs `fn` on the session's env after its earlier calls finish. */
  async use<T>(id: string, fn: (env: RecurrentEnv) => Promise<T>): Promise<T> {
    const s = this.sessions.get(id);
    if (!s) throw new ExitgymError('unknown_id', `no session "${id}" (it was closed or expired after ${this.opts.idleSeconds} s idle); create one with POST /v1/sessions.`);
    s.lastUsed = Date.now();
    const run = s.queue.then(() => fn(s.env));
    s.queue = run.catch(() => undefined);
    return run;
  }

  async close(id: string): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    await s.env.close();
    return true;
  }

  async sweep(now = Date.now()): Promise<void> {
    for (const s of [...this.sessions.values()]) {
      if (now - s.lastUsed > this.opts.idleSeconds * 1000) await this.close(s.id);
    }
  }

  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }
}
