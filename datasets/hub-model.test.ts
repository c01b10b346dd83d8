import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeTinyModel } from '../test/fixtures/tiny-model.js';
import { main } from '../cli/main.js';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { arithEntry } from '../test/fixtures/arith-env.js';
import { DEFAULT_MODEL, ensureHubModel, gitBlobSha1, hubModelDir } from './hub-model.js';

let server: Server;
let files: Map<string, Buffer>;
let corrupt = false;
const gets: string[] = [];

before(async () => {
  const src = await mkdtemp(join(tmpdir(), 'exitgym-hub-src-'));
  await writeTinyModel(src, { seed: 1 });
  files = new Map();
  for (const name of await readdir(src)) files.set(name, await readFile(join(src, name)));
  server = createServer((req, res) => {
    const url = req.url ?? '';
    gets.push(url);
    if (url === '/api/models/org/tiny/tree/main' || url === `/api/models/${DEFAULT_MODEL}/tree/main`) {
      const tree = [...files].map(([path, body]) =>
        path.endsWith('.safetensors')
          ? { type: 'file', path, size: body.length, oid: gitBlobSha1(Buffer.from('pointer')), lfs: { oid: createHash('sha256').update(body).digest('hex'), size: body.length } }
          : { type: 'file', path, size: body.length, oid: gitBlobSha1(body) },
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify([...tree, { type: 'file', path: 'README.md', size: 1, oid: 'x' }]));
    }
    const m = /^\/(?:org\/tiny|HuggingFaceTB\/SmolLM2-135M-Instruct)\/resolve\/main\/(.+)$/.exec(url);
    const body = m ? files.get(m[1] as string) : undefined;
    if (!body) {
      res.writeHead(404);
      return res.end();
    }
    const sent = corrupt && m![1] === 'config.json' ? Buffer.from('{}') : body;
    res.writeHead(200, { 'content-length': String(sent.length) });
    res.end(sent);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.EXITGYM_HF_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A one-task env, so the eval tests below run in seconds without benchmark data.
  registerEnv(arithEntry('fixture-arith-hub', ['arith/0']));
});
after(async () => {
  unregisterEnv('fixture-arith-hub');
  delete process.env.EXITGYM_HF_ENDPOINT;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a hub model is downloaded once, verified, and then served from the cache', async () => {
  process.env.EXITGYM_CACHE_DIR = await mkdtemp(join(tmpdir(), 'exitgym-hub-cache-'));
  try {
    const dir = await ensureHubModel('org/tiny');
    assert.equal(dir, hubModelDir('org/tiny'));
    for (const [name, body] of files) assert.deepEqual(await readFile(join(dir, name)), body, name);
    assert.ok(!gets.some((g) => g.includes('README.md')), 'only the files a policy needs are fetched');
    const count = gets.length;
    await ensureHubModel('org/tiny');
    assert.equal(gets.length, count, 'a complete download is not fetched again');
  } finally {
    delete process.env.EXITGYM_CACHE_DIR;
  }
});

test('a corrupted small file is refused with both hashes', async () => {
  process.env.EXITGYM_CACHE_DIR = await mkdtemp(join(tmpdir(), 'exitgym-hub-cache-'));
  corrupt = true;
  try {
    await assert.rejects(ensureHubModel('org/tiny'), /checksum mismatch for org\/tiny\/config\.json: expected git blob [0-9a-f]{40}, found [0-9a-f]{40}/);
    await assert.rejects(ensureHubModel('not an id'), /is not a Hugging Face model id/);
    await assert.rejects(ensureHubModel('org/missing'), /answered HTTP 404; check the model id "org\/missing"/);
  } finally {
    corrupt = false;
    delete process.env.EXITGYM_CACHE_DIR;
  }
});

test('`exitgym eval` with no --model downloads the default model once, caches it, and runs it locally', { timeout: 300_000 }, async () => {
  // The README's main job on a fresh machine, with the Hub played by the local server (serving the
  // tiny checkpoint under the default model's id).
  process.env.EXITGYM_CACHE_DIR = await mkdtemp(join(tmpdir(), 'exitgym-hub-cache-'));
  try {
    const evalOnce = async (): Promise<{ code: number; err: string; dir: string }> => {
      const dir = await mkdtemp(join(tmpdir(), 'exitgym-hub-eval-'));
      const err: string[] = [];
      const code = await main(['eval', '--env', 'fixture-arith-hub', '--steps', '1', '--max-tokens', '4', '--output', dir, '--quiet'], { stdout: () => {}, stderr: (t) => err.push(t) });
      return { code, err: err.join('\n'), dir };
    };
    const before = gets.length;
    const first = await evalOnce();
    assert.equal(first.code, 0, first.err);
    assert.match(first.err, /no --model given: using the default local model HuggingFaceTB\/SmolLM2-135M-Instruct/);
    assert.ok(gets.slice(before).some((g) => g.startsWith(`/${DEFAULT_MODEL}/resolve/main/`)), 'the weights came from the Hub');
    const summary = JSON.parse(await readFile(join(first.dir, 'summary.json'), 'utf8'));
    assert.equal(summary.config.model, `local:${hubModelDir(DEFAULT_MODEL)}`);
    assert.deepEqual(summary.steps.map((x: { n: number }) => x.n), [1, 1]);
    const cached = gets.length;
    const second = await evalOnce();
    assert.equal(second.code, 0, second.err);
    assert.equal(gets.length, cached, 'the second run uses the cache');
  } finally {
    delete process.env.EXITGYM_CACHE_DIR;
  }
});

test('with the Hub unreachable, `exitgym eval` without --model ends in one line saying what to pass instead', async () => {
  const saved = process.env.EXITGYM_HF_ENDPOINT;
  process.env.EXITGYM_HF_ENDPOINT = 'http://127.0.0.1:9';
  process.env.EXITGYM_CACHE_DIR = await mkdtemp(join(tmpdir(), 'exitgym-hub-cache-'));
  try {
    const err: string[] = [];
    const code = await main(['eval', '--env', 'fixture-arith-hub', '--quiet'], { stdout: () => {}, stderr: (t) => err.push(t) });
    assert.equal(code, 1);
    const last = err[err.length - 1] ?? '';
    assert.equal(last.split('\n').length, 1);
    assert.match(last, /^exitgym eval: cannot list the files of HuggingFaceTB\/SmolLM2-135M-Instruct at http:\/\/127\.0\.0\.1:9\/api\/models\/HuggingFaceTB\/SmolLM2-135M-Instruct\/tree\/main: .+\. Offline\? Pass --model with a local checkpoint folder or an OpenAI-compatible URL\.$/);
  } finally {
    process.env.EXITGYM_HF_ENDPOINT = saved;
    delete process.env.EXITGYM_CACHE_DIR;
  }
});
