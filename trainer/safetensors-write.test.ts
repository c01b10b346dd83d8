import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensorsFile, saveSafetensorsDir, serializeSafetensors, type TensorMap } from './safetensors.js';
import { writeSafetensorsFile, type TensorSource } from './safetensors-write.js';

const tensors: TensorMap = new Map([
  ['b.weight', { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-3, -7]), dtype: 'F32' }],
  ['a.bias', { shape: [3], data: new Float32Array([0.5, 0.25, -1]), dtype: 'BF16' }],
  ['c', { shape: [1], data: new Float32Array([2]), dtype: 'F16' }],
]);
const sources = (t: TensorMap, reads: string[] = []): Map<string, TensorSource> =>
  new Map([...t].map(([name, v]) => [name, { shape: v.shape, dtype: v.dtype, values: async () => (reads.push(name), v.data) }]));

test('streamed writing gives the bytes of the in-memory serialiser, reading each source once, in name order', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-stw-'));
  const reads: string[] = [];
  await writeSafetensorsFile(join(dir, 'x.safetensors'), sources(tensors, reads));
  assert.deepEqual(reads, ['a.bias', 'b.weight', 'c']);
  assert.deepEqual(new Uint8Array(await readFile(join(dir, 'x.safetensors'))), serializeSafetensors(tensors));
  const back = await readSafetensorsFile(join(dir, 'x.safetensors'));
  assert.deepEqual([...(back.get('b.weight')?.data ?? [])], [...(tensors.get('b.weight')?.data ?? [])]);
  assert.equal(back.get('a.bias')?.dtype, 'BF16');
  assert.deepEqual(await readdir(dir), ['x.safetensors'], 'no temp file left');
});

test('a source that fails mid-file, or a wrong length, leaves the previous file whole and no temp file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-stw-'));
  const path = join(dir, 'opt.safetensors');
  await writeFile(path, 'previous');
  const failing = sources(tensors);
  failing.set('b.weight', { shape: [2, 3], dtype: 'F32', values: () => Promise.reject(new Error('backend lost')) });
  await assert.rejects(writeSafetensorsFile(path, failing), /backend lost/);
  const short = sources(tensors);
  short.set('c', { shape: [4], dtype: 'F32', values: () => new Float32Array(3) });
  await assert.rejects(writeSafetensorsFile(path, short), /tensor "c" has 3 values but shape \[4\]/);
  assert.equal(await readFile(path, 'utf8'), 'previous');
  assert.deepEqual(await readdir(dir), ['opt.safetensors']);
});

test('saveSafetensorsDir shards lazily: one source read at a time, same tensors back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-stw-'));
  let live = 0;
  let peak = 0;
  const lazy = new Map<string, TensorSource>();
  for (let i = 0; i < 6; i++) {
    lazy.set(`w${i}`, {
      shape: [64],
      dtype: 'F32',
      values: async () => {
        live++;
        peak = Math.max(peak, live);
        await new Promise((r) => setImmediate(r));
        live--;
        return Float32Array.from({ length: 64 }, (_, k) => i * 100 + k);
      },
    });
  }
  const files = await saveSafetensorsDir(dir, lazy, { maxShardBytes: 600 });
  assert.equal(files.length, 4, `3 shards of 2 tensors + index: ${files.join(', ')}`);
  assert.equal(peak, 1);
  const back = await readSafetensorsFile(join(dir, files[2] as string));
  assert.deepEqual([...back.keys()], ['w4', 'w5']);
  assert.equal(back.get('w5')?.data[3], 503);
});
