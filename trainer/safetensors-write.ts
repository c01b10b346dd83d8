/**
 * Writes a `.safetensors` file tensor by tensor: the header first (it needs only shapes and
 * dtypes), then each tensor's bytes, read from its source only when its turn comes. So saving a
 * model or its Adam slots holds one tensor's bytes at a time, not a whole-file buffer (which at
 * Qwen2.5-0.5B is 4 GB for the optimizer alone, Node's largest buffer, and doubled the peak
 * memory of a save). Atomic like `writeFileAtomic` (temp file in the same folder, fsync, rename,
 * folder fsync), which takes whole buffers only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { BYTES, f32ToBf16, f32ToF16, type FloatDtype } from './safetensors.js';

/** A tensor to write: its shape, the dtype to store it as, and its float32 values, read when written. */
export interface TensorSource {
  shape: readonly number[];
  dtype: FloatDtype;
  values: () => Float32Array | Promise<Float32Array>;
}

/** Bytes a tensor takes in the file. */
export function storedBytes(t: { shape: readonly number[]; dtype: FloatDtype }): number {
  return t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype];
}

/** The header bytes (length prefix included) of tensors in name order, padded to 8 bytes as the reference does. */
export function safetensorsHeader(tensors: ReadonlyMap<string, { shape: readonly number[]; dtype: FloatDtype }>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', ...metadata } };
  let offset = 0;
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name) as { shape: readonly number[]; dtype: FloatDtype };
    const bytes = storedBytes(t);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const body = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(body.length), true);
  out.set(body, 8);
  return out;
}

/**
 * The stored bytes of tensor `name`'s float32 `values` as `t.dtype` (a view, no copy, for F32);
 * `where` names the caller in the error for values that do not fill the shape.
 */
export function tensorBytes(name: string, t: { shape: readonly number[]; dtype: FloatDtype }, values: Float32Array, where: string): Uint8Array {
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new ConfigError(`${where}: tensor "${name}" has ${values.length} values but shape [${t.shape.join(', ')}].`);
  const { dtype } = t;
  if (dtype === 'F32') return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const half = dtype === 'BF16' ? f32ToBf16(values) : f32ToF16(values);
  return new Uint8Array(half.buffer, half.byteOffset, half.byteLength);
}

/**
 * Writes `tensors` (name order) to `path` atomically, one tensor's bytes in memory at a time. A
 * failure (a source that throws, a full disk) leaves the previous file, if any, and no temp file.
 *
 * @example
 * await writeSafetensorsFile('out/optimizer.safetensors', new Map([['w/m', { shape: [2], dtype: 'F32', values: () => new Float32Array([1, 2]) }]]));
 */
export async function writeSafetensorsFile(path: string, tensors: ReadonlyMap<string, TensorSource>, opts: { metadata?: Record<string, string> } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx');
  let closed = false;
  try {
    let position = 0;
    const write = async (bytes: Uint8Array): Promise<void> => {
      let done = 0;
      while (done < bytes.length) {
        // One write is capped at 2 GiB; a large tensor goes in pieces.
        const { bytesWritten } = await fh.write(bytes, done, Math.min(bytes.length - done, 2 ** 30), position);
        done += bytesWritten;
        position += bytesWritten;
      }
    };
    await write(safetensorsHeader(tensors, opts.metadata));
    for (const name of [...tensors.keys()].sort()) {
      const t = tensors.get(name) as TensorSource;
      await write(tensorBytes(name, t, await t.values(), `writeSafetensorsFile(${path})`));
    }
    await fh.sync();
    await fh.close();
    closed = true;
    await rename(tmp, path);
  } catch (e) {
    if (!closed) await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  // The rename is durable once the folder's entry is on disk.
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
