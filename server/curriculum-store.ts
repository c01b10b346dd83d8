/**
 * Saving and loading the service's curricula. Each curriculum is one folder under the server's
 * state folder: `buffer.jsonl` + `curriculum.json` (`saveCurriculum`) and `service.json` (its
 * spec, RNG and the groups in flight). A save writes a new folder and swaps it in with renames, so
 * a crash leaves the old save or the new one, never a mix; loading restores the curriculum
 * exactly (the next draw is the one the saved server would have made).
 */
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../core/atomic-write.js';
import { ValidationError } from '../core/errors.js';
import { Rng, type RngState } from '../core/rng.js';
import { loadCurriculum, saveCurriculum } from '../curriculum/persistence.js';
import type { ClosedGroup, OpenGroup } from './curriculum-groups.js';
import { assemble, type Curriculum, type CurriculumSpec } from './curricula.js';

interface ServiceFile {
  kind: 'exitgym-curriculum-service';
  version: 1;
  spec: CurriculumSpec;
  rng: RngState;
  open: OpenGroup[];
  closed: ClosedGroup[];
  counters: Curriculum['counters'];
}

/** Saves one curriculum into `<root>/<id>/`, replacing the previous save atomically. */
export async function saveOne(root: string, c: Curriculum): Promise<string> {
  // Snapshot synchronously: the curriculum keeps changing while the files are written.
  const state = structuredClone(c.state);
  const service: ServiceFile = {
    kind: 'exitgym-curriculum-service',
    version: 1,
    spec: c.spec,
    rng: c.rng.state(),
    open: structuredClone([...c.open.values()]),
    closed: [...c.closed.values()],
    counters: { ...c.counters },
  };
  c.dirty = false;
  const suffix = `${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
  const final = join(root, c.spec.id);
  const tmp = join(root, `.${c.spec.id}.new-${suffix}`);
  const old = join(root, `.${c.spec.id}.old-${suffix}`);
  await mkdir(tmp, { recursive: true });
  await saveCurriculum(tmp, state);
  await writeJsonAtomic(join(tmp, 'service.json'), service);
  let hadOld = true;
  try {
    await rename(final, old);
  } catch {
    hadOld = false;
  }
  await rename(tmp, final);
  if (hadOld) await rm(old, { recursive: true, force: true });
  return final;
}

async function loadOne(dir: string): Promise<Curriculum> {
  const path = join(dir, 'service.json');
  let s: ServiceFile;
  try {
    s = JSON.parse(await readFile(path, 'utf8')) as ServiceFile;
  } catch (e) {
    throw new ValidationError(`${path}: cannot read the curriculum service state (${(e as Error).message}); remove the folder or restore it from a backup.`, { cause: e });
  }
  if (s.kind !== 'exitgym-curriculum-service' || s.version !== 1) throw new ValidationError(`${path}: not an exitgym curriculum service save (kind ${JSON.stringify(s.kind)}, version ${JSON.stringify(s.version)}).`);
  const c = assemble(s.spec, await loadCurriculum(dir), Rng.fromState(s.rng));
  for (const g of s.open) {
    c.open.set(g.id, g);
    if (g.key !== undefined) c.byKey.set(g.key, g.id);
  }
  for (const g of s.closed) {
    c.closed.set(g.id, g);
    if (g.key !== undefined) c.closedByKey.set(g.key, g.id);
  }
  c.counters = s.counters;
  return c;
}

/**
 * Loads every curriculum saved under `root` (a missing folder is empty). A save cut between its
 * two renames left only `.<id>.old-*`, which is taken back.
 */
export async function loadAll(root: string): Promise<Curriculum[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  for (const name of names) {
    const m = /^\.(.+)\.old-/.exec(name);
    if (m && !names.includes(m[1] as string)) {
      await rename(join(root, name), join(root, m[1] as string));
      names.push(m[1] as string);
    }
  }
  for (const name of names.filter((n) => n.startsWith('.') && n.includes('.new-'))) await rm(join(root, name), { recursive: true, force: true });
  const out: Curriculum[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) out.push(await loadOne(join(root, name)));
  return out;
}
