/**
 * The smallest ustar writer the Docker sandbox needs: input files go into a container as one
 * archive, unpacked there by `tar` (outputs come back through a collector exec, see docker.ts).
 * Only regular files and folders are written.
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
