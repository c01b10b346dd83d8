/**
 * Env worker threads for `exitgym serve`: sessions of exitgym's own envs live in worker threads,
 * so their work (checking a math answer, BFCL's simulated APIs) runs beside the HTTP thread on
 * other cores instead of sharing one with it. A session stays on the worker it was created on
 * (envs are stateful); new sessions go to the worker with the fewest. Envs registered at run time
 * in the server's own thread (`registerEnv`) are not known to the workers and run in process.
 *
 * A worker that dies (out of memory, a native crash) fails its sessions' calls with a `sandbox`
 * error (503: an infrastructure failure, never a reward) and is replaced for new sessions.
 */
import { Worker } from 'node:worker_threads';
import { ExitgymError, SandboxError } from '../core/errors.js';
import type { StartState, Turn } from '../core/types.js';
import { BUILTIN_ENVS } from '../envs/builtin.js';
import { makeEnv } from '../envs/registry.js';
import type { EnvSpec, RecurrentEnv, ResetOptions, ResetResult, StepResult } from '../envs/types.js';
import type { WorkerAnswer, WorkerCall } from './env-worker-protocol.js';

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };
type CallBody = WorkerCall extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/**
 * The worker thread. The build runs `env-worker.js`; from the TypeScript sources (through tsx),
 * the worker registers tsx's loader first, since a worker does not inherit the loader hooks.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./env-worker.js', import.meta.url));
  const worker = JSON.stringify(new URL('./env-worker.ts', import.meta.url).href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${tsx}).then((t) => t.register()).then(() => import(${worker}));`, { eval: true });
}

/** One worker thread and the calls it owes answers to. */
class WorkerSlot {
  readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  sessions = 0;
  /** Why the worker is gone; set once it exited. */
  dead: string | undefined;
  readonly ready: Promise<void>;

  constructor(onExit: (slot: WorkerSlot) => void) {
    this.worker = startWorker();
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }): void => {
        if (m.ready) {
          this.worker.off('message', onMessage);
          resolve();
        }
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`exited with code ${code} before it was ready`)));
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (m: WorkerAnswer | { ready: true }) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new ExitgymError(m.code, m.message));
    });
    this.worker.on('error', (e) => (this.dead ??= `it failed: ${e.message}`));
    this.worker.on('exit', (code) => {
      this.dead ??= `it exited with code ${code}`;
      const failure = this.goneError();
      for (const p of this.pending.values()) p.reject(failure);
      this.pending.clear();
      onExit(this);
    });
  }

  /** What a call on a dead worker's session fails with: infrastructure (503), never a reward. */
  private goneError(): SandboxError {
    return new SandboxError(`the env worker thread holding this session is gone (${this.dead}); its env state is lost: create a new session.`);
  }

  call<T>(body: CallBody): Promise<T> {
    if (this.dead) return Promise.reject(this.goneError());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...body, id });
    });
  }
}

/** An env in a worker thread, behind the `RecurrentEnv` interface (`trace` is `traceAsync` here). */
export class RemoteEnv implements RecurrentEnv {
  private closed = false;

  constructor(
    private readonly slot: WorkerSlot,
    private readonly handle: number,
    readonly spec: EnvSpec,
  ) {}

  reset(start: StartState, opts?: ResetOptions): Promise<ResetResult> {
    return this.slot.call({ op: 'reset', handle: this.handle, start, ...(opts ? { opts } : {}) });
  }

  step(action: string): Promise<StepResult> {
    return this.slot.call({ op: 'step', handle: this.handle, action });
  }

  /** The history lives in the worker: read it with `traceAsync`. */
  trace(): Turn[] {
    throw new ExitgymError('internal', 'RemoteEnv.trace(): the env runs in a worker thread; call traceAsync().');
  }

  traceAsync(): Promise<Turn[]> {
    return this.slot.call({ op: 'trace', handle: this.handle });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.slot.sessions--;
    if (!this.slot.dead) await this.slot.call({ op: 'close', handle: this.handle });
  }
}

/** A session's history, wherever its env runs. */
export function traceOf(env: RecurrentEnv): Promise<Turn[]> {
  return env instanceof RemoteEnv ? env.traceAsync() : Promise.resolve(env.trace());
}

const WORKER_ENVS = new Set(BUILTIN_ENVS.map((e) => e.id));

/** `count` env worker threads; `makeEnv` puts sessions of exitgym's own envs on them. */
export class EnvWorkerPool {
  private slots: WorkerSlot[] = [];
  private closing = false;

  private constructor(private readonly log: (line: string) => void) {}

  /**
   * Starts `count` workers and waits until each has loaded. Throws when one cannot start (a
   * runtime that cannot load the worker's module): the caller then runs envs in process.
   */
  static async start(count: number, log: (line: string) => void = () => {}): Promise<EnvWorkerPool> {
    const pool = new EnvWorkerPool(log);
    for (let i = 0; i < count; i++) pool.slots.push(pool.spawn());
    try {
      await Promise.all(pool.slots.map((s) => s.ready));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(): WorkerSlot {
    return new WorkerSlot((gone) => {
      if (this.closing) return;
      this.log(`exitgym serve: env worker ${gone.worker.threadId} is gone (${gone.dead}); its ${gone.sessions} session(s) answer 503; starting a new worker.`);
      this.slots = this.slots.map((s) => (s === gone ? this.spawn() : s));
    });
  }

  /**
   * Builds an env: one of exitgym's own on the live worker with the fewest sessions, any other
   * (registered at run time in this thread, unknown to the workers) in this thread.
   */
  async makeEnv(envId: string, options: Record<string, unknown>): Promise<RecurrentEnv> {
    if (!WORKER_ENVS.has(envId)) return makeEnv(envId, options);
    const slot = this.slots.filter((s) => !s.dead).sort((a, b) => a.sessions - b.sessions)[0];
    if (!slot) throw new SandboxError('no env worker thread is running; retry in a moment.');
    await slot.ready;
    slot.sessions++;
    try {
      const { handle, spec } = await slot.call<{ handle: number; spec: EnvSpec }>({ op: 'create', envId, options });
      return new RemoteEnv(slot, handle, spec);
    } catch (e) {
      slot.sessions--;
      throw e;
    }
  }

  /**
   * Ends the workers: each closes its envs and exits (so their process 'exit' hooks, such as
   * removing a published data copy, run); one that has not ended after `graceMs` is terminated.
   */
  async close(graceMs = 5000): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.dead) return;
        const exited = new Promise<void>((resolve) => s.worker.once('exit', () => resolve()));
        s.worker.postMessage({ id: -1, op: 'shutdown' } satisfies WorkerCall);
        const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
        if ((await Promise.race([exited, timer])) === 'late') await s.worker.terminate();
      }),
    );
  }
}
