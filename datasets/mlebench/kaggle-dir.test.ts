import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { zipSync } from 'fflate';
import { DatasetMissingError } from '../../core/errors.js';
import { KaggleDir } from './kaggle-dir.js';

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'exitgym-kaggle-dir-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

async function folder(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

test('a file is found as itself, as <name>.zip, as <stem>.zip, or inside the competition archive', async () => {
  const plain = new KaggleDir(await folder('plain', { 'train.csv': 'a\n1\n' }), 'c');
  assert.equal(text(await plain.file('train.csv')), 'a\n1\n');
  const perFile = new KaggleDir(await folder('per-file', { 'train.csv.zip': zipSync({ 'train.csv': bytes('b\n') }) }), 'c');
  assert.equal(text(await perFile.file('train.csv')), 'b\n');
  // Spooky's Kaggle download: train.zip holds train.csv.
  const stem = new KaggleDir(await folder('stem', { 'train.zip': zipSync({ 'train.csv': bytes('c\n') }) }), 'c');
  assert.equal(text(await stem.file('train.csv')), 'c\n');
  // `kaggle competitions download -c comp` writes comp.zip, with Kaggle's per-file zips inside.
  const whole = zipSync({ 'train.csv.zip': zipSync({ 'train.csv': bytes('d\n') }), 'test.csv': bytes('e\n') });
  const comp = new KaggleDir(await folder('whole', { 'comp.zip': whole }), 'comp');
  assert.equal(text(await comp.file('train.csv')), 'd\n');
  assert.equal(text(await comp.file('test.csv')), 'e\n');
  await assert.rejects(comp.file('test_labels.csv'), (e: unknown) => e instanceof DatasetMissingError && /test_labels\.csv not found in .* \(looked for test_labels\.csv, test_labels\.csv\.zip, test_labels\.zip, also inside comp\.zip/.test(e.message));
});

test('a folder of files is read from disk (either unpacking) or from its zip, paths relative to it', async () => {
  const flat = new KaggleDir(await folder('flat', { 'train/1/geometry.xyz': 'x1', 'train/2/geometry.xyz': 'x2' }), 'c');
  assert.deepEqual([...(await flat.tree('train')).keys()].sort(), ['1/geometry.xyz', '2/geometry.xyz']);
  const nested = new KaggleDir(await folder('nested', { 'train/train/7/geometry.xyz': 'x7' }), 'c');
  assert.equal(text((await nested.tree('train')).get('7/geometry.xyz') as Uint8Array), 'x7');
  const zipped = new KaggleDir(await folder('zipped', { 'train.zip': zipSync({ train: { 'a.jpg': bytes('A'), 'b.jpg': bytes('B') } }) }), 'c');
  assert.deepEqual([...(await zipped.tree('train')).keys()].sort(), ['a.jpg', 'b.jpg']);
  const inWhole = new KaggleDir(await folder('in-whole', { 'comp.zip': zipSync({ 'train.zip': zipSync({ 'x.jpg': bytes('X') }) }) }), 'comp');
  assert.deepEqual([...(await inWhole.tree('train')).keys()], ['x.jpg']);
  assert.equal((await new KaggleDir(await folder('empty', {}), 'c').tree('train')).size, 0);
});
