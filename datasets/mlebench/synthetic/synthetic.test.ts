import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { gradeSubmission, parseTable } from '../../../envs/mlebench/grading/index.js';
import { competition, COMPETITIONS } from '../competitions.js';
import { ensureSynthetic, generateSyntheticFiles } from './index.js';

const text = (v: string | Uint8Array | undefined): string => (typeof v === 'string' ? v : Buffer.from(v ?? new Uint8Array()).toString('utf8'));
const scaleFor = (id: string): number => (id === 'aerial-cactus-identification' ? 0.25 : 0.5);

for (const c of COMPETITIONS) {
  test(`synthetic ${c.id}: the public files exist, and the sample submission scores like the real one`, async () => {
    const files = await generateSyntheticFiles(c.id, { seed: 3, scale: scaleFor(c.id) });
    for (const f of c.publicFiles) {
      if (f === 'description.md') continue;
      if (f.endsWith('/')) assert.ok([...files.keys()].some((k) => k.startsWith(`public/${f}`)), `public/${f} has files`);
      else assert.ok(files.has(`public/${f}`), `public/${f} exists`);
    }
    const sample = text(files.get(`public/${c.sampleSubmissionFile}`));
    const report = gradeSubmission(c, sample, text(files.get(`private/${c.answersFile}`)));
    assert.equal(report.valid, true, report.error ?? '');
    if (c.grader.kind === 'auc' || c.grader.kind === 'columnwise-auc') assert.equal(report.score, 0.5);
    if (c.grader.kind === 'logloss') assert.ok((report.score as number) > 1.0 && (report.score as number) < 1.2, `spooky prior ${report.score}`);
    if (c.grader.kind === 'rmsle') assert.ok((report.score as number) > 0.15 && (report.score as number) < 0.4, `nomad sample ${report.score}`);
  });
}

test('synthetic data is deterministic per seed and differs across seeds', async () => {
  const a = await generateSyntheticFiles('spooky-author-identification', { seed: 7, scale: 0.2 });
  const b = await generateSyntheticFiles('spooky-author-identification', { seed: 7, scale: 0.2 });
  const c = await generateSyntheticFiles('spooky-author-identification', { seed: 8, scale: 0.2 });
  assert.deepEqual([...a.keys()], [...b.keys()]);
  for (const [k, v] of a) assert.equal(text(v), text(b.get(k)), k);
  assert.notEqual(text(a.get('public/train.csv')), text(c.get('public/train.csv')));
});

test('id formats and split sizes follow SPEC.md §6', async () => {
  const pizza = await generateSyntheticFiles('random-acts-of-pizza', { seed: 1 });
  const train = JSON.parse(text(pizza.get('public/train.json'))) as Array<Record<string, unknown>>;
  const testRows = JSON.parse(text(pizza.get('public/test.json'))) as Array<Record<string, unknown>>;
  assert.equal(testRows.length, Math.ceil((1631 / 5671) * 1100));
  assert.equal(train.length + testRows.length, 1100);
  assert.equal(Object.keys(train[0] as object).length, 32);
  assert.equal(Object.keys(testRows[0] as object).length, 17);
  assert.ok(testRows.every((r) => /^t3_[0-9a-z]{5,6}$/.test(r.request_id as string)));
  const unzipped = unzipSync(pizza.get('public/test.zip') as Uint8Array);
  assert.equal(text(unzipped['test.json']), text(pizza.get('public/test.json')));

  const spooky = parseTable(text((await generateSyntheticFiles('spooky-author-identification', { seed: 1, scale: 0.2 })).get('public/train.csv')));
  assert.ok(spooky.ok && spooky.value.rows.every((r) => /^id\d{5}$/.test(r[0] as string)));

  const insults = parseTable(text((await generateSyntheticFiles('detecting-insults-in-social-commentary', { seed: 1, scale: 0.2 })).get('public/test.csv')));
  assert.ok(insults.ok);
  assert.deepEqual(insults.value.columns, ['Date', 'Comment']);
  assert.ok(insults.value.rows.every((r) => /^".*"$/.test(r[1] as string) && /^(\d{14}Z)?$/.test(r[0] as string)));

  const jig = await generateSyntheticFiles('jigsaw-toxic-comment-classification-challenge', { seed: 1, scale: 0.5 });
  const answers = parseTable(text(jig.get('private/test.csv')));
  assert.ok(answers.ok && answers.value.rows.some((r) => r[1] === '-1') && answers.value.rows.every((r) => /^[0-9a-f]{16}$/.test(r[0] as string)));

  const nomad = await generateSyntheticFiles('nomad2018-predict-transparent-conductors', { seed: 1, scale: 0.2 });
  const geometry = text(nomad.get('public/test/1/geometry.xyz'));
  const testCsv = parseTable(text(nomad.get('public/test.csv')));
  assert.ok(testCsv.ok);
  const atoms = Number((testCsv.value.rows[0] as string[])[2]);
  assert.equal(geometry.split('\n').filter((l) => l.startsWith('atom ')).length, atoms);
  assert.equal(geometry.split('\n').filter((l) => l.startsWith('lattice_vector ')).length, 3);
});

test('cactus: JPEG thumbnails named by 32 hex chars at the zip root', async () => {
  const files = await generateSyntheticFiles('aerial-cactus-identification', { seed: 2, scale: 0.1 });
  const zipped = unzipSync(files.get('public/test.zip') as Uint8Array);
  const names = Object.keys(zipped);
  assert.ok(names.length > 0 && names.every((n) => /^[0-9a-f]{32}\.jpg$/.test(n)));
  const first = zipped[names[0] as string] as Uint8Array;
  assert.deepEqual([...first.slice(0, 2)], [0xff, 0xd8]);
  const sample = parseTable(text(files.get('public/sample_submission.csv')));
  assert.ok(sample.ok);
  assert.deepEqual(sample.value.rows.map((r) => r[0]).sort(), names.sort());
});

test('ensureSynthetic writes public/private folders once and reuses them', async () => {
  const root = await mkdtemp(join(tmpdir(), 'exitgym-syn-'));
  try {
    const dir = await ensureSynthetic('spooky-author-identification', { root, seed: 4, scale: 0.1 });
    const answers = await readFile(join(dir, 'private', competition('spooky-author-identification').answersFile), 'utf8');
    assert.match(answers, /^id,EAP,HPL,MWS\n/);
    const marker = JSON.parse(await readFile(join(dir, '.complete'), 'utf8')) as { seed: number };
    assert.equal(marker.seed, 4);
    assert.equal(await ensureSynthetic('spooky-author-identification', { root, seed: 4, scale: 0.1 }), dir);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
