import assert from 'node:assert/strict';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startFakeHub, type FakeHub } from '../test/fixtures/fake-hub.js';
import { ensureHubModel, hubModelDir } from './hub-model.js';

let hub: FakeHub;
before(async () => {
  hub = await startFakeHub();
  process.env.EXITGYM_HF_ENDPOINT = hub.url;
});
after(async () => {
  delete process.env.EXITGYM_HF_ENDPOINT;
  await hub.close();
});

test('a hub model is downloaded once, verified, and then served from the cache', async () => {
  process.env.EXITGYM_CACHE_DIR = await mkdtemp(join(tmpdir(), 'exitgym-hub-cache-'));
  try {
    const dir = await ensureHubModel('org/tiny');
    assert.equal(dir, hubModelDir('org/tiny'));
    for (const [name, body] of hub.files) assert.deepEqual(await readFile(join(dir, name)), body, name);
    assert.ok(!hub.gets.some((g) => g.includes('README.md')), 'only the files a policy needs are fetched');
    const count = hub.gets.length;
    await ensureHubModel('org/tiny');
    assert.equal(hub.gets.length, count, 'a complete download is not fetched again');
  } finally {
    delete process.env.EXITGYM_CACHE_DIR;
  }
});

test('a corrupted small file is refused with both hashes', async () => {
  process.env.EXITGYM_CACHE_DIR = await mkdtemp(join(tmpdir(), 'exitgym-hub-cache-'));
  hub.corrupt = true;
  try {
    await assert.rejects(ensureHubModel('org/tiny'), /checksum mismatch for org\/tiny\/config\.json: expected git blob [0-9a-f]{40}, found [0-9a-f]{40}/);
    await assert.rejects(ensureHubModel('not an id'), /is not a Hugging Face model id/);
    await assert.rejects(ensureHubModel('org/missing'), /answered HTTP 404; check the model id "org\/missing"/);
  } finally {
    hub.corrupt = false;
    delete process.env.EXITGYM_CACHE_DIR;
  }
});
