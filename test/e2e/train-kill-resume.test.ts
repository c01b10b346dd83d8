/**
 * `exitgym train` as a real process: SIGKILL it in the middle of an iteration, run the same
 * command again, and the run finishes with the metrics of an uninterrupted run (timings aside).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTinyModel } from '../../testing/tiny-model.js';

const root = new URL('../..', import.meta.url).pathname;

function trainProcess(configPath: string, runDir: string): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), 'train', '--config', configPath, '--run-dir', runDir, '--quiet'], {
    cwd: root,
    env: { ...process.env, EXITGYM_PLUGINS: join(root, 'test/fixtures/pattern-plugin.ts') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function finish(p: ReturnType<typeof spawn>): Promise<{ code: number | null; err: string }> {
  let err = '';
  p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => p.on('close', (c) => resolve(c)));
  return { code, err };
}

const lines = (runDir: string): Record<string, number>[] => {
  const path = join(runDir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, number>);
};

/** A metrics line without what depends on the clock. */
const timeless = (m: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'time' && !k.startsWith('perf/')));

test('kill -9 mid-iteration, then the same command: the run finishes and its metrics equal the uninterrupted run', { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-train-kill-'));
  await writeTinyModel(join(dir, 'model'), { seed: 3 });
  const config = {
    env: 'fixture-pattern',
    strategy: 'exit',
    model: join(dir, 'model'),
    backend: 'wasm',
    iterations: 6,
    promptsPerIteration: 2,
    groupSize: 4,
    maxTokens: 8,
    seed: 11,
    checkpointEvery: 2,
    curriculum: { capacity: 8, minSize: 2 },
    grpo: { learningRate: 3e-3, beta: 0.01, epochs: 2, minibatch: 4 },
    reference: { every: 3, alpha: 0.5 },
  };
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config));

  const full = join(dir, 'full');
  const a = await finish(trainProcess(configPath, full));
  assert.equal(a.code, 0, a.err);
  const expected = lines(full);
  assert.equal(expected.length, 6);

  const killed = join(dir, 'killed');
  const p = trainProcess(configPath, killed);
  // Kill soon after iteration 3's line is written: inside iteration 4, after checkpoint 2.
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (lines(killed).length >= 3) {
        clearInterval(timer);
        p.kill('SIGKILL');
        resolve();
      }
    }, 20);
    p.on('close', () => {
      clearInterval(timer);
      reject(new Error('the run ended before it could be killed'));
    });
  });
  await new Promise((r) => p.on('close', r));
  assert.ok(lines(killed).length < 6, 'the kill landed before the end');
  const b = await finish(trainProcess(configPath, killed));
  assert.equal(b.code, 0, b.err);
  assert.match(b.err, /resuming .* after iteration [24]/);
  const got = lines(killed);
  assert.deepEqual(got.map((m) => m.iteration), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(got.map(timeless), expected.map(timeless));

  // The same run folder with another config is refused, naming the field.
  await writeFile(configPath, JSON.stringify({ ...config, groupSize: 2 }));
  const c = await finish(trainProcess(configPath, killed));
  assert.notEqual(c.code, 0);
  assert.match(c.err, /field "groupSize" was 4, now 2/);
});

test('SIGTERM finishes the iteration, writes a checkpoint and exits 0; the same command resumes there', { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-train-term-'));
  await writeTinyModel(join(dir, 'model'), { seed: 4 });
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ env: 'fixture-pattern', strategy: 'grpo', model: join(dir, 'model'), backend: 'wasm', iterations: 6, promptsPerIteration: 1, groupSize: 4, maxTokens: 6, checkpointEvery: 100, grpo: { learningRate: 3e-3, beta: 0 } }));
  const runDir = join(dir, 'run');
  const p = trainProcess(configPath, runDir);
  let out = '';
  p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setInterval(() => {
    if (lines(runDir).length >= 1) {
      clearInterval(timer);
      p.kill('SIGTERM');
    }
  }, 20);
  const a = await finish(p);
  clearInterval(timer);
  assert.equal(a.code, 0, a.err);
  const m = /stopped after iteration (\d+); checkpoint (\S+)\./.exec(out);
  assert.ok(m, `says where it stopped: ${out}`);
  assert.ok(existsSync(join(m[2] as string, 'state.json')), 'the checkpoint of the stopping iteration exists');
  assert.ok(Number(m[1]) < 6);
  const b = await finish(trainProcess(configPath, runDir));
  assert.equal(b.code, 0, b.err);
  assert.match(b.err, new RegExp(`resuming .* after iteration ${m[1]}`));
  assert.deepEqual(lines(runDir).map((l) => l.iteration), [1, 2, 3, 4, 5, 6]);
});
