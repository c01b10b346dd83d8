/**
 * `exitgym eval` with no --model: the default model comes from the Hub (played by a local server
 * serving the tiny checkpoint under the default model's id), once, then from the cache.
 */
import assert from 'node:assert/strict';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_MODEL, hubModelDir } from '../datasets/hub-model.js';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { arithEntry } from '../test/fixtures/arith-env.js';
import { startFakeHub, type FakeHub } from '../test/fixtures/fake-hub.js';
import { main } from './main.js';

let hub: FakeHub;
before(async () => {
  hub = await startFakeHub();
  process.env.EXITGYM_HF_ENDPOINT = hub.url;
  // A one-task env, so the eval tests below run in seconds without benchmark data.
  registerEnv(arithEntry('fixture-arith-hub', ['arith/0']));
});
after(async () => {
  unregisterEnv('fixture-arith-hub');
  delete process.env.EXITGYM_HF_ENDPOINT;
  await hub.close();
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
    const before = hub.gets.length;
    const first = await evalOnce();
    assert.equal(first.code, 0, first.err);
    assert.match(first.err, /no --model given: using the default local model HuggingFaceTB\/SmolLM2-135M-Instruct/);
    assert.ok(hub.gets.slice(before).some((g) => g.startsWith(`/${DEFAULT_MODEL}/resolve/main/`)), 'the weights came from the Hub');
    const summary = JSON.parse(await readFile(join(first.dir, 'summary.json'), 'utf8'));
    assert.equal(summary.config.model, `local:${hubModelDir(DEFAULT_MODEL)}`);
    assert.deepEqual(summary.steps.map((x: { n: number }) => x.n), [1, 1]);
    const cached = hub.gets.length;
    const second = await evalOnce();
    assert.equal(second.code, 0, second.err);
    assert.equal(hub.gets.length, cached, 'the second run uses the cache');
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
