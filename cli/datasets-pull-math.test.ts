/**
 * `exitgym datasets pull math` end to end against a local HTTP server serving hand-written source
 * files in the upstream formats (test/fixtures/math/orig): progress, sha256 checks, resume of a
 * partial file, conversion into the normalised sets, and loading them through the validating loader.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { main } from './main.js';
import { MANIFESTS } from '../datasets/manifests.js';
import { loadMathSplit } from '../datasets/math.js';
import { captureIo } from '../test/fixtures/cli-io.js';

const ORIG = fileURLToPath(new URL('../test/fixtures/math/orig', import.meta.url));
const requests: { path: string; range?: string }[] = [];
/** Files the server answers with other bytes than the fixture (to provoke a checksum mismatch). */
const corrupt = new Set<string>();
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').replace(/^\/+/, ''));
    requests.push({ path: rel, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const name = rel.replace(/^orig\//, '');
    readFile(join(ORIG, name)).then(
      (full) => {
        const body = corrupt.has(rel) ? Buffer.from(full.toString('utf8').replace(/\d/g, '0')) : full;
        const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
        const start = m ? Number(m[1]) : 0;
        res.writeHead(m ? 206 : 200, { 'content-length': body.length - start });
        res.end(body.subarray(start));
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('datasets pull math: progress, checksums, resume, conversion, validated loading', async () => {
  const real = MANIFESTS.math;
  assert.ok(real && real.length === 7, 'the math manifest lists the seven source files');
  // Same paths as the real manifest; URLs and checksums of the fixture files.
  MANIFESTS.math = await Promise.all(
    real.map(async (f) => {
      const bytes = await readFile(join(ORIG, f.path.replace(/^orig\//, '')));
      return { url: `${base}/${f.path}`, path: f.path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    }),
  );
  const root = await mkdtemp(join(tmpdir(), 'exitgym-math-pull-'));
  const dest = join(root, 'math');
  try {
    // An interrupted earlier pull left half of one file.
    const partName = 'orig/agentica-project_deepscaler__test_olympiad_bench.json';
    const full = await readFile(join(ORIG, partName.replace(/^orig\//, '')));
    await mkdir(join(dest, 'orig'), { recursive: true });
    await writeFile(join(dest, `${partName}.part`), full.subarray(0, 100));
    requests.length = 0;

    const c = captureIo();
    assert.equal(await main(['datasets', 'pull', 'math', '--dest', dest], c.io), 0, c.err.join('\n'));
    const r = JSON.parse(c.out[0] ?? '{}') as { downloaded: string[]; skipped: string[]; converted: string[] };
    assert.equal(r.downloaded.length, 7);
    assert.deepEqual(r.converted.sort(), ['aime24.jsonl', 'aime25.jsonl', 'amc12_2022_2023.jsonl', 'amc23.jsonl', 'math500.jsonl', 'minerva.jsonl', 'olympiadbench.jsonl']);
    assert.ok(c.err.filter((l) => l.includes('(100 %)')).length >= 7, `progress per file:\n${c.err.join('\n')}`);
    assert.deepEqual(requests.find((q) => q.path === partName), { path: partName, range: 'bytes=100-' }, 'the partial file resumes with a Range request');
    assert.deepEqual(await readFile(join(dest, partName)), full);
    assert.ok(!(await readdir(join(dest, 'orig'))).some((f) => f.endsWith('.part')), 'no partial files are left');

    // The converted sets load through the validating loader, with the README's clean-up rules applied.
    const load = (split: string) => loadMathSplit(split, { dataDir: root });
    assert.deepEqual((await load('math500')).map((t) => [t.id, t.answers, t.steps]), [['test/prealgebra/fixture-1.json', ['7'], 2], ['test/algebra/fixture-2.json', ['\\frac{3}{4}'], 2]]);
    assert.deepEqual((await load('aime24')).map((t) => [t.id, t.answers]), [['2024-I-15', ['25']], ['2024-II-3', ['9']]]);
    const aime24 = (await readFile(join(dest, 'aime24.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual([aime24[0]?.answer_raw, aime24[0]?.problem_number_raw, aime24[0]?.difficulty, aime24[1]?.answer_raw], ['025', 0, 2, undefined]);
    const aime25 = await load('aime25');
    assert.deepEqual(aime25.map((t) => t.id), ['2025-I-1', '2025-II-2']);
    assert.equal(aime25[1]?.problem, 'In $\\triangle ABC$, find $100\\frac{1}{4}$ of the perimeter 12.', 'control characters restored');
    assert.deepEqual((await load('amc12_2022_2023')).map((t) => [t.id, t.answers]), [['2022-AMC12A-7', ['142']]]);
    assert.deepEqual((await load('amc23')).map((t) => [t.id, t.answers]), [['2023-AMC12B-3', ['27']]]);
    assert.deepEqual((await load('minerva')).map((t) => [t.id, t.answers]), [['minerva-4', ['4.5e33', '4.5 \\times 10^{33}']]]);
    const ob = await load('olympiadbench');
    // Two alternative solutions: the complexity metric counts the steps of the first (2), not all (4).
    assert.deepEqual(ob.map((t) => [t.id, t.answers, t.steps]), [['olympiadbench-7', ['$(1,2),(2,1)$'], 2]]);

    // A second pull verifies the checksums and downloads nothing.
    const again = captureIo();
    assert.equal(await main(['datasets', 'pull', 'math', '--dest', dest], again.io), 0);
    assert.equal((JSON.parse(again.out[0] ?? '{}') as { skipped: string[] }).skipped.length, 7);

    // A file whose bytes changed upstream is refused, named, and not left in the cache.
    const bad = 'orig/inclusionAI_AReaL__math_500_test.jsonl';
    await rm(join(dest, bad));
    corrupt.add(bad);
    const c3 = captureIo();
    assert.equal(await main(['datasets', 'pull', 'math', '--dest', dest], c3.io), 1);
    assert.match(c3.err.join('\n'), /checksum mismatch for orig\/inclusionAI_AReaL__math_500_test\.jsonl/);
    await assert.rejects(readFile(join(dest, bad)), /ENOENT/);
    await assert.rejects(readFile(join(dest, `${bad}.part`)), /ENOENT/);
  } finally {
    MANIFESTS.math = real;
    corrupt.clear();
    await rm(root, { recursive: true });
  }
});
