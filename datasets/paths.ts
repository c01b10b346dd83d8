/**
 * Where benchmark data lives: `EXITGYM_DATA_DIR` (a folder laid out like the shared data dir, set
 * in CI) first, then the download cache (`EXITGYM_CACHE_DIR` or `~/.cache/exitgym`).
 */
import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DatasetMissingError } from '../core/errors.js';

/** `EXITGYM_DATA_DIR` if set (and non-empty), else undefined. */
export function dataDir(): string | undefined {
  const dir = process.env.EXITGYM_DATA_DIR;
  return dir !== undefined && dir.trim() !== '' ? dir : undefined;
}

/** `EXITGYM_CACHE_DIR`, or `~/.cache/exitgym`: where `exitgym datasets pull` writes. */
export function cacheDir(): string {
  const dir = process.env.EXITGYM_CACHE_DIR;
  return dir !== undefined && dir.trim() !== '' ? dir : join(homedir(), '.cache', 'exitgym');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of `<dataset>/<relPath>`: under the data dir when it has the file, else under the
 * cache when it has it, else throws `DatasetMissingError` saying how to get it.
 *
 * @example
 * const file = await resolveDatasetFile('math', 'math500.jsonl');
 */
export async function resolveDatasetFile(dataset: string, relPath: string, opts: { dataDir?: string } = {}): Promise<string> {
  const tried: string[] = [];
  const data = opts.dataDir ?? dataDir();
  if (data !== undefined) {
    const p = join(data, dataset, relPath);
    if (await exists(p)) return p;
    tried.push(p);
  }
  const cached = join(cacheDir(), dataset, relPath);
  if (await exists(cached)) return cached;
  tried.push(cached);
  throw new DatasetMissingError(
    `dataset file ${dataset}/${relPath} not found (looked in ${tried.join(' and ')}); ` +
      `set EXITGYM_DATA_DIR to a folder that holds ${dataset}/${relPath}, or run \`exitgym datasets pull ${dataset}\`.`,
  );
}
