import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { zipSync } from 'fflate';
import { main } from './main.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exitgym-grade-cli-'));
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'answers.csv'), 'request_id,requester_received_pizza\nt3_a,0\nt3_b,1\nt3_c,0\nt3_d,1\n');
  await writeFile(join(dir, 'good.csv'), 'request_id,requester_received_pizza\nt3_a,0.1\nt3_b,0.35\nt3_c,0.4\nt3_d,0.8\n');
  await writeFile(join(dir, 'bad.csv'), 'request_id,requester_received_pizza\nt3_a,0.1\n');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => (out += `${t}\n`), stderr: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

test('exitgym mlebench grade prints {score, normalized, valid, error, medal}', async () => {
  const r = await run(['mlebench', 'grade', '--competition', 'random-acts-of-pizza', '--submission', join(dir, 'good.csv'), '--answers', join(dir, 'answers.csv'), '--output', join(dir, 'report.json')]);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as Record<string, unknown>;
  assert.deepEqual({ score: json.score, normalized: json.normalized, valid: json.valid, error: json.error, medal: json.medal }, { score: 0.75, normalized: 0.75, valid: true, error: null, medal: 'bronze' });
  const full = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(full.competitionId, 'random-acts-of-pizza');
});

test('an invalid or missing submission is a result, a bad flag a usage error', async () => {
  const bad = JSON.parse((await run(['mlebench', 'grade', '--competition', 'random-acts-of-pizza', '--submission', join(dir, 'bad.csv'), '--answers', join(dir, 'answers.csv')])).out) as Record<string, unknown>;
  assert.equal(bad.valid, false);
  assert.equal(bad.errorKind, 'wrong_row_count');
  const none = JSON.parse((await run(['mlebench', 'grade', '--competition', 'random-acts-of-pizza', '--submission', join(dir, 'nope.csv'), '--answers', join(dir, 'answers.csv')])).out) as Record<string, unknown>;
  assert.match(String(none.error), /does not exist/);
  const usage = await run(['mlebench', 'grade', '--competition', 'pizza', '--submission', 'x', '--answers', 'y']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /unknown --competition "pizza"/);
  assert.equal((await run(['mlebench', 'grade', '--submission', 'x'])).code, 2);
});

test('exitgym datasets prepare mlebench --synthetic writes a gradable prepared folder', async () => {
  const out = join(dir, 'syn');
  const r = await run(['datasets', 'prepare', 'mlebench', '--synthetic', '--competition', 'spooky-author-identification', '--scale', '0.1', '--output', out]);
  assert.equal(r.code, 0, r.err);
  const [entry] = JSON.parse(r.out) as Array<{ dir: string }>;
  const g = await run(['mlebench', 'grade', '--competition', 'spooky-author-identification', '--submission', join(entry?.dir ?? '', 'public/sample_submission.csv'), '--answers', join(entry?.dir ?? '', 'private/test.csv')]);
  assert.equal((JSON.parse(g.out) as { valid: boolean }).valid, true);
  assert.equal((await run(['datasets', 'prepare', 'mlebench'])).code, 2);
  assert.equal((await run(['datasets', 'prepare', 'math', '--synthetic'])).code, 2);
});

test('exitgym datasets prepare mlebench --competition ID --kaggle-dir DIR splits a Kaggle download (SPEC.md §3)', async () => {
  const { generateSyntheticFiles } = await import('../datasets/mlebench/synthetic/index.js');
  const { trainTestSplitIndices } = await import('../datasets/train-test-split.js');
  const id = 'spooky-author-identification';
  // A stand-in for Kaggle's download: Kaggle ships spooky's labelled train.csv inside train.zip.
  const kaggleTrain = (await generateSyntheticFiles(id, { seed: 5, scale: 0.1 })).get('public/train.csv') as string;
  const kaggle = join(dir, 'kaggle-spooky');
  await mkdir(kaggle);
  await writeFile(join(kaggle, 'train.zip'), zipSync({ 'train.csv': Buffer.from(kaggleTrain) }));
  const out = join(dir, 'prepared-out');
  const r = await run(['datasets', 'prepare', 'mlebench', '--competition', id, '--kaggle-dir', kaggle, '--output', out]);
  assert.equal(r.code, 0, r.err);
  const [entry] = JSON.parse(r.out) as Array<{ competition: string; dir: string }>;
  assert.equal(entry?.competition, id);
  assert.equal(entry?.dir, join(out, id, 'prepared'));
  const prepared = entry?.dir ?? '';
  const list = async (sub: string): Promise<string[]> => (await readdir(join(prepared, sub))).sort();
  assert.deepEqual(await list('public'), ['description.md', 'sample_submission.csv', 'test.csv', 'train.csv'].filter((f) => f !== 'description.md' || process.env.EXITGYM_DATA_DIR));
  assert.deepEqual(await list('private'), ['test.csv']);
  // The rows of train_test_split(test_size=0.1, random_state=0), in its order.
  const original = kaggleTrain.trim().split('\n').slice(1);
  const { test: testIdx } = trainTestSplitIndices(original.length, 0.1);
  const answers = (await readFile(join(prepared, 'private/test.csv'), 'utf8')).trim().split('\n');
  assert.equal(answers[0], 'id,EAP,HPL,MWS');
  assert.deepEqual(answers.slice(1).map((l) => l.split(',')[0]), testIdx.map((i) => original[i]?.split(',')[0]));
  assert.equal((await readFile(join(prepared, 'public/test.csv'), 'utf8')).split('\n')[0], 'id,text');
  const g = await run(['mlebench', 'grade', '--competition', id, '--submission', join(prepared, 'public/sample_submission.csv'), '--answers', join(prepared, 'private/test.csv')]);
  const graded = JSON.parse(g.out) as { valid: boolean; score: number };
  assert.equal(graded.valid, true);
  assert.ok(graded.score > 1 && graded.score < 1.2, `the Kaggle prior scores ${graded.score}`);

  const missing = await run(['datasets', 'prepare', 'mlebench', '--competition', id, '--kaggle-dir', join(dir, 'nowhere'), '--output', out]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /--kaggle-dir .*nowhere does not exist/);
  const both = await run(['datasets', 'prepare', 'mlebench', '--kaggle-dir', kaggle, '--synthetic']);
  assert.equal(both.code, 2);
  assert.match(both.err, /exactly one of --kaggle-dir DIR or --synthetic/);
});
