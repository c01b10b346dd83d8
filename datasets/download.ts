/**
 * Resumable, checksummed downloads into the dataset cache. Each file streams to `<path>.part`; an
 * interrupted download resumes with an HTTP `Range` request; the finished file is checked against
 * its sha256 and only then renamed into place, so the cache never holds a half or wrong file
 * under its real name.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ExitgymError, describeError } from '../core/errors.js';
import { cacheDir } from './paths.js';

/** One file of a dataset: where to get it, where it goes (relative to the dataset's folder), its checksum. */
export interface RemoteFile {
  url: string;
  path: string;
  /** Lower-case hex sha256 of the complete file. */
  sha256: string;
  bytes?: number;
}

/** Progress of one file: bytes on disk so far, and the total when the server said it. */
export interface DownloadProgress {
  file: string;
  received: number;
  total?: number;
}

export interface DownloadOptions {
  /** Folder the dataset's files go into; default `<cacheDir()>/<dataset>`. */
  dest?: string;
  onProgress?: (p: DownloadProgress) => void;
  /** Extra attempts per file after a network failure (default 3); each resumes the `.part`. */
  retries?: number;
  /** Milliseconds to wait before retry k (k·backoffMs); default 500. */
  backoffMs?: number;
}

/** A download that cannot succeed as asked (bad status, checksum mismatch, network down). */
export class DownloadError extends ExitgymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('download', message, options);
  }
}

/** sha256 (hex) of a file on disk, or undefined when it does not exist. */
export async function fileSha256(path: string): Promise<string | undefined> {
  try {
    await stat(path);
  } catch {
    return undefined;
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Thrown inside one attempt when a retry cannot help (HTTP 4xx, bad checksum). */
class Fatal extends Error {}

async function attempt(file: RemoteFile, target: string, onProgress?: (p: DownloadProgress) => void): Promise<void> {
  const part = `${target}.part`;
  let offset = await sizeOf(part);
  if (file.bytes !== undefined && offset > file.bytes) {
    // A part longer than the file cannot be a prefix of it: start over.
    await unlink(part);
    offset = 0;
  }
  const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
  const res = await fetch(file.url, { headers, redirect: 'follow' });
  if (res.status === 416 && offset > 0) {
    // The server says the part already covers the whole file: verify it below as it is.
  } else if (res.status !== 200 && res.status !== 206) {
    const msg = `GET ${file.url} answered HTTP ${res.status} ${res.statusText}`;
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new Fatal(msg);
    throw new Error(msg);
  }
  if (res.status === 200 || res.status === 206) {
    // 200 to a Range request means the server ignored it and sent the whole file.
    const append = res.status === 206 && offset > 0;
    if (!append) offset = 0;
    const lengthHeader = res.headers.get('content-length');
    const total = lengthHeader !== null ? offset + Number(lengthHeader) : file.bytes;
    const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
    let received = offset;
    try {
      if (!res.body) throw new Error(`GET ${file.url} returned no body`);
      const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        received += buf.length;
        onProgress?.({ file: file.path, received, ...(total !== undefined ? { total } : {}) });
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
  }
  const found = await fileSha256(part);
  if (found !== file.sha256.toLowerCase()) {
    await unlink(part).catch(() => undefined);
    throw new Fatal(
      `checksum mismatch for ${file.path} from ${file.url}: expected sha256 ${file.sha256}, found ${found}; ` +
        'the partial file was deleted. Run the pull again; if it repeats, the remote file changed and the manifest needs updating.',
    );
  }
  await rename(part, target);
}

/**
 * Downloads a dataset's files (sequentially, to keep progress readable and memory flat).
 * A file already present with the right checksum is skipped.
 *
 * @example
 * const { downloaded } = await downloadFiles('math', MANIFESTS.math, { onProgress: (p) => console.error(p) });
 */
export async function downloadFiles(
  dataset: string,
  files: RemoteFile[],
  opts: DownloadOptions = {},
): Promise<{ downloaded: string[]; skipped: string[] }> {
  const dest = opts.dest ?? join(cacheDir(), dataset);
  const retries = opts.retries ?? 3;
  const backoff = opts.backoffMs ?? 500;
  const downloaded: string[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    const target = join(dest, file.path);
    if ((await fileSha256(target)) === file.sha256.toLowerCase()) {
      skipped.push(file.path);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    for (let k = 0; ; k++) {
      try {
        await attempt(file, target, opts.onProgress);
        downloaded.push(file.path);
        break;
      } catch (e) {
        if (e instanceof Fatal) throw new DownloadError(`${dataset}: ${e.message}`);
        if (k >= retries) {
          throw new DownloadError(
            `${dataset}: downloading ${file.path} from ${file.url} failed after ${k + 1} attempt(s): ${describeError(e)}. ` +
              `Check the network (or set EXITGYM_DATA_DIR to a local copy); a re-run resumes from ${target}.part.`,
            { cause: e },
          );
        }
        await new Promise((r) => setTimeout(r, backoff * (k + 1)));
      }
    }
  }
  return { downloaded, skipped };
}
