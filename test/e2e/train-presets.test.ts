/**
 * Every `-local` preset of the five strategies runs 2 iterations on math, BFCL and one MLE-bench
 * competition (synthetic data, local sandbox) with the checkpoint the local presets are sized for
 * (testing/local-model.ts: one layer, a vocabulary learnt from the envs' prompts, so a BFCL
 * prompt is ~0.1–0.4k tokens instead of ~16k bytes). Needs the data (EXITGYM_DATA_DIR).
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import '../../envs/builtin.js';
import { CURRICULUM_DOMAINS, STRATEGIES } from '../../curriculum/config.js';
import { envEntry } from '../../envs/registry.js';
import { deepMerge } from '../../trainer/loop/config.js';
import { resolveTrainConfig, trainPreset } from '../../trainer/loop/presets.js';
import { train, type MetricsLine } from '../../trainer/loop/run.js';
import { writeLocalModel } from '../../testing/local-model.js';

const DATA = process.env.EXITGYM_DATA_DIR;
const skip = DATA ? false : 'EXITGYM_DATA_DIR not set (math, BFCL and MLE-bench data)';
let dir: string;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'exitgym-presets-'));
  const info = await writeLocalModel(join(dir, 'tiny'), { seed: 1 });
  assert.deepEqual(info.corpus.missing, [], 'every env of the corpus has its data');
});

for (const domain of CURRICULUM_DOMAINS) {
  for (const strategy of STRATEGIES) {
    test(`${domain}/${strategy}-local runs 2 iterations`, { skip, timeout: 300_000 }, async () => {
      const preset = trainPreset(domain, strategy, { local: true });
      // MLE-bench's synthetic data under the temp dir: the local sandbox's unprivileged uid cannot read a 0700 home.
      const envOptions = domain === 'mlebench' ? { syntheticRoot: join(tmpdir(), 'exitgym-mlebench-synthetic') } : {};
      const config = resolveTrainConfig(deepMerge(preset, { model: join(dir, 'tiny'), iterations: 2, checkpointEvery: 2, envOptions }), (e) => envEntry(e).domain);
      const lines: MetricsLine[] = [];
      const result = await train({ config, runDir: join(dir, `${domain}-${strategy}`), onIteration: (m) => lines.push(m) });
      assert.equal(result.iteration, 2);
      assert.equal(lines.length, 2);
      for (const m of lines) {
        assert.equal(m['rollout/samples'], config.promptsPerIteration * config.groupSize);
        assert.equal(m['rollout/null_rewards'], 0, 'no infrastructure failure');
        // The random model writes no tool call or finish tag, so BFCL's overlong filter masks every reply: no step to take.
        if (domain !== 'bfcl') assert.ok(m['losses/steps']! >= config.grpo.epochs, 'the GRPO update ran every epoch');
      }
      // Only the buffer-using strategies fill the buffer.
      if (strategy === 'grpo') assert.equal(lines[1]!['curriculum/buffer_size'], 0);
      else assert.ok(lines[1]!['curriculum/buffer_size']! > 0, 'the buffer holds the scored starts');
    });
  }
}
