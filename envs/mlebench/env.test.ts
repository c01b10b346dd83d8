/**
 * MleBenchEnv end to end on synthetic data: the six reference solutions (test/fixtures/mlebench)
 * run in the sandbox and score inside the bands SPEC.md §6 predicts; the empty starting script and
 * hostile scripts earn 0 with a clear feedback line; prompts and rewards follow the paper.
 * Needs EXITGYM_DATA_DIR (descriptions) and bubblewrap + Debian's python3 stack; Docker runs are
 * gated on a reachable daemon with the exitgym image.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { COMPETITIONS } from '../../datasets/mlebench/competitions.js';
import { baseStart } from '../../core/start-state.js';
import { FAILURE_PREFIX, MleBenchEnv } from './env.js';
import { DEFAULT_SOLUTION, GOAL_PREAMBLES } from './prompt.js';
import { dockerGate } from '../../test/fixtures/sandbox/docker-gate.js';
import { createSandbox, DEFAULT_PYTHON, type Sandbox } from './sandbox/index.js';
import { localSandboxMissing } from '../../test/fixtures/sandbox/local-gate.js';

/**
 * What SPEC.md §6 predicts for each reference solution's model class (its "Calibration (measured)"
 * line), and the tolerance the tests allow around it: ±0.04 for AUC and log loss (SPEC.md §6.0:
 * small test sets make AUC noisy by about that much), ±0.01 for nomad's RMSLE (60 test rows).
 * The synthetic data and the Debian scikit-learn stack are deterministic, so a score is the same
 * on every run and in both sandboxes; seed 0 scores (measured): pizza 0.841, spooky 0.611,
 * insults 0.852, nomad 0.0513, jigsaw 0.909, cactus 0.902.
 */
const PREDICTED: Record<string, { spec: [number, number]; model: string; tolerance: number }> = {
  'random-acts-of-pizza': { spec: [0.78, 0.81], model: 'text + numeric + giver indicator, LR', tolerance: 0.04 },
  'spooky-author-identification': { spec: [0.54, 0.62], model: 'TF-IDF unigram + multinomial LR', tolerance: 0.04 },
  'detecting-insults-in-social-commentary': { spec: [0.81, 0.84], model: 'TF-IDF 1-2 grams + LR', tolerance: 0.04 },
  'nomad2018-predict-transparent-conductors': { spec: [0.051, 0.055], model: 'least squares with pairwise composition products', tolerance: 0.01 },
  'jigsaw-toxic-comment-classification-challenge': { spec: [0.88, 0.92], model: 'per-class TF-IDF + LR', tolerance: 0.04 },
  'aerial-cactus-identification': { spec: [0.93, 0.94], model: 'hand-made colour/shape features + LR', tolerance: 0.04 },
};
const BANDS: Record<string, [number, number]> = Object.fromEntries(
  Object.entries(PREDICTED).map(([id, p]) => [id, [p.spec[0] - p.tolerance, p.spec[1] + p.tolerance]]),
);

const outside = (id: string, score: number): string => {
  const p = PREDICTED[id] as (typeof PREDICTED)[string];
  return `${id}: score ${score} is outside [${BANDS[id]?.join(', ')}], SPEC.md §6's [${p.spec.join(', ')}] for ${p.model} ± ${p.tolerance}`;
};
const fixture = (id: string): Promise<string> => readFile(new URL(`../../test/fixtures/mlebench/${id}.py`, import.meta.url), 'utf8');
const fenced = (code: string): string => `Plan: a simple model.\n\`\`\`python\n${code}\n\`\`\``;

const missing = localSandboxMissing({ data: true });

