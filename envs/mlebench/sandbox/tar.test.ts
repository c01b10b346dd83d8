import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../core/errors.js';
import { packTar } from './tar.js';

test('GNU tar reads what we write: files, parent folders, long paths', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'exitgym-tar-'));
  try {
    const long = `${'d'.repeat(60)}/${'f'.repeat(80)}.txt`;
    const tar = packTar([
      { path: 'a.py', content: Buffer.from('print(1)\n') },
      { path: 'sub/dir/b.bin', content: new Uint8Array([0, 1, 2, 255]) },
      { path: long, content: Buffer.from('hello') },
    ]);
    assert.equal(tar.length % 512, 0);
    writeFileSync(join(dir, 'ours.tar'), tar);
    const list = spawnSync('tar', ['-tf', 'ours.tar'], { cwd: dir, encoding: 'utf8' });
    if (list.error) return t.skip('tar not installed');
    assert.deepEqual(list.stdout.trim().split('\n'), ['a.py', 'sub/', 'sub/dir/', 'sub/dir/b.bin', `${'d'.repeat(60)}/`, long]);
    const x = spawnSync('tar', ['-xf', 'ours.tar'], { cwd: dir });
    assert.equal(x.status, 0, x.stderr.toString());
    assert.equal(readFileSync(join(dir, long), 'utf8'), 'hello');
    assert.deepEqual([...readFileSync(join(dir, 'sub/dir/b.bin'))], [0, 1, 2, 255]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a path too long for ustar is a config error naming it', () => {
  assert.throws(() => packTar([{ path: 'x'.repeat(120), content: Buffer.alloc(0) }]), (e: unknown) => e instanceof ConfigError && /too long for the Docker sandbox/.test(e.message));
});
