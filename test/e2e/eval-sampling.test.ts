/**
 * Sampling as the paper evaluates: `exitgym eval` sends only what the user set, so a server applies
 * the model's own generation config, and the run records what the server says it used. Against a
 * real `exitgym serve-model` process on a tiny checkpoint whose generation_config.json sets its own
 * temperature, top_p and top_k, on the math fixture split.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../cli/main.js';
import { captureIo } from '../fixtures/cli-io.js';
import { spawnServeModel, type Served } from '../fixtures/serve-model.js';
import { writeTinyModel } from '../../testing/tiny-model.js';

let served: Served;
before(async () => {
  // The math fixture data (two problems of math500): no EXITGYM_DATA_DIR needed.
  process.env.EXITGYM_DATA_DIR = new URL('../fixtures/math/data', import.meta.url).pathname;
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-gencfg-'));
  // A context a little longer than the two prompts (~1,060 byte-level tokens), so that "the context
  // left" — what an unset max_tokens allows — is a few hundred tokens, not tens of thousands.
  await writeTinyModel(dir, { seed: 5, generationConfig: { temperature: 0.6, top_p: 0.95, top_k: 20 }, extraConfig: { max_position_embeddings: 1400 } });
  served = await spawnServeModel(dir, 'tiny-gencfg');
});
after(() => served?.proc.kill('SIGTERM'));

async function evalRun(extra: string[]): Promise<{ code: number; err: string; summary: { sampling: { requested: Record<string, unknown>; effective: Record<string, unknown>[] | null } } }> {
  const out = await mkdtemp(join(tmpdir(), 'exitgym-eval-sampling-'));
  const io = captureIo();
  const code = await main(['eval', '--env', 'math', '--split', 'math500', '--limit', '2', '--steps', '0', '--model', served.baseURL, '--output', out, '--quiet', ...extra], io.io);
  const summary = code === 0 ? JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) : undefined;
  return { code, err: io.err.join('\n'), summary };
}

test('no sampling flags: nothing is sent, and the checkpoint generation config the server applied is recorded', { timeout: 300_000 }, async () => {
  const r = await evalRun([]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.summary.sampling.requested, {}, 'only what the user set is sent');
  assert.equal(r.summary.sampling.effective?.length, 1, 'one configuration, whatever the prompt length');
  const [e] = r.summary.sampling.effective!;
  assert.equal(e!.temperature, 0.6);
  assert.equal(e!.top_p, 0.95);
  assert.equal(e!.top_k, 20);
  // Unset max_tokens: the server allows the context left, which differs per prompt.
  const range = e!.max_tokens as { min: number; max: number };
  assert.ok(range.min > 16 && range.max < 1400 && range.min < range.max, `the context left differs per prompt: ${JSON.stringify(range)}`);
});

test('flags the user sets are sent and win over the generation config', { timeout: 300_000 }, async () => {
  const r = await evalRun(['--temperature', '0.2', '--max-tokens', '8']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.summary.sampling.requested, { maxTokens: 8, temperature: 0.2 });
  const [e] = r.summary.sampling.effective!;
  assert.equal(e!.temperature, 0.2);
  assert.equal(e!.top_p, 0.95, 'what was not set still comes from the checkpoint');
  assert.deepEqual(e!.max_tokens, { min: 8, max: 8 });
});