if (missing) {
  test('MleBenchEnv end to end', (t) => t.skip(missing));
} else {
  describe('MleBenchEnv (local sandbox, synthetic data)', () => {
    let root = '';
    let sandbox: Sandbox;
    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'exitgym-mle-'));
      // The sandbox drops to an unprivileged uid before mounting the data dir, which must be readable to it.
      await chmod(root, 0o755);
      sandbox = createSandbox('local');
    });
    after(async () => {
      await sandbox.close();
      await rm(root, { recursive: true, force: true });
    });
    const make = (id: string, extra: Record<string, unknown> = {}): MleBenchEnv => new MleBenchEnv(id, { syntheticRoot: root, sandboxInstance: sandbox, ...extra });

    for (const c of COMPETITIONS) {
      test(`${c.id}: the reference solution scores in its band; the empty script scores 0`, async () => {
        const env = make(c.id);
        const first = await env.reset(baseStart(c.id));
        const prompt = first.observation[0]?.content ?? '';
        assert.ok(prompt.includes(DEFAULT_SOLUTION.trimEnd()), 'base prompt shows the default script');
        assert.ok(prompt.includes(GOAL_PREAMBLES.improve));
        assert.match(prompt, /# Previews of files located at PUBLIC_RESOURCE_PATH:\n\n-> /);
        const ref = await env.step(fenced(await fixture(c.id)));
        const [lo, hi] = BANDS[c.id] as [number, number];
        const score = ref.info.score as number;
        assert.equal(ref.info.valid, true, String(ref.info.feedback));
        assert.ok(score >= lo && score <= hi, outside(c.id, score));
        assert.equal(ref.reward, ref.info.quality);
        assert.ok(ref.terminated && !ref.truncated);
        assert.match(String(ref.info.feedback), /^submission\.csv is valid: score /);

        await env.reset(baseStart(c.id));
        const empty = await env.step(fenced(DEFAULT_SOLUTION));
        assert.equal(empty.reward, 0);
        assert.equal(empty.info.quality, 0);
        assert.match(String(empty.info.feedback), /no submission\.csv was written/);
        assert.match(String(empty.info.error), /no submission\.csv/);
        await env.close();
      });
    }

    test('improve steps earn the normalised improvement; a failed iterate makes the next step a debug step', async () => {
      const id = 'spooky-author-identification';
      const env = make(id);
      await env.reset(baseStart(id));
      const prior = await env.step(fenced("import os, shutil\nshutil.copy(os.path.join(os.environ['PUBLIC_RESOURCE_PATH'], 'sample_submission.csv'), 'submission.csv')"));
      const q0 = prior.info.quality as number;
      assert.ok(q0 > 0.2 && q0 < 0.35, `prior quality ${q0}`);
      const history = env.trace();
      assert.equal(history[0]?.iterates[0]?.kind, 'initial');

      const improve = await env.reset({ taskId: id, turns: history, mode: 'improve', depth: 1 });
      assert.ok(improve.observation[0]?.content.includes('shutil.copy'), 'the previous solution is the code block');
      assert.equal(improve.info.goal, 'improve');
      const better = await env.step(fenced(await fixture(id)));
      const q1 = better.info.quality as number;
      assert.ok(Math.abs(better.reward - (q1 - q0) / (1 - q0)) < 1e-12, `reward ${better.reward}`);

      await env.reset({ taskId: id, turns: history, mode: 'improve', depth: 1 });
      const crash = await env.step(fenced('raise ValueError("bad feature matrix")'));
      assert.equal(crash.reward, 0);
      assert.ok(String(crash.info.feedback).startsWith(FAILURE_PREFIX));
      assert.match(String(crash.info.feedback), /^solution\.py failed: exited with code 1 \(no submission\.csv was written\)\nstderr \(end\), printed by solution\.py itself \(untrusted[^\n]*\n```\n[^]*ValueError: bad feature matrix\n```$/);
      const debug = await env.reset({ taskId: id, turns: env.trace(), mode: 'improve', depth: 2 });
      assert.equal(debug.info.goal, 'debug');
      const text = debug.observation[0]?.content ?? '';
      assert.ok(text.includes(GOAL_PREAMBLES.debug));
      assert.ok(text.indexOf('ValueError: bad feature matrix') > text.indexOf('raise ValueError'), 'the error trace sits below the code block');

      const diverge = await env.reset({ taskId: id, turns: history, mode: 'diverge', depth: 1 });
      assert.ok(diverge.observation[0]?.content.includes(GOAL_PREAMBLES.diverge));
      await env.close();
    });

    test('hostile scripts earn 0 with a one-line reason: endless loop, memory hog, reading outside, no code', async () => {
      const id = 'random-acts-of-pizza';
      const env = make(id, { limits: { wallSeconds: 2, memoryMb: 256 } });
      const run = async (action: string): Promise<Record<string, unknown>> => {
        await env.reset(baseStart(id));
        const r = await env.step(action);
        assert.equal(r.reward, 0);
        return r.info;
      };
      assert.match(String((await run(fenced('while True:\n    pass'))).feedback), /wall-time limit of 2 s exceeded/);
      assert.match(String((await run(fenced('x = bytearray(1 << 30)\nprint(len(x))'))).feedback), /out of memory|MemoryError/);
      const escape = await run(fenced("import os, shutil\nprint(open('/etc/shadow').read())"));
      assert.match(String(escape.feedback), /^solution\.py failed: exited with code 1 \(no submission\.csv was written\)\n[^]*(PermissionError|FileNotFoundError)/);
      assert.match(String((await run('Just use logistic regression.')).feedback), /no code block found/);
      await env.close();
    });
  });
}

