/**
 * The smallest ustar writer and reader the Docker sandbox needs: input files go into a container
 * as one archive (`putArchive`), and each collected output comes back as an archive (`getArchive`).
 * Only regular files and folders are written; reading returns regular files and skips links, so a
 * link planted by the sandboxed code is never followed.
 */
import { ConfigError } from '../../../core/errors.js';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** A 512-byte ustar header; long names are split into prefix/name as ustar allows. */
function header(path: string, size: number, type: '0' | '5', mode: number, mtime: number): Buffer {
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', path.length - 1);
    prefix = cut > 0 ? path.slice(0, cut) : '';
    name = path.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new ConfigError(`sandbox file path ${JSON.stringify(path)} is too long for the Docker sandbox (ustar: 100-byte name, 155-byte folder); shorten it.`);
    }
  }
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/**
 * Packs files (paths already checked relative, see `checkRelativePath`) into a tar archive,
 * adding an entry for each parent folder first.
 */
export function packTar(files: readonly { path: string; content: Uint8Array }[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  for (const f of files) {
    const segs = f.path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const dir = `${segs.slice(0, i).join('/')}/`;
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      parts.push(header(dir, 0, '5', 0o755, mtime));
    }
    parts.push(header(f.path, f.content.length, '0', 0o644, mtime), Buffer.from(f.content), padding(f.content.length));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** One entry of an archive. */
export interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'link' | 'other';
  size: number;
  /** Present for regular files. */
  content?: Buffer;
}

function readString(buf: Buffer, start: number, len: number): string {
  const raw = buf.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

/**
 * Reads the entries of an archive. PAX extended headers ('x', 'g') and GNU long names ('L')
 * are honoured for names, since Docker writes them for long paths.
 */
export function unpackTar(buf: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(readString(h, 124, 12).trim() || '0', 8);
    const typeflag = String.fromCharCode(h[156] ?? 0);
    const prefix = readString(h, 345, 155);
    const base = readString(h, 0, 100);
    const body = buf.subarray(off + BLOCK, off + BLOCK + size);
    off += BLOCK + size + padding(size).length;
    if (typeflag === 'x' || typeflag === 'L') {
      longName = typeflag === 'L' ? readString(body, 0, body.length) : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      continue;
    }
    if (typeflag === 'g') continue;
    const name = longName ?? (prefix ? `${prefix}/${base}` : base);
    longName = undefined;
    const type = typeflag === '0' || typeflag === '\0' ? 'file' : typeflag === '5' ? 'dir' : typeflag === '1' || typeflag === '2' ? 'link' : 'other';
    out.push(type === 'file' ? { name, type, size, content: Buffer.from(body) } : { name, type, size });
  }
  return out;
}
