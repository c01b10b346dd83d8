import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16, loadSafetensorsDir, parseSafetensors, readSafetensorsFile, saveSafetensorsDir, serializeSafetensors, type TensorMap } from './safetensors.js';

test('bf16 encodes by round-to-nearest-even and decodes exactly', () => {
  // 1.0 = 0x3f800000 → 0x3f80; 1 + 2^-8 is halfway between bf16 neighbours → ties to even (0x3f80);
  // 1 + 3·2^-8 is halfway → rounds up to the even 0x3f82.
  const bits = f32ToBf16(Float32Array.of(1, 1 + 2 ** -8, 1 + 3 * 2 ** -8, -2, 0));
  assert.deepEqual([...bits], [0x3f80, 0x3f80, 0x3f82, 0xc000, 0]);
  assert.deepEqual([...bf16ToF32(Uint16Array.of(0x3f80, 0xc000, 0x3fc0))], [1, -2, 1.5]);
  assert.ok(Number.isNaN(bf16ToF32(f32ToBf16(Float32Array.of(NaN)))[0]));
});

test('f16 encodes and decodes hand-checked values', () => {
  // 1 = 0x3c00, -2 = 0xc000, 65504 = 0x7bff (max), 2^-24 = 0x0001 (smallest subnormal), 1e6 → inf.
  const bits = f32ToF16(Float32Array.of(1, -2, 65504, 2 ** -24, 1e6, 0.333251953125));
  assert.deepEqual([...bits], [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555]);
  assert.deepEqual([...f16ToF32(Uint16Array.of(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00))], [1, -2, 65504, 2 ** -24, Infinity]);
});

test('serialize → parse round-trips f32 exactly and keeps the stored dtype; header is 8-byte aligned', () => {
  const tensors: TensorMap = new Map([
    ['b.weight', { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6.5), dtype: 'F32' }],
    ['a.bias', { shape: [2], data: Float32Array.of(-1.5, 0.25), dtype: 'BF16' }],
  ]);
  const bytes = serializeSafetensors(tensors);
  const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLen) % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, { dtype: string; data_offsets: number[] }>;
  assert.deepEqual(header['a.bias'], { dtype: 'BF16', shape: [2], data_offsets: [0, 4] });
  assert.deepEqual(header['b.weight']?.data_offsets, [4, 28]);
  const back = parseSafetensors(bytes);
  assert.deepEqual([...(back.get('b.weight')?.data ?? [])], [1, 2, 3, 4, 5, 6.5]);
  assert.deepEqual([...(back.get('a.bias')?.data ?? [])], [-1.5, 0.25]);
  assert.equal(back.get('a.bias')?.dtype, 'BF16');
});

test('parse rejects truncated files and integer tensors with a message naming the file', () => {
  assert.throws(() => parseSafetensors(new Uint8Array(4), 'x.safetensors'), /x\.safetensors: file is 4 bytes/);
  const json = new TextEncoder().encode(JSON.stringify({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }));
  const bytes = new Uint8Array(8 + json.length + 8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  assert.throws(() => parseSafetensors(bytes, 'y'), /y: tensor "ids" has dtype I64/);
});

test('saveSafetensorsDir shards with an index that loadSafetensorsDir reads back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'st-'));
  const tensors: TensorMap = new Map();
  for (let i = 0; i < 5; i++) tensors.set(`w${i}`, { shape: [4], data: Float32Array.of(i, i + 1, i + 2, i + 3), dtype: 'F32' });
  const files = await saveSafetensorsDir(dir, tensors, { maxShardBytes: 32 });
  assert.deepEqual(files.at(-1), 'model.safetensors.index.json');
  assert.equal(files.length, 4); // 2+2+1 tensors of 16 bytes, then the index
  const index = JSON.parse(await readFile(join(dir, 'model.safetensors.index.json'), 'utf8')) as { weight_map: Record<string, string>; metadata: { total_size: number } };
  assert.equal(index.metadata.total_size, 80);
  assert.equal(index.weight_map.w4, 'model-00003-of-00003.safetensors');
  const back = await loadSafetensorsDir(dir);
  assert.deepEqual([...(back.get('w3')?.data ?? [])], [3, 4, 5, 6]);
  // Saving unsharded into the same folder removes the stale index.
  await saveSafetensorsDir(dir, tensors);
  assert.ok(!(await readdir(dir)).includes('model.safetensors.index.json'));
  assert.equal((await loadSafetensorsDir(dir)).size, 5);
});

test('loadSafetensorsDir says what is missing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'st-'));
  await assert.rejects(loadSafetensorsDir(dir), /no model\.safetensors or model\.safetensors\.index\.json/);
  await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'a.safetensors' } }));
  await writeFile(join(dir, 'a.safetensors'), serializeSafetensors(new Map()));
  await assert.rejects(loadSafetensorsDir(dir), /tensor "a" is listed in weight_map but missing/);
});

test('readSafetensorsFile (tensor by tensor through a file handle) equals parsing the whole file, and names a truncated file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'st-'));
  const tensors: TensorMap = new Map([
    ['x', { shape: [3], data: Float32Array.of(1, -2.5, 3), dtype: 'F32' }],
    ['y', { shape: [2, 2], data: Float32Array.of(0.5, 1, -1, 2), dtype: 'BF16' }],
    ['z', { shape: [1], data: Float32Array.of(0.25), dtype: 'F16' }],
  ]);
  const bytes = serializeSafetensors(tensors);
  const path = join(dir, 'model.safetensors');
  await writeFile(path, bytes);
  const viaHandle = await readSafetensorsFile(path);
  const inMemory = parseSafetensors(bytes);
  assert.deepEqual([...viaHandle.keys()], [...inMemory.keys()]);
  for (const [name, t] of inMemory) {
    assert.deepEqual([...(viaHandle.get(name)?.data ?? [])], [...t.data]);
    assert.equal(viaHandle.get(name)?.dtype, t.dtype);
  }
  await writeFile(path, bytes.subarray(0, bytes.length - 2));
  await assert.rejects(readSafetensorsFile(path), /model\.safetensors: tensor "z" offsets .* run past the end of the file/);
  await writeFile(path, bytes.subarray(0, 5));
  await assert.rejects(readSafetensorsFile(path), /file is 5 bytes, too short/);
});
