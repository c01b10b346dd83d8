import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DatasetMissingError } from '../core/errors.js';
import { downloadFiles, DownloadError, type RemoteFile } from './download.js';
import { resolveDatasetFile } from './paths.js';

const body = Buffer.from('{"id":"a","answer":"1"}\n'.repeat(2000));
const sha = createHash('sha256').update(body).digest('hex');
const ranges: (string | undefined)[] = [];
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/missing') {
      res.writeHead(404).end();
      return;
    }
    const range = req.headers.range;
    ranges.push(range);
    const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) {
      const start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416).end();
        return;
      }
      const slice = body.subarray(start);
      res.writeHead(206, { 'content-length': slice.length, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
      res.end(slice);
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'exitgym-dl-'));
}

test('downloads, verifies and then skips a file already present', async () => {
  const dest = await tmp();
  const file: RemoteFile = { url: `${base}/f.jsonl`, path: 'sub/f.jsonl', sha256: sha };
  const seen: number[] = [];
  const r1 = await downloadFiles('demo', [file], { dest, onProgress: (p) => seen.push(p.received) });
  assert.deepEqual(r1, { downloaded: ['sub/f.jsonl'], skipped: [] });
  assert.deepEqual(await readFile(join(dest, 'sub/f.jsonl')), body);
  assert.equal(seen.at(-1), body.length);
  const r2 = await downloadFiles('demo', [file], { dest });
  assert.deepEqual(r2, { downloaded: [], skipped: ['sub/f.jsonl'] });
  await rm(dest, { recursive: true });
});

test('resumes a partial .part file with a Range request', async () => {
  const dest = await tmp();
  await writeFile(join(dest, 'f.jsonl.part'), body.subarray(0, 1000));
  ranges.length = 0;
  const r = await downloadFiles('demo', [{ url: `${base}/f.jsonl`, path: 'f.jsonl', sha256: sha }], { dest });
  assert.deepEqual(r.downloaded, ['f.jsonl']);
  assert.deepEqual(ranges, ['bytes=1000-']);
  assert.deepEqual(await readFile(join(dest, 'f.jsonl')), body);
  await rm(dest, { recursive: true });
});

test('a checksum mismatch deletes the part and names file, expected and found hash', async () => {
  const dest = await tmp();
  const wrong = '0'.repeat(64);
  await assert.rejects(
    downloadFiles('demo', [{ url: `${base}/f.jsonl`, path: 'f.jsonl', sha256: wrong }], { dest }),
    (e: unknown) => e instanceof DownloadError && e.message.includes('f.jsonl') && e.message.includes(wrong) && e.message.includes(sha),
  );
  await assert.rejects(readFile(join(dest, 'f.jsonl.part')), /ENOENT/);
  await assert.rejects(readFile(join(dest, 'f.jsonl')), /ENOENT/);
  await rm(dest, { recursive: true });
});

test('HTTP 404 fails at once with the status; a dead host fails after the retries', async () => {
  const dest = await tmp();
  await assert.rejects(downloadFiles('demo', [{ url: `${base}/missing`, path: 'm', sha256: sha }], { dest }), /HTTP 404/);
  await assert.rejects(
    downloadFiles('demo', [{ url: 'http://127.0.0.1:1/x', path: 'x', sha256: sha }], { dest, retries: 1, backoffMs: 1 }),
    /failed after 2 attempt\(s\)/,
  );
  await rm(dest, { recursive: true });
});

test('resolveDatasetFile prefers the data dir, falls back to the cache, else says what to do', async () => {
  const data = await tmp();
  const cache = await tmp();
  const saved = { d: process.env.EXITGYM_DATA_DIR, c: process.env.EXITGYM_CACHE_DIR };
  try {
    process.env.EXITGYM_CACHE_DIR = cache;
    await mkdir(join(data, 'demo'), { recursive: true });
    await mkdir(join(cache, 'demo'), { recursive: true });
    await writeFile(join(data, 'demo', 'a.jsonl'), '');
    await writeFile(join(cache, 'demo', 'a.jsonl'), '');
    await writeFile(join(cache, 'demo', 'b.jsonl'), '');
    process.env.EXITGYM_DATA_DIR = data;
    assert.equal(await resolveDatasetFile('demo', 'a.jsonl'), join(data, 'demo', 'a.jsonl'));
    assert.equal(await resolveDatasetFile('demo', 'b.jsonl'), join(cache, 'demo', 'b.jsonl'));
    delete process.env.EXITGYM_DATA_DIR;
    assert.equal(await resolveDatasetFile('demo', 'a.jsonl'), join(cache, 'demo', 'a.jsonl'));
    await assert.rejects(
      resolveDatasetFile('demo', 'c.jsonl'),
      (e: unknown) => e instanceof DatasetMissingError && /EXITGYM_DATA_DIR/.test(e.message) && /exitgym datasets pull demo/.test(e.message),
    );
  } finally {
    if (saved.d === undefined) delete process.env.EXITGYM_DATA_DIR;
    else process.env.EXITGYM_DATA_DIR = saved.d;
    if (saved.c === undefined) delete process.env.EXITGYM_CACHE_DIR;
    else process.env.EXITGYM_CACHE_DIR = saved.c;
    await rm(data, { recursive: true });
    await rm(cache, { recursive: true });
  }
});
