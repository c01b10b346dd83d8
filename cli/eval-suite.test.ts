/**
 * `exitgym eval` over several splits (pooled row) and several seeds (mean ± std), and
 * `exitgym compare` over the resulting folders, through a real OpenAI-compatible server.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { arithEntry, arithTask, arithTaskIds } from '../test/fixtures/arith-env.js';
import { startChatServer, type ChatServer } from '../test/fixtures/chat-server.js';
import { captureIo } from '../test/fixtures/cli-io.js';
import { main } from './main.js';

const single = arithTaskIds.filter((id) => arithTask(id).pairs.length === 1);
const SPLITS: Record<string, string[]> = { a: single.slice(0, 2), b: single.slice(2, 6) };
const oddSum = (id: string): boolean => {
  const [x, y] = arithTask(id).pairs[0]!;
  return (x + y) % 2 === 1;
};

/** Right at once for odd sums; otherwise right after an improve step when the seed is odd. */
function answer(messages: { role: string; content: string }[], seed?: number): string {
  const last = messages[messages.length - 1]!.content;
  const m = /Compute (\d+) \+ (\d+)/.exec(last)!;
  const sum = Number(m[1]) + Number(m[2]);
  const improving = last.startsWith('Improve your current response');
  return `The answer is ${sum % 2 === 1 || (improving && (seed ?? 0) % 2 === 1) ? sum : sum + 1}`;
}

let server: ChatServer;
before(async () => {
  server = await startChatServer(answer);
  const entry = arithEntry('fixture-arith-splits', single);
  registerEnv({
    ...entry,
    optionsSchema: { type: 'object', properties: { split: { enum: Object.keys(SPLITS) } }, additionalProperties: false },
    tasks: async (options) => SPLITS[String(options.split)] ?? [],
  });
});
after(async () => {
  unregisterEnv('fixture-arith-splits');
  await server.close();
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, out, err } = captureIo();
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const evalArgs = (output: string, extra: string[]): string[] => ['eval', '--env', 'fixture-arith-splits', '--steps', '2', '--model', server.baseURL, '--output', output, '--quiet', '--concurrency', '2', ...extra];

test('several splits: one folder each, a pooled row over every chain, suite files at the top', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-splits-'));
  const r = await run(evalArgs(dir, ['--split', 'a,b']));
  assert.equal(r.code, 0, r.err);
  const suite = JSON.parse(await readFile(join(dir, 'suite.json'), 'utf8'));
  assert.deepEqual(suite.rows.map((x: { label: string }) => x.label), ['a', 'b', 'pooled']);
  const acc0 = (ids: string[]): number => ids.filter(oddSum).length / ids.length;
  const [a, b, pooled] = suite.rows.map((x: { aggregate: { mean: number[] } }) => x.aggregate.mean[0]);
  assert.equal(a, acc0(SPLITS.a!));
  assert.equal(b, acc0(SPLITS.b!));
  // Pooled over the 6 chains (not the mean of the two split rows, which would weigh a's 2 tasks like b's 4).
  assert.equal(pooled, acc0([...SPLITS.a!, ...SPLITS.b!]));
  for (const split of ['a', 'b']) JSON.parse(await readFile(join(dir, split, 'summary.json'), 'utf8'));
  assert.match(await readFile(join(dir, 'table.md'), 'utf8'), /\| pooled \|/);
  assert.match(await readFile(join(dir, 'plot.svg'), 'utf8'), /<svg/);
  assert.match(r.out, /^pooled: accuracy @0 /m);
});

test('--seeds N repeats the run and reports mean ± std per step; compare overlays the runs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-eval-seeds-'));
  const r = await run(evalArgs(dir, ['--split', 'b', '--seeds', '3', '--seed', '10']));
  assert.equal(r.code, 0, r.err);
  const suite = JSON.parse(await readFile(join(dir, 'suite.json'), 'utf8'));
  assert.deepEqual(suite.seeds, [10, 11, 12]);
  const perSeed = await Promise.all([10, 11, 12].map(async (s) => JSON.parse(await readFile(join(dir, `seed-${s}`, 'summary.json'), 'utf8')).headline.values as number[]));
  const row = suite.rows[0].aggregate;
  for (let k = 0; k <= 2; k++) {
    const xs = perSeed.map((v) => v[k]!);
    const m = xs.reduce((p, q) => p + q, 0) / 3;
    const sd = Math.sqrt(xs.reduce((p, q) => p + (q - m) ** 2, 0) / 2);
    assert.ok(Math.abs(row.mean[k] - m) < 1e-12, `mean at step ${k}`);
    assert.ok(Math.abs(row.std[k] - sd) < 1e-12, `std at step ${k}`);
  }
  assert.ok(perSeed.some((v) => v[2] !== perSeed[0]![2]), 'the seeds give different improve outcomes, so the std is not trivially 0');
  assert.match(r.out, /\(3 seeds\)/);

  const single = await mkdtemp(join(tmpdir(), 'exitgym-eval-one-'));
  assert.equal((await run(evalArgs(single, ['--split', 'b', '--seed', '10']))).code, 0);
  const out = await mkdtemp(join(tmpdir(), 'exitgym-compare-'));
  const c = await run(['compare', dir, single, '--output', out]);
  assert.equal(c.code, 0, c.err);
  const cmp = JSON.parse(await readFile(join(out, 'compare.json'), 'utf8'));
  assert.equal(cmp.runs.length, 2);
  assert.deepEqual(cmp.runs[1].mean, perSeed[0], 'a single run compares with its own per-step accuracy');
  assert.deepEqual(cmp.runs[0].mean, row.mean, 'a seed suite compares with its mean');
  const svg = await readFile(join(out, 'compare.svg'), 'utf8');
  assert.equal((svg.match(/aria-roledescription="line mark"/g) ?? []).length, 2, 'one curve per run');
  assert.match(c.out, /\| step 0 \| step K \| Δ_K \|/);

  // A training run folder: each validation eval (eval/<iteration>/, the same files) is one curve, by iteration.
  const train = await mkdtemp(join(tmpdir(), 'exitgym-train-run-'));
  for (const it of ['10', '2']) await cp(single, join(train, 'eval', it), { recursive: true });
  await mkdir(join(train, 'eval', 'notes'));
  const t = await run(['compare', train, '--output', out]);
  assert.equal(t.code, 0, t.err);
  const tr = JSON.parse(await readFile(join(out, 'compare.json'), 'utf8'));
  assert.deepEqual(
    tr.runs.map((x: { label: string }) => x.label),
    [2, 10].map((it) => `${basename(train)}@${it}`),
  );
  assert.deepEqual(tr.runs[0].mean, perSeed[0]);
});

test('compare refuses folders without eval results and runs of different metrics', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'exitgym-compare-empty-'));
  const r = await run(['compare', empty]);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /no summary\.json or suite\.json/);
  const none = await run(['compare']);
  assert.equal(none.code, 2);
});
