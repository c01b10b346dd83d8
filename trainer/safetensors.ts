/**
 * Reading and writing the safetensors format (https://github.com/huggingface/safetensors): an
 * 8-byte little-endian header length, a JSON header `{name: {dtype, shape, data_offsets}}` and the
 * raw little-endian tensor bytes. Also the sharded layout (`model.safetensors.index.json` with a
 * `weight_map`). No npm package for this is maintained, and the format is small, so it is written
 * here. Pure Node: no TensorFlow.js, so checkpoints can be inspected without loading a backend.
 */
import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError, ValidationError } from '../core/errors.js';
import { writeJsonAtomic } from '../core/atomic-write.js';
import { safetensorsHeader, storedBytes, tensorBytes, writeSafetensorsFile, type TensorSource } from './safetensors-write.js';

/** Floating-point storage types we read and write (all models we load use one of these). */
export type FloatDtype = 'F32' | 'F16' | 'BF16';

/** A tensor held as float32 in memory, with the dtype it was stored in. */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
  dtype: FloatDtype;
}

export type TensorMap = Map<string, NamedTensor>;

/** Bytes per stored value. */
export const BYTES: Record<FloatDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** bf16 is the upper half of a float32, so decoding is a shift. */
export function bf16ToF32(bits: Uint16Array): Float32Array {
  const u32 = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) u32[i] = (bits[i] as number) << 16;
  return new Float32Array(u32.buffer);
}

/** float32 → bf16 with round-to-nearest-even, as torch does (NaN stays NaN). */
export function f32ToBf16(values: Float32Array): Uint16Array {
  const u32 = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = u32[i] as number;
    if ((x & 0x7fffffff) > 0x7f800000) {
      out[i] = (x >>> 16) | 0x40; // quiet NaN
      continue;
    }
    const lsb = (x >>> 16) & 1;
    out[i] = ((x + 0x7fff + lsb) >>> 16) & 0xffff;
  }
  return out;
}

/** IEEE half → float32. */
export function f16ToF32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i] as number;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * 2 ** -14 * (frac / 1024);
    else if (exp === 31) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

/** float32 → IEEE half, round-to-nearest-even; overflow gives ±Infinity. */
export function f32ToF16(values: Float32Array): Uint16Array {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f[0] = values[i] as number;
    const x = u[0] as number;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 31) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let half = mant >>> shift;
      const rem = mant & ((1 << shift) - 1);
      const mid = 1 << (shift - 1);
      if (rem > mid || (rem === mid && half & 1)) half++;
      out[i] = sign | half;
    } else {
      let half = (e << 10) | (mant >>> 13);
      const rem = mant & 0x1fff;
      if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
      out[i] = sign | half; // a carry into the exponent is the correct rounding
    }
  }
  return out;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A validated header entry: where its bytes are in the file. */
interface TensorSlot {
  name: string;
  dtype: FloatDtype;
  shape: number[];
  count: number;
  /** Absolute byte offsets in the file. */
  start: number;
  end: number;
}

/** The header length from the first 8 bytes, checked against the file size. */
function headerLength(first8: Uint8Array, fileSize: number, where: string): number {
  if (fileSize < 8) throw new ValidationError(`${where}: file is ${fileSize} bytes, too short for a safetensors header; is it a safetensors file?`);
  const headerLen = Number(new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true));
  if (headerLen > fileSize - 8) throw new ValidationError(`${where}: header length ${headerLen} exceeds the file size ${fileSize}; the file is truncated or not safetensors.`);
  return headerLen;
}

