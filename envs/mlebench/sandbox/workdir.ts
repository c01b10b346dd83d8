/**
 * The host side of a run's working directory: a fresh private folder per run, input files written
 * into it, output files read back without ever following a link the sandboxed code planted.
 */
import { constants } from 'node:fs';
import { spawn } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { ConfigError, SandboxError } from '../../../core/errors.js';
import { ownerAlive, ownerTag, parseOwnerTag } from './owner.js';
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

/** A run's folders on the host: `root` is removed afterwards; `work` and `tmp` are the sandbox's cwd and /tmp. */
export interface RunDir {
  root: string;
  work: string;
  tmp: string;
  /** A size- and inode-capped tmpfs holds `work` and `tmp` (mounted at `root/fs`). */
  mounted: boolean;
}

/** Prefix of run folders; the owner's pid and start time follow, for the start-up sweep. */
export const RUN_DIR_PREFIX = 'exitgym-sbx-';

/** Runs a host tool, resolving with its exit status and stderr (never rejecting). */
export function tool(argv: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (e) => resolve({ status: null, stderr: e.message }));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/**
 * Creates `<tmp>/exitgym-sbx-<owner>-XXXX` (mkdtemp: private, unpredictable) with `work` and `tmp`
 * inside. With `quota` (root only) they live on a tmpfs of that many bytes and inodes, so a run
 * cannot fill the host's disk or inode table, and tearing it down is one unmount whatever the
 * script built inside. When `owner` is given (the sandbox runs as that uid), `work` and `tmp`
 * belong to it and the folders above are traversable (0711) but not listable.
 */
export async function makeRunDir(owner?: { uid: number; gid: number }, base = tmpdir(), quota?: { bytes: number; files: number }): Promise<RunDir> {
  const root = await mkdtemp(join(base, `${RUN_DIR_PREFIX}${ownerTag()}-`));
  let top = root;
  let mounted = false;
  try {
    if (quota) {
      top = join(root, 'fs');
      await mkdir(top, { mode: 0o700 });
      const r = await tool(['mount', '-t', 'tmpfs', '-o', `size=${quota.bytes},nr_inodes=${quota.files},mode=0711,nosuid,nodev`, 'exitgym-sbx', top]);
      if (r.status !== 0) throw new SandboxError(`local sandbox: could not mount the run's tmpfs at ${top} (${r.stderr.trim() || `exit ${String(r.status)}`}); the disk quota needs root and the mount tool.`);
      mounted = true;
    }
    const dir: RunDir = { root, work: join(top, 'work'), tmp: join(top, 'tmp'), mounted };
    await mkdir(dir.work, { mode: 0o700 });
    await mkdir(dir.tmp, { mode: 0o700 });
    if (owner) {
      await chmod(root, 0o711);
      if (mounted) await chmod(top, 0o711);
      await chown(dir.work, owner.uid, owner.gid);
      await chown(dir.tmp, owner.uid, owner.gid);
    }
    return dir;
  } catch (e) {
    await removeRunDir({ root, work: join(top, 'work'), tmp: join(top, 'tmp'), mounted });
    throw e;
  }
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
 * Missing files are simply absent; files that exist but are refused are named in `refused`, with why.
 */
export async function collectFiles(work: string, paths: readonly string[], maxBytes: number): Promise<{ files: Record<string, Uint8Array>; refused: Record<string, string> }> {
  const files: Record<string, Uint8Array> = {};
  const refused: Record<string, string> = {};
  for (const [i, p] of paths.entries()) {
    const rel = checkRelativePath(p, `sandbox collect[${i}]`);
    const plain = await plainPath(work, rel);
    if (plain !== true) {
      if (plain) refused[rel] = plain;
      continue;
    }
    const fh = await open(join(work, rel), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
    if (!fh) continue;
    try {
      const st = await fh.stat();
      if (!st.isFile()) {
        refused[rel] = 'not a regular file';
        continue;
      }
      if (st.size > maxBytes) {
        refused[rel] = tooLarge(st.size, maxBytes);
        continue;
      }
      // Read at most the cap, whatever the size said: the file cannot grow now, but a bound costs nothing.
      const buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < buf.length) {
        const { bytesRead } = await fh.read(buf, off, buf.length - off, off);
        if (bytesRead === 0) break;
        off += bytesRead;
      }
      files[rel] = new Uint8Array(buf.buffer, buf.byteOffset, off);
    } finally {
      await fh.close();
    }
  }
  return { files, refused };
}

/** The refusal reason for an oversized output file. */
export function tooLarge(size: number, maxBytes: number): string {
  const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  return `${mb(size)} is larger than the ${mb(maxBytes)} limit on returned files`;
}

/** True when every component is a real folder and the last a regular file; a refusal reason or undefined (missing) otherwise. */
async function plainPath(work: string, rel: string): Promise<true | string | undefined> {
  let dir = work;
  const parts = rel.split('/');
  for (const [i, part] of parts.entries()) {
    dir = join(dir, part);
    const st = await lstat(dir).catch(() => undefined);
    if (!st) return undefined;
    if (st.isSymbolicLink()) return 'a symbolic link (links are never followed)';
    const last = i === parts.length - 1;
    if (last ? !st.isFile() : !st.isDirectory()) return last ? 'not a regular file' : 'a path through something that is not a folder';
  }
  return true;
}

/**
 * Removes a run's folder and never throws: a script may have built a tree deeper than PATH_MAX or
 * made parts unreadable, which defeats a recursive `rm` in Node (ENAMETOOLONG). The tmpfs is
 * unmounted (freeing everything at once); what is left goes with coreutils' `rm -rf`, which walks
 * any depth with relative paths. Returns false when something stayed (the next start-up sweep of a
 * later process retries it).
 */
export async function removeRunDir(dir: RunDir): Promise<boolean> {
  try {
    if (dir.mounted) await tool(['umount', '-l', join(dir.root, 'fs')]);
    let r = await tool(['rm', '-rf', '--one-file-system', '--', dir.root]);
    if (r.status !== 0) {
      // As a non-root owner the script may have removed its own folders' permissions.
      await tool(['chmod', '-R', 'u+rwx', '--', dir.root]);
      r = await tool(['rm', '-rf', '--one-file-system', '--', dir.root]);
    }
    return r.status === 0;
  } catch {
    return false;
  }
}

/** Mount points under `path` (deepest first), from this process's mount table. */
async function mountsUnder(path: string): Promise<string[]> {
  const table = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const out: string[] = [];
  for (const line of table.split('\n')) {
    // Field 5 is the mount point, with spaces and the like octal-escaped.
    const mp = line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (mp && (mp === path || mp.startsWith(`${path}/`))) out.push(mp);
  }
  return out.sort((a, b) => b.length - a.length);
}

/**
 * Removes the run folders under `base` whose owner process is gone (a crashed or killed trainer
 * leaves them); folders of live processes, this one included, are never touched. Returns how many
 * were removed.
 */
export async function sweepRunDirs(base = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(base).catch(() => [] as string[])) {
    const owner = parseOwnerTag(name, RUN_DIR_PREFIX);
    if (!owner || ownerAlive(owner)) continue;
    const root = join(base, name);
    for (const mp of await mountsUnder(root)) await tool(['umount', '-l', mp]);
    if (await removeRunDir({ root, work: '', tmp: '', mounted: false })) removed++;
  }
  return removed;
}
