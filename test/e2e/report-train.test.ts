/**
 * The report on what the training loop really writes (not a hand-made metrics file): a short
 * `train()` run of the ExIt strategy with validation on the pattern fixture env and a tiny
 * random checkpoint (wasm), then `exitgym report` on its run folder. Pins the contract between
 * the loop's metric keys and the report's panels.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../cli/main.js';
import { registerEnv, unregisterEnv } from '../../envs/registry.js';
import { resolveTrainConfig } from '../../trainer/loop/presets.js';
import { train } from '../../trainer/loop/run.js';
import { captureIo } from '../fixtures/cli-io.js';
import { patternEntry } from '../fixtures/pattern-env.js';
import { writeTinyModel } from '../../testing/tiny-model.js';

const ENV = 'report-train-pattern';
before(() => registerEnv(patternEntry(ENV)));
after(() => unregisterEnv(ENV));

test('exitgym report draws every panel the training loop logs data for', { timeout: 600_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-train-'));
  const model = join(dir, 'model');
  await writeTinyModel(model, { seed: 1 });
  const config = resolveTrainConfig(
    {
      env: ENV,
      strategy: 'exit',
      model,
      backend: 'wasm',
      iterations: 3,
      promptsPerIteration: 2,
      groupSize: 4,
      maxTokens: 6,
      checkpointEvery: 100,
      validation: { split: null, every: 1, steps: 1, limit: 2 },
      curriculum: { capacity: 8, minSize: 1, replayProb: 1 },
    },
    () => 'fixture',
  );
  const runDir = join(dir, 'run');
  await train({ config, runDir });
  const io = captureIo();
  assert.equal(await main(['report', runDir], io.io), 0, io.err.join('\n'));
  const html = await readFile(join(runDir, 'report.html'), 'utf8');
  const drawn = [...html.matchAll(/<figure class="chart" id="panel-([a-z-]+)"/g)].map((m) => m[1]);
  // Everything but validation (off here) and staleness (in-process rollouts) has data.
  assert.deepEqual(drawn, [
    'reward',
    'null-rewards',
    'response-tokens',
    'learnability',
    'buffer-size',
    'buffer-scores',
    'depth-turn',
    'distinct-instances',
    'pairwise-distance',
    'loss',
    'kl',
    'clip-frac',
    'entropy',
    'grad-norm',
    'tokens-per-second',
    'iteration-seconds',
  ]);
  assert.match(html, /finished: 3 of 3 iterations logged/);
  // No panel is missing a series the loop is meant to log.
  assert.doesNotMatch(html, /Not drawn:/);
});
