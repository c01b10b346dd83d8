import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendJsonLine, readJsonLines, writeFileAtomic, writeJsonAtomic } from './atomic-write.js';

test('writeFileAtomic creates parent folders, replaces content and leaves no temp files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-aw-'));
  const path = join(dir, 'a', 'b', 'x.json');
  await writeJsonAtomic(path, { n: 1 });
  await writeFileAtomic(path, 'second');
  assert.equal(await readFile(path, 'utf8'), 'second');
  assert.deepEqual(await readdir(join(dir, 'a', 'b')), ['x.json']);
});

test('readJsonLines drops a torn last line but rejects a bad middle line with its number', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-jl-'));
  const path = join(dir, 'log.jsonl');
  await appendJsonLine(path, { i: 1 });
  await appendJsonLine(path, { i: 2 });
  await writeFile(path, (await readFile(path, 'utf8')) + '{"i": 3');
  assert.deepEqual(await readJsonLines(path), [{ i: 1 }, { i: 2 }]);
  await writeFile(path, '{"i":1}\nnot json\n{"i":2}\n');
  await assert.rejects(readJsonLines(path), /log\.jsonl:2: not valid JSON/);
});