const dockerProbe = missing ? { ok: false, reason: missing } : await dockerGate();
if (!dockerProbe.ok) {
  test('MleBenchEnv in the docker sandbox', (t) => t.skip(dockerProbe.reason));
} else {
  describe('MleBenchEnv (docker sandbox, synthetic data)', () => {
    let root = '';
    let sandbox: Sandbox;
    let hasPil = false;
    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'exitgym-mle-docker-'));
      await chmod(root, 0o755);
      sandbox = createSandbox('docker');
      hasPil = (await sandbox.run([], [DEFAULT_PYTHON, '-c', 'import PIL'], { wallSeconds: 60 })).exitCode === 0;
    });
    after(async () => {
      await sandbox.close();
      await rm(root, { recursive: true, force: true });
    });
    for (const c of COMPETITIONS) {
      test(`${c.id}: the reference solution scores in its band in Docker`, async (t) => {
        if (c.id === 'aerial-cactus-identification' && !hasPil) {
          // CI builds the image with Pillow, so there a missing Pillow is a broken image, not a skip.
          assert.notEqual(process.env.EXITGYM_REQUIRE_DOCKER, '1', 'the Docker image has no Pillow; rebuild it with scripts/build-python-image.sh --force');
          t.skip('the Docker image has no Pillow; build it with python3-pil in EXITGYM_IMAGE_PACKAGES');
          return;
        }
        const env = new MleBenchEnv(c.id, { syntheticRoot: root, sandboxInstance: sandbox });
        await env.reset(baseStart(c.id));
        const ref = await env.step(fenced(await fixture(c.id)));
        const [lo, hi] = BANDS[c.id] as [number, number];
        assert.equal(ref.info.valid, true, String(ref.info.feedback));
        assert.ok((ref.info.score as number) >= lo && (ref.info.score as number) <= hi, outside(c.id, ref.info.score as number));
        await env.reset(baseStart(c.id));
        const empty = await env.step(fenced(DEFAULT_SOLUTION));
        assert.equal(empty.reward, 0);
        assert.match(String(empty.info.feedback), /no submission\.csv was written/);
        await env.close();
      });
    }
  });
}

describe('MleBenchEnv options', () => {
  test('unknown options and contradictory data options are config errors', () => {
    assert.throws(() => new MleBenchEnv('random-acts-of-pizza', { sandbx: 'local' } as never), /unknown option "sandbx"/);
    assert.throws(() => new MleBenchEnv('random-acts-of-pizza', { synthetic: false }), /needs dataRoot/);
    assert.throws(() => new MleBenchEnv('random-acts-of-pizza', { sandbox: 'vm' as never }), /option sandbox must be one of "local", "docker"; got "vm"/);
    assert.throws(() => new MleBenchEnv('pizza'), /unknown MLE-bench competition "pizza"/);
  });

  test('spec: one step, quality and reward in [0, 1]', () => {
    const env = new MleBenchEnv('aerial-cactus-identification');
    assert.equal(env.spec.id, 'mlebench-aerial-cactus-identification');
    assert.deepEqual(env.spec.rewardRange, [0, 1]);
    assert.equal(env.spec.budgets.maxSteps, 1);
  });
});

test('closedToOthers finds the folder an unprivileged sandbox user cannot enter', async () => {
  const { closedToOthers } = await import('./env.js');
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-perm-'));
  try {
    await chmod(dir, 0o700);
    assert.equal(await closedToOthers(join(dir)), dir);
    await chmod(dir, 0o755);
    assert.equal(await closedToOthers(dir), undefined);
    await chmod(dir, 0o711);
    assert.equal(await closedToOthers(dir), dir, 'the data folder itself must be listable');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
