/**
 * `exitgym datasets prepare mlebench`: turns a user's Kaggle download into MLE-bench's
 * `prepared/{public,private}` split, following each competition's recipe in SPEC.md §3 (the same
 * rows as upstream, since the random splits reproduce scikit-learn's `train_test_split` with
 * `random_state=0`). Cell text is kept as read; files are written atomically.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { writeFileAtomic, writeJsonAtomic } from '../../core/atomic-write.js';
import { ConfigError, DatasetMissingError } from '../../core/errors.js';
import { resolveDatasetFile } from '../paths.js';
import { competition, type Competition } from './competitions.js';
import { KaggleDir } from './kaggle-dir.js';
import { trainTestSplitIndices } from '../train-test-split.js';
import { toCsv, zip, type SyntheticFiles } from './synthetic/common.js';

type Csv = { header: string[]; rows: string[][] };

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

function readCsv(bytes: Uint8Array, name: string): Csv {
  const records = parse(Buffer.from(bytes), { bom: true, skip_empty_lines: true }) as string[][];
  const header = records[0];
  if (!header) throw new ConfigError(`${name} is empty`);
  return { header, rows: records.slice(1) };
}

function col(csv: Csv, name: string, file: string): number {
  const i = csv.header.indexOf(name);
  if (i < 0) throw new ConfigError(`${file} has no "${name}" column (columns: ${csv.header.join(', ')}); is this the right competition's download?`);
  return i;
}

const pick = <T>(items: T[], idx: number[]): T[] => idx.map((i) => items[i] as T);

async function preparePizza(c: Competition, k: KaggleDir, testSize: number): Promise<SyntheticFiles> {
  const all = JSON.parse(Buffer.from(await k.file('train.json')).toString('utf8')) as Array<Record<string, unknown>>;
  // Upstream takes the test share and the test fields from Kaggle's (unlabelled) test.json; without
  // it, the registry's share (Kaggle's 1631 / 5671) and the fields that are not train-only.
  let kTest: Array<Record<string, unknown>> | undefined;
  try {
    kTest = JSON.parse(Buffer.from(await k.file('test.json')).toString('utf8')) as Array<Record<string, unknown>>;
  } catch (e) {
    if (!(e instanceof DatasetMissingError)) throw e;
  }
  const share = kTest && kTest.length > 0 ? kTest.length / (all.length + kTest.length) : testSize;
  const { train, test } = trainTestSplitIndices(all.length, share);
  const testFields =
    kTest && kTest.length > 0
      ? Object.keys(kTest[0] as object)
      : Object.keys(all[0] ?? {}).filter((k) => !k.endsWith('_at_retrieval') && !['post_was_edited', 'request_text', 'requester_user_flair', 'requester_received_pizza'].includes(k));
  const trainRows = pick(all, train);
  const testRows = pick(all, test);
  const trainJson = `${JSON.stringify(trainRows, null, 4)}\n`;
  const testJson = `${JSON.stringify(testRows.map((r) => Object.fromEntries(testFields.map((f) => [f, r[f]]))), null, 4)}\n`;
  const ids = testRows.map((r) => String(r.request_id));
  return new Map<string, string | Uint8Array>([
    ['public/train.json', trainJson],
    ['public/test.json', testJson],
    ['public/train.zip', zip({ 'train.json': trainJson })],
    ['public/test.zip', zip({ 'test.json': testJson })],
    [`public/${c.sampleSubmissionFile}`, toCsv(['request_id', 'requester_received_pizza'], ids.map((id) => [id, 0]))],
    ['private/test.csv', toCsv(['request_id', 'requester_received_pizza'], testRows.map((r) => [String(r.request_id), r.requester_received_pizza ? 1 : 0]))],
  ]);
}

const SPOOKY_PRIOR = ['0.403493538995863', '0.287808366106543', '0.308698094897594'];

async function prepareSpooky(c: Competition, k: KaggleDir, testSize: number): Promise<SyntheticFiles> {
  const csv = readCsv(await k.file('train.csv'), 'train.csv');
  const [id, text, author] = ['id', 'text', 'author'].map((n) => col(csv, n, 'train.csv')) as [number, number, number];
  const { train, test } = trainTestSplitIndices(csv.rows.length, testSize);
  const testRows = pick(csv.rows, test);
  const classes = ['EAP', 'HPL', 'MWS'];
  return new Map<string, string | Uint8Array>([
    ['public/train.csv', toCsv(csv.header, pick(csv.rows, train))],
    ['public/test.csv', toCsv(['id', 'text'], testRows.map((r) => [r[id] as string, r[text] as string]))],
    [`public/${c.sampleSubmissionFile}`, toCsv(['id', ...classes], testRows.map((r) => [r[id] as string, ...SPOOKY_PRIOR]))],
    ['private/test.csv', toCsv(['id', ...classes], testRows.map((r) => [r[id] as string, ...classes.map((k) => (r[author] === k ? 1 : 0))]))],
  ]);
}

async function prepareInsults(c: Competition, k: KaggleDir): Promise<SyntheticFiles> {
  const train = readCsv(await k.file('train.csv'), 'train.csv');
  const test = readCsv(await k.file('test_with_solutions.csv'), 'test_with_solutions.csv');
  const [ins, date, comment, usage] = ['Insult', 'Date', 'Comment', 'Usage'].map((n) => col(test, n, 'test_with_solutions.csv')) as [number, number, number, number];
  const trainComments = new Set(train.rows.map((r) => r[col(train, 'Comment', 'train.csv')]));
  if (test.rows.some((r) => trainComments.has(r[comment]))) throw new ConfigError('train.csv and test_with_solutions.csv share comments; MLE-bench asserts they are disjoint.');
  return new Map<string, string | Uint8Array>([
    ['public/train.csv', toCsv(train.header, train.rows)],
    ['public/test.csv', toCsv(['Date', 'Comment'], test.rows.map((r) => [r[date] as string, r[comment] as string]))],
    [`public/${c.sampleSubmissionFile}`, toCsv(['Insult', 'Date', 'Comment'], test.rows.map((r) => [0, r[date] as string, r[comment] as string]))],
    ['private/test.csv', toCsv(['Insult', 'Date', 'Comment', 'Usage'], test.rows.map((r) => [r[ins] as string, r[date] as string, r[comment] as string, r[usage] as string]))],
    ['private/gold_submission.csv', toCsv(['Insult', 'Date', 'Comment'], test.rows.map((r) => [r[ins] as string, r[date] as string, r[comment] as string]))],
  ]);
}

async function prepareNomad(c: Competition, k: KaggleDir, testSize: number): Promise<SyntheticFiles> {
  const csv = readCsv(await k.file('train.csv'), 'train.csv');
  const id = col(csv, 'id', 'train.csv');
  const targets = ['formation_energy_ev_natom', 'bandgap_energy_ev'];
  targets.forEach((t) => col(csv, t, 'train.csv'));
  const { train, test } = trainTestSplitIndices(csv.rows.length, testSize);
  const files: SyntheticFiles = new Map();
  // Ids are renumbered 1..n separately in train and test, in split order; geometry follows.
  const renumber = (idx: number[]): string[][] => idx.map((i, k) => Object.assign([...(csv.rows[i] as string[])], { [id]: String(k + 1) }));
  const trainRows = renumber(train);
  const testRows = renumber(test);
  const featureCols = csv.header.map((_, j) => j).filter((j) => !targets.includes(csv.header[j] as string));
  files.set('public/train.csv', toCsv(csv.header, trainRows));
  files.set('public/test.csv', toCsv(featureCols.map((j) => csv.header[j] as string), testRows.map((r) => featureCols.map((j) => r[j] as string))));
  files.set(`public/${c.sampleSubmissionFile}`, toCsv(['id', ...targets], testRows.map((r) => [r[id] as string, 0.1779, 1.8892])));
  files.set('private/test.csv', toCsv(csv.header, testRows));
  // Kaggle's train.zip holds train/<id>/geometry.xyz; every material of the split needs its file.
  const geometry = await k.tree('train');
  for (const [folder, idx] of [['train', train], ['test', test]] as const) {
    for (let n = 0; n < idx.length; n++) {
      const oldId = (csv.rows[idx[n] as number] as string[])[id] as string;
      const xyz = geometry.get(`${oldId}/geometry.xyz`);
      if (!xyz) {
        throw new DatasetMissingError(
          `no geometry.xyz for material ${oldId} of train.csv in ${k.dir} (looked in train/<id>/, train/train/<id>/ and train.zip); ` +
            "download the competition's train.zip from Kaggle too.",
        );
      }
      files.set(`public/${folder}/${n + 1}/geometry.xyz`, xyz);
    }
  }
  return files;
}

async function prepareJigsaw(c: Competition, k: KaggleDir): Promise<SyntheticFiles> {
  const labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];
  const train = readCsv(await k.file('train.csv'), 'train.csv');
  const test = readCsv(await k.file('test.csv'), 'test.csv');
  const answers = readCsv(await k.file('test_labels.csv'), 'test_labels.csv');
  const answerCols = ['id', ...labels].map((n) => col(answers, n, 'test_labels.csv'));
  const tid = col(test, 'id', 'test.csv');
  return new Map<string, string | Uint8Array>([
    ['public/train.csv', toCsv(train.header, train.rows)],
    ['public/test.csv', toCsv(test.header, test.rows)],
    [`public/${c.sampleSubmissionFile}`, toCsv(['id', ...labels], test.rows.map((r) => [r[tid] as string, ...labels.map(() => 0.5)]))],
    ['private/test.csv', toCsv(['id', ...labels], answers.rows.map((r) => answerCols.map((j) => r[j] as string)))],
  ]);
}

async function prepareCactus(c: Competition, k: KaggleDir, testSize: number): Promise<SyntheticFiles> {
  const csv = readCsv(await k.file('train.csv'), 'train.csv');
  const [id, label] = [col(csv, 'id', 'train.csv'), col(csv, 'has_cactus', 'train.csv')];
  // Kaggle's train.zip holds train/<id>.jpg; an unpacked train/ folder works too.
  const images = new Map<string, Uint8Array>();
  for (const [name, bytes] of await k.tree('train')) {
    if (name.endsWith('.jpg')) images.set(name.slice(name.lastIndexOf('/') + 1), bytes);
  }
  if (images.size === 0) throw new DatasetMissingError(`no images found in ${k.dir} (looked in train/, train/train/ and train.zip); download the competition's train.zip from Kaggle.`);
  const { train, test } = trainTestSplitIndices(csv.rows.length, testSize);
  const image = (name: string): Uint8Array => {
    const bytes = images.get(name);
    if (!bytes) throw new DatasetMissingError(`the Kaggle images have no ${name}, which train.csv lists; is the train.zip complete?`);
    return bytes;
  };
  const trainRows = pick(csv.rows, train);
  const testRows = pick(csv.rows, test);
  return new Map<string, string | Uint8Array>([
    ['public/train.csv', toCsv(['id', 'has_cactus'], trainRows.map((r) => [r[id] as string, r[label] as string]))],
    [`public/${c.sampleSubmissionFile}`, toCsv(['id', 'has_cactus'], testRows.map((r) => [r[id] as string, 0.5]))],
    ['public/train.zip', zip(Object.fromEntries(trainRows.map((r) => [r[id] as string, image(r[id] as string)])))],
    ['public/test.zip', zip(Object.fromEntries(testRows.map((r) => [r[id] as string, image(r[id] as string)])))],
    ['private/test.csv', toCsv(['id', 'has_cactus'], testRows.map((r) => [r[id] as string, r[label] as string]))],
  ]);
}

/** The prepared files of a competition from its Kaggle download folder. */
export async function prepareFromKaggle(id: string, kaggleDir: string): Promise<SyntheticFiles> {
  const c = competition(id);
  if (!(await exists(kaggleDir))) throw new ConfigError(`--kaggle-dir ${kaggleDir} does not exist.`);
  const r = c.prepare;
  const split = r.kind === 'random-split' ? r.testSize : 0;
  const k = new KaggleDir(kaggleDir, c.id);
  switch (c.id) {
    case 'random-acts-of-pizza':
      return preparePizza(c, k, split);
    case 'spooky-author-identification':
      return prepareSpooky(c, k, split);
    case 'detecting-insults-in-social-commentary':
      return prepareInsults(c, k);
    case 'nomad2018-predict-transparent-conductors':
      return prepareNomad(c, k, split);
    case 'jigsaw-toxic-comment-classification-challenge':
      return prepareJigsaw(c, k);
    case 'aerial-cactus-identification':
      return prepareCactus(c, k, split);
    default:
      throw new ConfigError(`no Kaggle prepare recipe for "${c.id}" yet; add one to datasets/mlebench/prepare.ts.`);
  }
}

/**
 * Prepares a competition into `<outRoot>/<id>/prepared/{public,private}` (the `dataRoot` layout
 * the env reads) and copies `description.md` when the data dir has it. Returns the prepared dir.
 */
export async function prepareCompetition(id: string, kaggleDir: string, outRoot: string, onFile?: (path: string) => void): Promise<{ dir: string; files: number }> {
  const files = await prepareFromKaggle(id, kaggleDir);
  const dir = join(outRoot, id, 'prepared');
  for (const [rel, content] of files) {
    await writeFileAtomic(join(dir, rel), content);
    onFile?.(rel);
  }
  try {
    await writeFileAtomic(join(dir, 'public', 'description.md'), await readFile(await resolveDatasetFile('mlebench', `${id}/description.md`)));
  } catch (e) {
    if (!(e instanceof DatasetMissingError)) throw e;
  }
  await writeJsonAtomic(join(dir, '.complete'), { competition: id, source: 'kaggle', files: files.size });
  return { dir, files: files.size };
}
