import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import { gradeSubmission, parseTable } from '../../envs/mlebench/grading/index.js';
import { competition } from './competitions.js';
import { prepareCompetition } from './prepare.js';
import { trainTestSplitIndices } from '../train-test-split.js';
import { generateSyntheticFiles } from './synthetic/index.js';

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'exitgym-prepare-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const text = (v: string | Uint8Array | undefined): string => (typeof v === 'string' ? v : Buffer.from(v ?? new Uint8Array()).toString('utf8'));
const rows = (csv: string): string[][] => {
  const t = parseTable(csv);
  assert.ok(t.ok);
  return t.value.rows;
};

/** Writes a fake Kaggle download, prepares it, and returns the prepared dir. */
let calls = 0;
async function prepare(id: string, kaggle: Record<string, string | Uint8Array>): Promise<string> {
  // A fresh download and output folder per call, so no test sees another's files.
  const n = ++calls;
  const dir = join(root, `kaggle-${id}-${n}`);
  for (const [name, content] of Object.entries(kaggle)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return (await prepareCompetition(id, dir, join(root, `out-${n}`))).dir;
}

async function sampleIsValid(id: string, dir: string): Promise<void> {
  const c = competition(id);
  const r = gradeSubmission(c, await readFile(join(dir, 'public', c.sampleSubmissionFile)), await readFile(join(dir, 'private', c.answersFile)));
  assert.equal(r.valid, true, r.error ?? '');
}

test('spooky: the test rows are train_test_split(test_size=0.1, random_state=0) of train.csv', async () => {
  const syn = await generateSyntheticFiles('spooky-author-identification', { seed: 1, scale: 0.05 });
  const kaggleTrain = text(syn.get('public/train.csv'));
  const dir = await prepare('spooky-author-identification', { 'train.csv': kaggleTrain });
  const original = rows(kaggleTrain);
  const { test: testIdx, train: trainIdx } = trainTestSplitIndices(original.length, 0.1);
  const answers = rows(await readFile(join(dir, 'private/test.csv'), 'utf8'));
  assert.deepEqual(answers.map((r) => r[0]), testIdx.map((i) => original[i]?.[0]));
  answers.forEach((r, k) => assert.equal(['EAP', 'HPL', 'MWS'][r.slice(1).indexOf('1')], original[testIdx[k] as number]?.[2]));
  assert.deepEqual(rows(await readFile(join(dir, 'public/train.csv'), 'utf8')), trainIdx.map((i) => original[i]));
  assert.doesNotMatch(await readFile(join(dir, 'public/test.csv'), 'utf8'), /author/);
  await sampleIsValid('spooky-author-identification', dir);
});

test('nomad: ids renumbered 1..n in split order, geometry files follow their material', async () => {
  const syn = await generateSyntheticFiles('nomad2018-predict-transparent-conductors', { seed: 1, scale: 0.1 });
  const kaggle: Record<string, string | Uint8Array> = { 'train.csv': text(syn.get('public/train.csv')) };
  for (const [k, v] of syn) if (k.startsWith('public/train/')) kaggle[k.slice('public/'.length)] = v;
  const dir = await prepare('nomad2018-predict-transparent-conductors', kaggle);
  const original = rows(text(syn.get('public/train.csv')));
  const { test: testIdx } = trainTestSplitIndices(original.length, 0.1);
  const answers = rows(await readFile(join(dir, 'private/test.csv'), 'utf8'));
  assert.deepEqual(answers.map((r) => r[0]), testIdx.map((_, k) => String(k + 1)));
  assert.deepEqual(answers[0]?.slice(1), original[testIdx[0] as number]?.slice(1));
  const moved = await readFile(join(dir, 'public/test/1/geometry.xyz'), 'utf8');
  assert.equal(moved, text(syn.get(`public/train/${original[testIdx[0] as number]?.[0]}/geometry.xyz`)));
  assert.doesNotMatch((await readFile(join(dir, 'public/test.csv'), 'utf8')).split('\n')[0] ?? '', /bandgap/);
  await sampleIsValid('nomad2018-predict-transparent-conductors', dir);
});

test('cactus: images from Kaggle train.zip (train/ folder) re-zipped at the archive root per split', async () => {
  const syn = await generateSyntheticFiles('aerial-cactus-identification', { seed: 1, scale: 0.05 });
  const images = unzipSync(syn.get('public/train.zip') as Uint8Array);
  const kaggleZip = zipSync(Object.fromEntries(Object.entries(images).map(([n, b]) => [`train/${n}`, b])));
  const dir = await prepare('aerial-cactus-identification', { 'train.csv': text(syn.get('public/train.csv')), 'train.zip': kaggleZip });
  const testZip = unzipSync(new Uint8Array(await readFile(join(dir, 'public/test.zip'))));
  const answers = rows(await readFile(join(dir, 'private/test.csv'), 'utf8'));
  assert.deepEqual(Object.keys(testZip).sort(), answers.map((r) => r[0]).sort());
  assert.equal(answers.length, Math.ceil(0.19 * Object.keys(images).length));
  await sampleIsValid('aerial-cactus-identification', dir);
});

test('pizza (zipped train.json), insults and jigsaw (no split) prepare into gradable folders', async () => {
  const pizza = await generateSyntheticFiles('random-acts-of-pizza', { seed: 1, scale: 0.1 });
  const pdir = await prepare('random-acts-of-pizza', { 'train.json.zip': zipSync({ 'train.json': Buffer.from(text(pizza.get('public/train.json'))) }) });
  const testJson = JSON.parse(await readFile(join(pdir, 'public/test.json'), 'utf8')) as Array<Record<string, unknown>>;
  assert.ok(testJson.length > 0 && !('requester_received_pizza' in (testJson[0] as object)) && !('requester_user_flair' in (testJson[0] as object)));
  await sampleIsValid('random-acts-of-pizza', pdir);

  const ins = await generateSyntheticFiles('detecting-insults-in-social-commentary', { seed: 1, scale: 0.1 });
  const idir = await prepare('detecting-insults-in-social-commentary', { 'train.csv': text(ins.get('public/train.csv')), 'test_with_solutions.csv': text(ins.get('private/test.csv')) });
  assert.equal(await readFile(join(idir, 'private/gold_submission.csv'), 'utf8'), text(ins.get('private/gold_submission.csv')));
  await sampleIsValid('detecting-insults-in-social-commentary', idir);

  const jig = await generateSyntheticFiles('jigsaw-toxic-comment-classification-challenge', { seed: 1, scale: 0.5 });
  const jdir = await prepare('jigsaw-toxic-comment-classification-challenge', { 'train.csv': text(jig.get('public/train.csv')), 'test.csv': text(jig.get('public/test.csv')), 'test_labels.csv': text(jig.get('private/test.csv')) });
  await sampleIsValid('jigsaw-toxic-comment-classification-challenge', jdir);
});

test("pizza with Kaggle's test.json: its share of rows and its fields decide the split, as upstream", async () => {
  const pizza = await generateSyntheticFiles('random-acts-of-pizza', { seed: 2, scale: 0.1 });
  const trainJson = text(pizza.get('public/train.json'));
  const kaggleTest = text(pizza.get('public/test.json'));
  const nTrain = (JSON.parse(trainJson) as unknown[]).length;
  const nTest = (JSON.parse(kaggleTest) as unknown[]).length;
  const dir = await prepare('random-acts-of-pizza', { 'train.json': trainJson, 'test.json': kaggleTest });
  const { test: testIdx } = trainTestSplitIndices(nTrain, nTest / (nTrain + nTest));
  const original = JSON.parse(trainJson) as Array<Record<string, unknown>>;
  const answers = rows(await readFile(join(dir, 'private/test.csv'), 'utf8'));
  assert.deepEqual(answers.map((r) => r[0]), testIdx.map((i) => original[i]?.request_id));
  assert.deepEqual(answers.map((r) => r[1]), testIdx.map((i) => (original[i]?.requester_received_pizza ? '1' : '0')));
  const testRows = JSON.parse(await readFile(join(dir, 'public/test.json'), 'utf8')) as Array<Record<string, unknown>>;
  assert.deepEqual(Object.keys(testRows[0] as object), Object.keys((JSON.parse(kaggleTest) as Array<Record<string, unknown>>)[0] as object));
  assert.equal(Object.keys(testRows[0] as object).length, 17);
  const sample = rows(await readFile(join(dir, 'public/sampleSubmission.csv'), 'utf8'));
  assert.deepEqual(sample.map((r) => r[0]), answers.map((r) => r[0]), 'sample submission in test order');
  assert.ok(sample.every((r) => r[1] === '0'));
  assert.deepEqual(Object.keys(unzipSync(new Uint8Array(await readFile(join(dir, 'public/test.zip'))))), ['test.json']);
  await sampleIsValid('random-acts-of-pizza', dir);
});

test("nomad from Kaggle's own zips (train.csv.zip, train.zip with train/<id>/geometry.xyz); a missing geometry file is an error", async () => {
  const syn = await generateSyntheticFiles('nomad2018-predict-transparent-conductors', { seed: 3, scale: 0.1 });
  const geometry: Record<string, Uint8Array> = {};
  for (const [k, v] of syn) if (k.startsWith('public/train/')) geometry[k.slice('public/'.length)] = typeof v === 'string' ? Buffer.from(v) : v;
  const trainCsv = Buffer.from(text(syn.get('public/train.csv')));
  const dir = await prepare('nomad2018-predict-transparent-conductors', { 'train.csv.zip': zipSync({ 'train.csv': trainCsv }), 'train.zip': zipSync(geometry) });
  const original = rows(text(syn.get('public/train.csv')));
  const { test: testIdx, train: trainIdx } = trainTestSplitIndices(original.length, 0.1);
  assert.equal(await readFile(join(dir, 'public/test/2/geometry.xyz'), 'utf8'), text(syn.get(`public/train/${original[testIdx[1] as number]?.[0]}/geometry.xyz`)));
  assert.equal(await readFile(join(dir, `public/train/${trainIdx.length}/geometry.xyz`), 'utf8'), text(syn.get(`public/train/${original[trainIdx[trainIdx.length - 1] as number]?.[0]}/geometry.xyz`)));
  await sampleIsValid('nomad2018-predict-transparent-conductors', dir);

  const first = Object.keys(geometry)[0] as string;
  const { [first]: _dropped, ...partial } = geometry;
  await assert.rejects(prepare('nomad2018-predict-transparent-conductors', { 'train.csv': trainCsv, 'train.zip': zipSync(partial) }), /no geometry\.xyz for material \d+ .* download the competition's train\.zip/);
});

test('a missing Kaggle file says what to download', async () => {
  await mkdir(join(root, 'empty'), { recursive: true });
  await assert.rejects(prepareCompetition('spooky-author-identification', join(root, 'empty'), join(root, 'out')), /train\.csv not found .* download the competition's data from Kaggle/);
});
