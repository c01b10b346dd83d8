/**
 * The server's curricula: create, look up, delete, lease expiry, and saves to the state folder
 * (on request, every `autosaveSeconds` when something changed, and at shutdown).
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { type Curriculum, expireGroups, newCurriculum } from './curricula.js';
import { loadAll, saveOne } from './curriculum-store.js';
import { HttpError } from './errors.js';

export interface CurriculumServiceOptions {
  /** Folder the curricula are saved to and loaded from at start; absent = no saves. */
  stateDir?: string;
  /** Save changed curricula this often (default 60; 0 = only on request and at shutdown). */
  autosaveSeconds?: number;
  /** Curricula at most (default 64). */
  maxCurricula?: number;
  /** How often leases are checked (default 1000 ms). */
  expiryIntervalMs?: number;
  log?: (line: string) => void;
}

export class CurriculumService {
  private readonly curricula = new Map<string, Curriculum>();
  /** Each curriculum's saves run one after another. */
  private readonly saving = new Map<string, Promise<string>>();
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(private readonly opts: CurriculumServiceOptions) {}

  /** A service with every curriculum saved in `stateDir` loaded. */
  static async start(opts: CurriculumServiceOptions = {}): Promise<CurriculumService> {
    const s = new CurriculumService(opts);
    if (opts.stateDir) {
      await mkdir(opts.stateDir, { recursive: true });
      for (const c of await loadAll(opts.stateDir)) s.curricula.set(c.spec.id, c);
      if (s.curricula.size > 0) opts.log?.(`loaded ${s.curricula.size} curricula from ${opts.stateDir}`);
    }
    const expiry = setInterval(() => {
      for (const c of s.curricula.values()) expireGroups(c);
    }, opts.expiryIntervalMs ?? 1000);
    expiry.unref();
    s.timers.push(expiry);
    const every = opts.autosaveSeconds ?? 60;
    if (opts.stateDir && every > 0) {
      const autosave = setInterval(() => void s.saveAll(true).catch((e: unknown) => opts.log?.(`autosave failed: ${(e as Error).message}`)), every * 1000);
      autosave.unref();
      s.timers.push(autosave);
    }
    return s;
  }

  get size(): number {
    return this.curricula.size;
  }

  list(): Curriculum[] {
    return [...this.curricula.values()];
  }

  get(id: string): Curriculum {
    const c = this.curricula.get(id);
    if (!c) throw new HttpError(404, 'unknown_id', `no curriculum "${id}"; create one with POST /v1/curricula (GET /v1/curricula lists them).`);
    return c;
  }

  async create(body: unknown): Promise<Curriculum> {
    const max = this.opts.maxCurricula ?? 64;
    if (this.curricula.size >= max) throw new HttpError(429, 'capacity', `the server already holds ${max} curricula; DELETE one first.`, 60);
    const c = await newCurriculum(body, randomUUID);
    if (this.curricula.has(c.spec.id)) {
      await c.pool.close();
      throw new HttpError(409, 'exists', `a curriculum "${c.spec.id}" already exists; pick another id, or use it (GET /v1/curricula/${c.spec.id}).`);
    }
    this.curricula.set(c.spec.id, c);
    c.dirty = true;
    return c;
  }

  async delete(id: string): Promise<void> {
    const c = this.get(id);
    this.curricula.delete(id);
    await c.pool.close();
  }

  /** Saves one curriculum (after any save of it still running); 409 without a state folder. */
  save(id: string): Promise<string> {
    const c = this.get(id);
    const root = this.opts.stateDir;
    if (!root) throw new HttpError(409, 'no_state_dir', 'the server was started without a state folder (exitgym serve --state-dir DIR); it cannot save curricula.');
    const next = (this.saving.get(id) ?? Promise.resolve('')).catch(() => '').then(() => saveOne(root, c));
    this.saving.set(id, next);
    return next;
  }

  /** Saves every curriculum (only changed ones when `changedOnly`). */
  async saveAll(changedOnly = false): Promise<void> {
    if (!this.opts.stateDir) return;
    await Promise.all(this.list().filter((c) => !changedOnly || c.dirty).map((c) => this.save(c.spec.id)));
  }

  /** Stops the timers, saves everything, closes the envs. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.saveAll();
    await Promise.all(this.list().map((c) => c.pool.close()));
  }
}
