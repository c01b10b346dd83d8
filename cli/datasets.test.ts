import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MANIFESTS } from '../datasets/manifests.js';
import { loadMathSplit } from '../datasets/math.js';
import { main } from './main.js';
import { captureIo } from '../test/fixtures/cli-io.js';

/** Serves files under `root` with Range support, like a static file host. */
function serve(root: () => string | undefined): Server {
  return createServer((req, res) => {
    const base = root();
    const rel = decodeURIComponent((req.url ?? '/').replace(/^\/+/, ''));
    if (base === undefined || rel.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    const path = join(base, rel);
    stat(path).then(
      (st) => {
        const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
        const start = m ? Number(m[1]) : 0;
        res.writeHead(m ? 206 : 200, { 'content-length': st.size - start });
        createReadStream(path, { start }).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
}

let server: Server;
let base = '';
let root: string | undefined;
before(async () => {
  server = serve(() => root);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('datasets pull/verify/list on a demo dataset served locally', async () => {
  root = new URL('../test/fixtures/math/data/math', import.meta.url).pathname;
  const file = 'math500.jsonl';
  const sha = createHash('sha256').update(await readFile(join(root, file))).digest('hex');
  MANIFESTS.demo = [{ url: `${base}/${file}`, path: `sub/${file}`, sha256: sha }];
  const cache = await mkdtemp(join(tmpdir(), 'exitgym-cache-'));
  const saved = process.env.EXITGYM_CACHE_DIR;
  process.env.EXITGYM_CACHE_DIR = cache;
  try {
    const pull = captureIo();
    assert.equal(await main(['datasets', 'pull', 'demo'], pull.io), 0, pull.err.join('\n'));
    assert.deepEqual(JSON.parse(pull.out[0] ?? '{}').downloaded, [`sub/${file}`]);
    assert.ok(pull.err.some((l) => l.includes('(100 %)')), 'progress is shown');
    const again = captureIo();
    assert.equal(await main(['datasets', 'pull', 'demo'], again.io), 0);
    assert.deepEqual(JSON.parse(again.out[0] ?? '{}').skipped, [`sub/${file}`]);
    const ver = captureIo();
    assert.equal(await main(['datasets', 'verify', 'demo'], ver.io), 0);
    assert.match(ver.out.join('\n'), /^ok\s+sub\/math500\.jsonl$/);
    const list = captureIo();
    assert.equal(await main(['datasets', 'list', '--json'], list.io), 0);
    const rows = JSON.parse(list.out.join('\n')) as { id: string; status: string }[];
    assert.match(rows.find((r) => r.id === 'demo')?.status ?? '', /^cache/);
    const bad = captureIo();
    MANIFESTS.demo = [{ url: `${base}/${file}`, path: `sub/${file}`, sha256: 'f'.repeat(64) }];
    assert.equal(await main(['datasets', 'verify', 'demo'], bad.io), 1);
    assert.match(bad.out.join('\n'), /FAILED sub\/math500\.jsonl: checksum mismatch/);
    const unknown = captureIo();
    assert.equal(await main(['datasets', 'pull', 'nope'], unknown.io), 1);
    assert.match(unknown.err.join('\n'), /unknown dataset "nope".*Known datasets: .*math/);
  } finally {
    delete MANIFESTS.demo;
    if (saved === undefined) delete process.env.EXITGYM_CACHE_DIR;
    else process.env.EXITGYM_CACHE_DIR = saved;
    await rm(cache, { recursive: true });
  }
});

test('datasets pull math from a local mirror: checksums pass and the converted sets equal the data dir', async (t) => {
  const data = process.env.EXITGYM_DATA_DIR;
  if (!data) return t.skip('EXITGYM_DATA_DIR not set');
  root = join(data, 'math');
  const dest = await mkdtemp(join(tmpdir(), 'exitgym-math-'));
  try {
    const c = captureIo();
    assert.equal(await main(['datasets', 'pull', 'math', '--mirror', base, '--dest', join(dest, 'math')], c.io), 0, c.err.join('\n'));
    const r = JSON.parse(c.out[0] ?? '{}') as { downloaded: string[]; converted: string[] };
    assert.equal(r.downloaded.length, 7);
    assert.equal(r.converted.length, 7);
    for (const split of ['math500', 'aime24', 'aime25', 'amc12_2022_2023', 'amc23', 'minerva', 'olympiadbench']) {
      const mine = await loadMathSplit(split, { dataDir: dest });
      const ref = await loadMathSplit(split, { dataDir: data });
      assert.deepEqual(mine.map((x) => [x.id, x.answers, x.problem]), ref.map((x) => [x.id, x.answers, x.problem]), split);
    }
  } finally {
    await rm(dest, { recursive: true });
  }
});
