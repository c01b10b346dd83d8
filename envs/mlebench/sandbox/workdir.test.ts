import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../core/errors.js';
import { checkRelativePath, collectFiles, makeRunDir, removeRunDir, RUN_DIR_PREFIX, sweepRunDirs, writeFiles } from './workdir.js';

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
    const { files, refused } = await collectFiles(dir.work, ['a.txt', 'sub/b.bin', 'link.txt', 'etc/hostname', 'real', 'missing', 'big.txt'], 50);
    assert.deepEqual(Object.keys(files).sort(), ['a.txt', 'sub/b.bin']);
    assert.deepEqual([...(files['sub/b.bin'] ?? [])], [1, 2]);
    assert.deepEqual(Object.keys(refused).sort(), ['big.txt', 'etc/hostname', 'link.txt', 'real']);
    assert.match(refused['big.txt'] ?? '', /larger than the 0\.0 MiB limit/);
    assert.match(refused['link.txt'] ?? '', /symbolic link/);
  } finally {
    assert.equal(await removeRunDir(dir), true);
  }
  assert.equal(existsSync(dir.root), false);
});

test('a tree deeper than PATH_MAX is removed (coreutils walks it; Node rm fails with ENAMETOOLONG)', async () => {
  const dir = await makeRunDir();
  // 40 levels of 200-character names: about 8,000 bytes of path, twice PATH_MAX.
  const name = 'd'.repeat(200);
  const deep = `import os, sys\nos.chdir(sys.argv[1])\nfor _ in range(40):\n    os.mkdir('${name}')\n    os.chdir('${name}')\nopen('leaf', 'w').write('x')\n`;
  const r = spawnSync('/usr/bin/python3', ['-c', deep, dir.work]);
  assert.equal(r.status, 0, String(r.stderr));
  assert.equal(await removeRunDir(dir), true);
  assert.equal(existsSync(dir.root), false);
});

test('the start-up sweep removes run folders of dead owners only', async () => {
  const base = mkdtempSync(join(tmpdir(), 'exitgym-sweep-'));
  try {
    const mine = await makeRunDir(undefined, base);
    // A folder named for a process that does not exist (pid 2^22 + 1 is above the kernel's pid_max).
    const dead = join(base, `${RUN_DIR_PREFIX}4194305-12345-abc`);
    mkdirSync(join(dead, 'work'), { recursive: true });
    // A live process with the wrong start time is a reused pid: its folder is stale too.
    const reused = join(base, `${RUN_DIR_PREFIX}${process.pid}-1-abc`);
    mkdirSync(reused);
    assert.equal(await sweepRunDirs(base), 2);
    assert.equal(existsSync(mine.root), true);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(reused), false);
    assert.ok(basename(mine.root).startsWith(`${RUN_DIR_PREFIX}${process.pid}-`));
    await removeRunDir(mine);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
