import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../core/errors.js';
import { packTar, unpackTar } from './tar.js';

test('pack then unpack round-trips files and adds parent folders', () => {
  const tar = packTar([
    { path: 'a.py', content: Buffer.from('print(1)\n') },
    { path: 'sub/dir/b.bin', content: new Uint8Array([0, 1, 2, 255]) },
  ]);
  assert.equal(tar.length % 512, 0);
  const entries = unpackTar(tar);
  assert.deepEqual(
    entries.map((e) => [e.name, e.type, e.size]),
    [
      ['a.py', 'file', 9],
      ['sub/', 'dir', 0],
      ['sub/dir/', 'dir', 0],
      ['sub/dir/b.bin', 'file', 4],
    ],
  );
  assert.deepEqual([...(entries[3]?.content ?? [])], [0, 1, 2, 255]);
});

test('GNU tar reads what we write; we read what GNU tar writes, links marked as links', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'exitgym-tar-'));
  try {
    const long = `${'d'.repeat(60)}/${'f'.repeat(80)}.txt`;
    writeFileSync(join(dir, 'ours.tar'), packTar([{ path: long, content: Buffer.from('hello') }]));
    const x = spawnSync('tar', ['-xf', 'ours.tar'], { cwd: dir });
    if (x.error) return t.skip('tar not installed');
    assert.equal(x.status, 0, x.stderr.toString());
    assert.equal(readFileSync(join(dir, long), 'utf8'), 'hello');
    writeFileSync(join(dir, 'plain.txt'), 'abc');
    symlinkSync('/etc/passwd', join(dir, 'link'));
    const c = spawnSync('tar', ['-cf', 'theirs.tar', 'plain.txt', 'link'], { cwd: dir });
    assert.equal(c.status, 0);
    const entries = unpackTar(readFileSync(join(dir, 'theirs.tar')));
    assert.deepEqual(
      entries.map((e) => [e.name, e.type, e.content?.toString()]),
      [
        ['plain.txt', 'file', 'abc'],
        ['link', 'link', undefined],
      ],
    );
    assert.ok(statSync(join(dir, 'theirs.tar')).size > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a path too long for ustar is a config error naming it', () => {
  assert.throws(() => packTar([{ path: 'x'.repeat(120), content: Buffer.alloc(0) }]), (e: unknown) => e instanceof ConfigError && /too long for the Docker sandbox/.test(e.message));
});
