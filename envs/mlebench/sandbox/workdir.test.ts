import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../core/errors.js';
import { checkRelativePath, collectFiles, makeRunDir, removeRunDir, writeFiles } from './workdir.js';

test('checkRelativePath normalises and refuses escapes', () => {
  assert.equal(checkRelativePath('./out/../sub.csv', 'w'), 'sub.csv');
  assert.equal(checkRelativePath('a\\b.txt', 'w'), 'a/b.txt');
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', '.', 'dir/']) {
    assert.throws(() => checkRelativePath(bad, 'collect[0]'), (e: unknown) => e instanceof ConfigError && e.message.startsWith('collect[0]: '));
  }
});

test('writes inputs, collects regular files only, refuses links and oversize files, cleans up', async () => {
  const dir = await makeRunDir();
  try {
    await writeFiles(dir.work, [
      { path: 'a.txt', content: 'A' },
      { path: 'sub/b.bin', content: new Uint8Array([1, 2]) },
    ]);
    await assert.rejects(writeFiles(dir.work, [{ path: 'x', content: '' }, { path: './x', content: '' }]), /given twice/);
    symlinkSync('/etc/hostname', join(dir.work, 'link.txt'));
    mkdirSync(join(dir.work, 'real'));
    symlinkSync('/etc', join(dir.work, 'etc'));
    writeFileSync(join(dir.work, 'big.txt'), 'x'.repeat(100));
    const got = await collectFiles(dir.work, ['a.txt', 'sub/b.bin', 'link.txt', 'etc/hostname', 'real', 'missing', 'big.txt'], 50);
    assert.deepEqual(Object.keys(got).sort(), ['a.txt', 'sub/b.bin']);
    assert.deepEqual([...(got['sub/b.bin'] ?? [])], [1, 2]);
  } finally {
    await removeRunDir(dir);
  }
  assert.equal(existsSync(dir.root), false);
});
