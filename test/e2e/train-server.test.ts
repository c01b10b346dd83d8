/**
 * Rollouts from `exitgym serve-model` (a real process) while the learner trains in process: the
 * server's sampled ids and logprobs are what the GRPO update trains on, the learner pushes its
 * weights after every update (`POST /v1/weights`), and the staleness of the samples is logged.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { registerEnv, unregisterEnv } from '../../envs/registry.js';
import { resolveTrainConfig } from '../../trainer/loop/presets.js';
import { train, type MetricsLine } from '../../trainer/loop/run.js';
import { patternEntry } from '../fixtures/pattern-env.js';
import { writeTinyModel } from '../../testing/tiny-model.js';

const root = new URL('../..', import.meta.url).pathname;
const ENV = 'server-test-pattern';
let proc: ChildProcess;
let baseURL: string;
let dir: string;

before(async () => {
  registerEnv(patternEntry(ENV));
  dir = await mkdtemp(join(tmpdir(), 'exitgym-train-server-'));
  await writeTinyModel(join(dir, 'model'), { seed: 2 });
  proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), 'serve-model', '--model', join(dir, 'model'), '--port', '0', '--name', 'tiny', '--backend', 'wasm'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  baseURL = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving tiny at (\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    proc.on('exit', (code) => reject(new Error(`serve-model exited with ${code}: ${err}`)));
  });
});
after(() => {
  proc.kill('SIGTERM');
  unregisterEnv(ENV);
});

test('training from serve-model rollouts: samples trained, weights pushed after each update, staleness logged', { timeout: 300_000 }, async () => {
  const config = resolveTrainConfig(
    { env: ENV, strategy: 'grpo', model: join(dir, 'model'), backend: 'wasm', iterations: 3, promptsPerIteration: 1, groupSize: 4, maxTokens: 8, grpo: { learningRate: 3e-3, beta: 0 }, rollout: { server: baseURL, modelName: 'tiny' } },
    () => 'fixture',
  );
  const lines: MetricsLine[] = [];
  await train({ config, runDir: join(dir, 'run'), onIteration: (m) => lines.push(m) });
  assert.equal(lines.length, 3);
  for (const m of lines) {
    assert.equal(m['rollout/null_rewards'], 0);
    assert.ok(m['losses/steps']! >= 1, 'the server samples were trained on');
    assert.ok(m['rollout/response_tokens_mean']! > 0);
  }
  // exitgym serve-model reloads the pushed weights: versions advance and staleness is measured.
  assert.deepEqual(lines.map((m) => m['rollout/weights_synced']), [1, 1, 1]);
  assert.deepEqual(lines.map((m) => m['rollout/weights_version']), [1, 2, 3]);
  for (const m of lines.slice(1)) assert.equal(m['rollout/staleness_mean'], 0, 'each iteration sampled with the weights of the update before it');
});
