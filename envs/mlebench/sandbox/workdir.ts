/**
 * The host side of a run's working directory: a fresh private folder per run, input files written
 * into it, output files read back without ever following a link the sandboxed code planted.
 */
import { constants } from 'node:fs';
import { chmod, chown, lstat, mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { ConfigError } from '../../../core/errors.js';
import type { SandboxFile } from './types.js';

/**
 * Normalises a sandbox-relative path and rejects absolute paths and `..` escapes, naming `where`.
 *
 * @example
 * checkRelativePath('./out/sub.csv', 'collect') // 'out/sub.csv'
 */
export function checkRelativePath(path: string, where: string): string {
  if (typeof path !== 'string' || path.length === 0) throw new ConfigError(`${where}: an empty path was given; use a path relative to the working dir.`);
  if (path.includes('\0')) throw new ConfigError(`${where}: path ${JSON.stringify(path)} contains a NUL byte.`);
  const norm = posix.normalize(path.replaceAll('\\', '/'));
  if (posix.isAbsolute(norm) || norm === '..' || norm.startsWith('../') || norm === '.' || norm.endsWith('/')) {
    throw new ConfigError(`${where}: path ${JSON.stringify(path)} must name a file inside the working dir (relative, no "..").`);
  }
  return norm;
}

/** A run's folders on the host: `root` is removed afterwards; `work` is what the sandbox sees as its cwd. */
export interface RunDir {
  root: string;
  work: string;
}

/**
 * Creates `<tmp>/exitgym-sbx-XXXX/work`. When `owner` is given (the sandbox runs as that uid), `work`
 * belongs to it and `root` is traversable (0711) but not listable, so other runs' folders stay hidden.
 */
export async function makeRunDir(owner?: { uid: number; gid: number }, base = tmpdir()): Promise<RunDir> {
  const root = await mkdtemp(join(base, 'exitgym-sbx-'));
  const work = join(root, 'work');
  await mkdir(work, { mode: 0o700 });
  if (owner) {
    await chmod(root, 0o711);
    await chown(work, owner.uid, owner.gid);
  }
  return { root, work };
}

/**
 * Writes the input files. The folder is fresh and private and nothing runs in it until every write
 * has finished, so plain exclusive writes are as safe here as atomic ones and skip an fsync per file.
 */
export async function writeFiles(work: string, files: readonly SandboxFile[], owner?: { uid: number; gid: number }): Promise<void> {
  const seen = new Set<string>();
  for (const [i, f] of files.entries()) {
    const rel = checkRelativePath(f.path, `sandbox files[${i}].path`);
    if (seen.has(rel)) throw new ConfigError(`sandbox files[${i}].path: ${JSON.stringify(rel)} is given twice; pass each file once.`);
    seen.add(rel);
    const parts = rel.split('/');
    let dir = work;
    for (const part of parts.slice(0, -1)) {
      dir = join(dir, part);
      await mkdir(dir, { recursive: true, mode: 0o755 });
      if (owner) await chown(dir, owner.uid, owner.gid);
    }
    const path = join(work, rel);
    await writeFile(path, typeof f.content === 'string' ? f.content : Buffer.from(f.content), { flag: 'wx', mode: 0o644 });
    if (owner) await chown(path, owner.uid, owner.gid);
  }
}

/**
 * Reads the requested output files after the run. A path is returned only when every component is
 * a real folder and the file itself a regular file no larger than `maxBytes`: the sandboxed code may
 * have replaced `submission.csv` with a link to a host file, and this read runs with host rights.
 * Missing or refused files are simply absent from the result.
 */
export async function collectFiles(work: string, paths: readonly string[], maxBytes: number): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const [i, p] of paths.entries()) {
    const rel = checkRelativePath(p, `sandbox collect[${i}]`);
    if (!(await isPlainPath(work, rel))) continue;
    const fh = await open(join(work, rel), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
    if (!fh) continue;
    try {
      const st = await fh.stat();
      if (!st.isFile() || st.size > maxBytes) continue;
      out[rel] = new Uint8Array(await fh.readFile());
    } finally {
      await fh.close();
    }
  }
  return out;
}

async function isPlainPath(work: string, rel: string): Promise<boolean> {
  let dir = work;
  const parts = rel.split('/');
  for (const [i, part] of parts.entries()) {
    dir = join(dir, part);
    const st = await lstat(dir).catch(() => undefined);
    if (!st) return false;
    const last = i === parts.length - 1;
    if (last ? !st.isFile() : !st.isDirectory()) return false;
  }
  return true;
}

/** Removes a run's folder; a sandboxed script may have made parts read-only, so permissions are reset first. */
export async function removeRunDir(dir: RunDir): Promise<void> {
  await rm(dir.root, { recursive: true, force: true, maxRetries: 2 }).catch(async () => {
    await chmodTree(dir.work);
    await rm(dir.root, { recursive: true, force: true });
  });
}

async function chmodTree(path: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (!st || !st.isDirectory()) return;
  await chmod(path, 0o700).catch(() => undefined);
  for (const name of await readdir(path).catch(() => [] as string[])) await chmodTree(join(path, name));
}