/** Parses and checks the JSON header; integer tensors are rejected (decoder checkpoints hold float weights). */
function tensorSlots(headerBytes: Uint8Array, fileSize: number, where: string): TensorSlot[] {
  let header: Record<string, HeaderEntry | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(headerBytes)) as typeof header;
  } catch (e) {
    throw new ValidationError(`${where}: header is not valid JSON; the file is corrupt.`, { cause: e });
  }
  const base = 8 + headerBytes.length;
  const slots: TensorSlot[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = raw as HeaderEntry;
    const dtype = entry.dtype as FloatDtype;
    if (!(dtype in BYTES)) throw new ValidationError(`${where}: tensor "${name}" has dtype ${entry.dtype}; only F32, F16 and BF16 are supported.`);
    const [start, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - start !== count * BYTES[dtype] || base + end > fileSize) {
      throw new ValidationError(`${where}: tensor "${name}" offsets [${start}, ${end}] do not match shape [${entry.shape.join(', ')}] ${dtype} or run past the end of the file.`);
    }
    slots.push({ name, dtype, shape: [...entry.shape], count, start: base + start, end: base + end });
  }
  return slots;
}

/** float32 values of one tensor from its own (aligned, unshared) bytes. */
function decodeTensor(bytes: Uint8Array, slot: TensorSlot): NamedTensor {
  const { dtype, count } = slot;
  let data: Float32Array;
  if (dtype === 'F32') data = new Float32Array(bytes.buffer, bytes.byteOffset, count);
  else if (dtype === 'BF16') data = bf16ToF32(new Uint16Array(bytes.buffer, bytes.byteOffset, count));
  else data = f16ToF32(new Uint16Array(bytes.buffer, bytes.byteOffset, count));
  return { shape: slot.shape, data, dtype };
}

/**
 * Parses one `.safetensors` file held in memory into float32 tensors. `where` names the file in
 * errors.
 */
export function parseSafetensors(bytes: Uint8Array, where = 'safetensors'): TensorMap {
  const headerLen = headerLength(bytes.subarray(0, 8), bytes.length, where);
  const out: TensorMap = new Map();
  for (const slot of tensorSlots(bytes.subarray(8, 8 + headerLen), bytes.length, where)) {
    // Copy so the tensor is aligned and independent of the file buffer (Buffer#slice would be a view).
    out.set(slot.name, decodeTensor(new Uint8Array(bytes.subarray(slot.start, slot.end)), slot));
  }
  return out;
}

/** Reads `length` bytes at `position` (in chunks: one read is capped at 2 GiB). */
async function readAt(fh: FileHandle, length: number, position: number, where: string): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, Math.min(length - done, 2 ** 30), position + done);
    if (bytesRead === 0) throw new ValidationError(`${where}: the file ended ${length - done} bytes early; it is truncated.`);
    done += bytesRead;
  }
  return buf;
}

/**
 * Reads one `.safetensors` file tensor by tensor through a file handle, so shards larger than
 * Node's 2 GiB `readFile` limit (the usual 4–5 GB Hugging Face shards) load, and the file is never
 * held in memory twice.
 */
export async function readSafetensorsFile(path: string): Promise<TensorMap> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const headerLen = headerLength(size < 8 ? new Uint8Array(8) : await readAt(fh, 8, 0, path), size, path);
    const out: TensorMap = new Map();
    for (const slot of tensorSlots(await readAt(fh, headerLen, 8, path), size, path)) {
      out.set(slot.name, decodeTensor(await readAt(fh, slot.end - slot.start, slot.start, path), slot));
    }
    return out;
  } finally {
    await fh.close();
  }
}

/**
 * Serialises tensors as safetensors bytes; each is stored as `dtype` (default: its own dtype).
 * Names are sorted and the header is padded to 8 bytes, as the reference implementation does.
 */
