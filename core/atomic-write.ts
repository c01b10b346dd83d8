import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';

/**
 * Writes a whole file atomically (temp file in the same folder, fsync, rename), creating parent
 * folders: a crash leaves either the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomicLib(path, typeof data === 'string' ? data : Buffer.from(data));
}

/** `writeFileAtomic` of pretty JSON with a trailing newline. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Appends one JSON line to a log file in a single write. Logs grow line by line (results of a long
 * eval), so a crash can at worst leave one torn last line; `readJsonLines` drops it, which is why
 * resumable logs are read through it.
 */
export async function appendJsonLine(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(value)}\n`);
}

/**
 * Reads a JSON-lines file. A torn last line (no trailing newline, unparsable) is dropped, since it
 * is what a crash during `appendJsonLine` leaves; any other bad line throws with its line number.
 */
export async function readJsonLines<T = unknown>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n');
  const out: T[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch (e) {
      const isTornTail = i === lines.length - 1 && !text.endsWith('\n');
      if (isTornTail) break;
      throw new Error(`${path}:${i + 1}: not valid JSON (${(e as Error).message}); fix or delete that line.`);
    }
  }
  return out;
}
