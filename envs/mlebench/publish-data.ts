/**
 * Where the unprivileged local sandbox reads a competition's public files from. Run as root, the
 * sandbox drops to a uid of its own, which must be able to reach the data; the answers must stay
 * readable by the grader only. So the public files are copied once per process into a fresh folder
 * made with `mkdtemp` (an unpredictable name no other user can pre-create or plant), traversable
 * but not listable, while the answers stay in the generator's folder, private to this user.
 * Copies are removed when the process exits, and a later process sweeps those of dead owners.
 */
import { rmSync } from 'node:fs';
import { chmod, cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerAlive, ownerTag, parseOwnerTag } from './sandbox/owner.js';
import { removeRunDir, tool } from './sandbox/workdir.js';

/** Prefix of published data folders; the owner's pid and start time follow. */
export const DATA_DIR_PREFIX = 'exitgym-data-';

const published = new Map<string, Promise<string>>();
let sweep: Promise<void> | undefined;

/** Removes published folders under `base` whose owner process is gone; never a live process's. */
export async function sweepPublished(base = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(base).catch(() => [] as string[])) {
    const owner = parseOwnerTag(name, DATA_DIR_PREFIX);
    if (!owner || ownerAlive(owner)) continue;
    if (await removeRunDir({ root: join(base, name), work: '', tmp: '', mounted: false })) removed++;
  }
  return removed;
}

/**
 * A private, sandbox-readable copy of `publicDir` (one per source folder and process); resolves
 * to the copy's path.
 */
export function publishPublicDir(publicDir: string, base = tmpdir()): Promise<string> {
  let p = published.get(publicDir);
  if (!p) {
    p = (async () => {
      sweep ??= sweepPublished(base).then(() => undefined);
      await sweep;
      const root = await mkdtemp(join(base, `${DATA_DIR_PREFIX}${ownerTag()}-`));
      process.once('exit', () => rmSync(root, { recursive: true, force: true }));
      const dest = join(root, 'public');
      await cp(publicDir, dest, { recursive: true, dereference: true });
      // Readable by the sandbox's uid, writable by nobody but this user.
      await tool(['chmod', '-R', 'a+rX,go-w', '--', dest]);
      await chmod(root, 0o711);
      return dest;
    })();
    published.set(publicDir, p);
    p.catch(() => published.delete(publicDir));
  }
  return p;
}