export function serializeSafetensors(tensors: TensorMap, opts: { dtype?: FloatDtype; metadata?: Record<string, string> } = {}): Uint8Array {
  const sources = toSources(tensors, opts.dtype);
  const header = safetensorsHeader(sources, opts.metadata);
  const names = [...sources.keys()].sort();
  const chunks = names.map((name) => tensorBytes(name, sources.get(name) as TensorSource, (tensors.get(name) as NamedTensor).data, 'serializeSafetensors'));
  const out = new Uint8Array(header.length + chunks.reduce((a, c) => a + c.length, 0));
  out.set(header, 0);
  let pos = header.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** In-memory tensors as write sources, stored as `dtype` (default: each one's own). */
function toSources(tensors: ReadonlyMap<string, NamedTensor | TensorSource>, dtype?: FloatDtype): Map<string, TensorSource> {
  const out = new Map<string, TensorSource>();
  for (const [name, t] of tensors) {
    const values = 'data' in t ? () => t.data : t.values;
    out.set(name, { shape: t.shape, dtype: dtype ?? t.dtype, values });
  }
  return out;
}

/** The index file of a sharded checkpoint. */
export const INDEX_FILE = 'model.safetensors.index.json';

/**
 * Loads every tensor of a checkpoint folder: `model.safetensors`, or the shards listed in
 * `model.safetensors.index.json`.
 */
export async function loadSafetensorsDir(dir: string): Promise<TensorMap> {
  const indexPath = join(dir, INDEX_FILE);
  if (existsSync(indexPath)) {
    const index = JSON.parse(await readFile(indexPath, 'utf8')) as { weight_map?: Record<string, string> };
    if (!index.weight_map) throw new ValidationError(`${indexPath}: no "weight_map"; the index of a sharded checkpoint maps each tensor name to its shard file.`);
    const out: TensorMap = new Map();
    for (const shard of [...new Set(Object.values(index.weight_map))].sort()) {
      const path = join(dir, shard);
      for (const [k, v] of await readSafetensorsFile(path)) out.set(k, v);
    }
    for (const name of Object.keys(index.weight_map)) {
      if (!out.has(name)) throw new ValidationError(`${indexPath}: tensor "${name}" is listed in weight_map but missing from its shard.`);
    }
    return out;
  }
  const single = join(dir, 'model.safetensors');
  if (!existsSync(single)) throw new ConfigError(`${dir}: no model.safetensors or ${INDEX_FILE}; point --model at a Hugging Face checkpoint folder.`);
  return readSafetensorsFile(single);
}

/**
 * Writes tensors to a folder as `model.safetensors`, or as shards of at most `maxShardBytes`
 * plus an index (the layout transformers and vLLM read), each file written atomically and tensor
 * by tensor (a `TensorSource` is read only when written: one tensor in memory at a time).
 */
export async function saveSafetensorsDir(dir: string, tensors: ReadonlyMap<string, NamedTensor | TensorSource>, opts: { dtype?: FloatDtype; maxShardBytes?: number } = {}): Promise<string[]> {
  // 2 GiB by default (smaller files move and resume better; transformers writes 5 GB ones).
  const maxShard = opts.maxShardBytes ?? 2 * 1024 ** 3;
  const sources = toSources(tensors, opts.dtype);
  const shards: Map<string, TensorSource>[] = [];
  let current = new Map<string, TensorSource>();
  let size = 0;
  for (const name of [...sources.keys()].sort()) {
    const t = sources.get(name) as TensorSource;
    const bytes = storedBytes(t);
    if (size > 0 && size + bytes > maxShard) {
      shards.push(current);
      current = new Map();
      size = 0;
    }
    current.set(name, t);
    size += bytes;
  }
  shards.push(current);
  if (shards.length === 1) {
    // A stale index from an earlier sharded save would win over the new single file on load.
    await rm(join(dir, INDEX_FILE), { force: true });
    await writeSafetensorsFile(join(dir, 'model.safetensors'), shards[0] as Map<string, TensorSource>);
    return ['model.safetensors'];
  }
  const files: string[] = [];
  const weightMap: Record<string, string> = {};
  let total = 0;
  for (let i = 0; i < shards.length; i++) {
    const file = `model-${String(i + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`;
    const shard = shards[i] as Map<string, TensorSource>;
    for (const [name, t] of shard) {
      weightMap[name] = file;
      total += storedBytes(t);
    }
    await writeSafetensorsFile(join(dir, file), shard);
    files.push(file);
  }
  await writeJsonAtomic(join(dir, INDEX_FILE), { metadata: { total_size: total }, weight_map: weightMap });
  return [...files, INDEX_FILE];
}
