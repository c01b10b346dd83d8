/**
 * Soak: 64 rollouts at once through `MleBenchEnv` on one sandbox of each kind, half hostile (every class of
 * issue 15 that a single run can try), half ordinary. Every ordinary rollout must be graded exactly
 * as the grader grades its submission on the host, every hostile one must earn 0 without a throw,
 * and afterwards the host process is alive and nothing of the runs is left.
 * Needs EXITGYM_DATA_DIR (descriptions), bubblewrap and Debian's python3 (skips with one line otherwise).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureSynthetic } from '../../datasets/mlebench/synthetic/index.js';
import { assertHostClean, fixture, freeBytes } from '../../test/fixtures/sandbox/hostile-suite.js';
import { dockerGate } from '../../test/fixtures/sandbox/docker-gate.js';
import { localSandboxMissing } from '../../test/fixtures/sandbox/local-gate.js';
import { baseStart } from '../../core/start-state.js';
import { MleBenchEnv } from './env.js';
import { gradeSubmission } from './grading/index.js';
import { createSandbox, type SandboxKind, type SandboxLimits } from './sandbox/index.js';

const ID = 'random-acts-of-pizza';
const fenced = (code: string): string => `\`\`\`python\n${code}\n\`\`\``;

/** Ordinary solution `i`: the sample submission's ids with a deterministic prediction per row. */
const ordinary = (i: number): string =>
  [
    'import csv, os',
    "rows = list(csv.reader(open(os.path.join(os.environ['PUBLIC_RESOURCE_PATH'], 'sampleSubmission.csv'))))",
    "with open('submission.csv', 'w', newline='') as f:",
    "    w = csv.writer(f, lineterminator='\\n')",
    '    w.writerow(rows[0])',
    '    for k, r in enumerate(rows[1:]):',
    `        w.writerow([r[0], ((k * ${i + 1}) % 97) / 97])`,
  ].join('\n');

/** The same submission, built on the host. */
function expectedCsv(sample: string, i: number): string {
  const [header, ...rows] = sample.trim().split('\n');
  return `${[header, ...rows.map((r, k) => `${r.split(',')[0]},${((k * (i + 1)) % 97) / 97}`)].join('\n')}\n`;
}

const HOSTILE: Array<{ name: string; code: string; limits?: SandboxLimits }> = [
  { name: 'exit 125', code: fixture('exit125.py').replace("'id,y\\n1,0\\n'", "'x\\n'") },
  { name: 'spoofed causes', code: fixture('spoof_causes.py') },
  { name: 'infinite loop', code: fixture('infinite_loop.py'), limits: { wallSeconds: 5 } },
  { name: 'fork bomb', code: fixture('fork_bomb.py'), limits: { wallSeconds: 5, maxProcesses: 24 } },
  { name: 'memory hog', code: fixture('memory_hog.py'), limits: { memoryMb: 200 } },
  { name: 'deep tree', code: `${fixture('deep_tree.py')}\nopen('submission.csv', 'w').write('nope')\n` },
  { name: 'disk fill', code: fixture('disk_fill.py'), limits: { maxDiskBytes: 32 * 1024 * 1024 } },
  { name: 'sparse 512 MiB submission', code: fixture('sparse_submission.py') },
];

function soak(kind: SandboxKind): void {
  test(`soak (${kind} sandbox): 64 rollouts at once, half hostile: ordinary ones graded exactly, hostile ones 0, host intact`, { timeout: 300_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'exitgym-soak-'));
    chmodSync(root, 0o755);
    const diskBefore = freeBytes();
    const sandbox = createSandbox(kind);
    try {
      const prepared = await ensureSynthetic(ID, { root, seed: 3, scale: 1 });
      const sample = readFileSync(join(prepared, 'public', 'sampleSubmission.csv'), 'utf8');
      const answers = readFileSync(join(prepared, 'private', 'test.csv'));
      const jobs = Array.from({ length: 64 }, (_, i) => {
        const hostile = i % 2 === 1 ? HOSTILE[(i >> 1) % HOSTILE.length] : undefined;
        return { i, hostile, code: hostile ? hostile.code : ordinary(i) };
      });
      const started = performance.now();
      const results = await Promise.all(
        jobs.map(async (job) => {
          const limits: SandboxLimits = { wallSeconds: 90, memoryMb: 512, maxProcesses: 32, ...job.hostile?.limits };
          const env = new MleBenchEnv(ID, { syntheticRoot: root, seed: 3, sandboxInstance: sandbox, limits });
          try {
            await env.reset(baseStart(ID));
            return await env.step(fenced(job.code));
          } finally {
            await env.close();
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      for (const [k, job] of jobs.entries()) {
        const r = results[k] as (typeof results)[number];
        if (job.hostile) {
          assert.equal(r.reward, 0, `${job.hostile.name}: ${String(r.info.feedback)}`);
          assert.equal(r.info.valid, false, job.hostile.name);
        } else {
          const expected = gradeSubmission(ID, expectedCsv(sample, job.i), answers);
          assert.equal(r.info.valid, true, `ordinary ${job.i}: ${String(r.info.feedback)}`);
          assert.equal(r.info.score, expected.score, `ordinary ${job.i}`);
          assert.equal(r.info.quality, expected.normalized);
        }
      }
      assert.equal(spawnSync('true').status, 0, 'the host can still start processes');
      console.log(`# soak (${kind}): 64 rollouts in ${seconds.toFixed(1)} s`);
    } finally {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    }
    await assertHostClean(kind, diskBefore);
  });
}

const missing = localSandboxMissing({ data: true });
if (missing) {
  test('soak: 64 rollouts at once, half hostile', (t) => t.skip(missing));
} else {
  soak('local');
  const probe = await dockerGate();
  if (probe.ok) soak('docker');
  else test('soak (docker sandbox)', (t) => t.skip(probe.reason));
}
