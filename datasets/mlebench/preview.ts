/**
 * Previews of a competition's public files for the prompt (the paper's "Previews of files located
 * at PUBLIC_RESOURCE_PATH"): the file tree with sizes, the head of each CSV, the shape of JSON
 * files, the entries of zips, and folders of many files summarised by one example.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

export interface PreviewOptions {
  /** Lines shown per CSV/text file (header included); default 5. */
  lines?: number;
  /** Characters kept per line; default 200. */
  lineChars?: number;
  /** Characters for the whole preview; default 8000. */
  maxChars?: number;
}

const clipLine = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

async function head(path: string, bytes: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

async function countLines(path: string): Promise<number> {
  const text = await readFile(path, 'utf8');
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

async function previewFile(path: string, name: string, size: number, o: Required<PreviewOptions>): Promise<string> {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) {
    const lines = (await head(path, 64 * 1024)).split('\n').slice(0, o.lines).map((l) => clipLine(l, o.lineChars));
    const total = size < 64 * 1024 * 1024 ? ` (${await countLines(path)} lines)` : '';
    return `-> ${name} (${humanSize(size)})${total}, first lines:\n${lines.join('\n')}`;
  }
  if (lower.endsWith('.json')) {
    if (size > 64 * 1024 * 1024) return `-> ${name} (${humanSize(size)}): JSON`;
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    if (Array.isArray(value)) {
      const first = value[0] as Record<string, unknown> | undefined;
      const keys = first && typeof first === 'object' ? Object.keys(first) : [];
      const sample = clipLine(JSON.stringify(first), o.lineChars * 3);
      return `-> ${name} (${humanSize(size)}): a JSON array of ${value.length} objects with keys ${keys.join(', ')}; first object:\n${sample}`;
    }
    return `-> ${name} (${humanSize(size)}): JSON object with keys ${Object.keys(value as object).join(', ')}`;
  }
  if (lower.endsWith('.zip')) {
    if (size > 256 * 1024 * 1024) return `-> ${name} (${humanSize(size)}): zip archive`;
    const names: string[] = [];
    unzipSync(new Uint8Array(await readFile(path)), {
      filter: (f) => {
        names.push(f.name);
        return false; // list only, decompress nothing
      },
    });
    const exts = [...new Set(names.map((n) => n.slice(n.lastIndexOf('.'))))].join(', ');
    return `-> ${name} (${humanSize(size)}): zip archive of ${names.length} files (${exts}) at the archive root, e.g. ${names.slice(0, 3).join(', ')}`;
  }
  if (/\.(md|txt|xyz|tsv)$/.test(lower)) {
    const lines = (await head(path, 16 * 1024)).split('\n').slice(0, o.lines).map((l) => clipLine(l, o.lineChars));
    return `-> ${name} (${humanSize(size)}), first lines:\n${lines.join('\n')}`;
  }
  return `-> ${name} (${humanSize(size)})`;
}

/**
 * The preview text of a public data folder. Folders holding many entries (nomad's per-material
 * geometry folders) are summarised by their count and one previewed example; `description.md`
 * is left out (the prompt carries the task description already).
 *
 * @example
 * const text = await previewPublicDir('/data/spooky/prepared/public');
 */
export async function previewPublicDir(dir: string, opts: PreviewOptions = {}): Promise<string> {
  const o: Required<PreviewOptions> = { lines: opts.lines ?? 5, lineChars: opts.lineChars ?? 200, maxChars: opts.maxChars ?? 8000 };
  const parts: string[] = [];
  async function walk(abs: string, rel: string, depth: number): Promise<void> {
    const names = (await readdir(abs)).filter((n) => !n.startsWith('.')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const many = names.length > 10 && depth > 0;
    const shown = many ? names.slice(0, 1) : names;
    if (many) parts.push(`-> ${rel}/ holds ${names.length} entries (${names.slice(0, 3).join(', ')}, …); the first one:`);
    for (const name of shown) {
      if (depth === 0 && name === 'description.md') continue;
      const path = join(abs, name);
      const relPath = rel ? `${rel}/${name}` : name;
      const st = await stat(path);
      if (st.isDirectory()) await walk(path, relPath, depth + 1);
      else parts.push(await previewFile(path, relPath, st.size, o));
    }
  }
  await walk(dir, '', 0);
  const text = parts.join('\n\n');
  return text.length > o.maxChars ? `${text.slice(0, o.maxChars)}\n… (preview truncated)` : text;
}
