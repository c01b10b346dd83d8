import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ValidationError } from '../core/errors.js';
import { BFCL_CLASSES, BFCL_FILES, jsonFieldText, loadBfcl } from './bfcl.js';
import { bespokeSplit } from './bfcl-split.js';
import { downloadFiles } from './download.js';
import { MANIFESTS } from './manifests.js';

const DATA = process.env.EXITGYM_DATA_DIR;

describe('bfcl split', () => {
  test('bespokeSplit sorts ids as strings, puts ceil(n/2) in test, and is a partition', () => {
    const ids = Array.from({ length: 11 }, (_, i) => `t${i}`);
    const { train, test: testIds } = bespokeSplit(ids);
    assert.equal(testIds.length, 6);
    assert.equal(train.length, 5);
    assert.deepEqual([...train, ...testIds].sort(), [...ids].sort());
    // A different seed gives a different split; the same seed the same one.
    assert.deepEqual(bespokeSplit(ids), { train, test: testIds });
    assert.notDeepEqual(bespokeSplit(ids, 7).test, testIds);
  });
});

test('jsonFieldText keeps the spelling of numbers and handles strings with brackets', () => {
  const line = '{"id": "x", "s": "a}b\\"[", "cfg": {"a": 22.0, "b": [1, {"c": "]"}]}, "n": 5.0, "t": true}';
  assert.equal(jsonFieldText(line, 'cfg'), '{"a": 22.0, "b": [1, {"c": "]"}]}');
  assert.equal(jsonFieldText(line, 'n'), '5.0');
  assert.equal(jsonFieldText(line, 's'), '"a}b\\"["');
  assert.equal(jsonFieldText(line, 't'), 'true');
  assert.equal(jsonFieldText(line, 'c'), undefined, 'nested keys are not top-level fields');
});

describe('bfcl loader validation (synthetic files)', () => {
  const task = (id: string, turns: number, classes = ['MathAPI']): string =>
    JSON.stringify({ id, question: Array.from({ length: turns }, (_, i) => [{ role: 'user', content: `request ${i}` }]), initial_config: {}, involved_classes: classes, path: [] });
  const answer = (id: string, turns: number): string => JSON.stringify({ id, ground_truth: Array.from({ length: turns }, () => ['add(a=1, b=2)']) });
  const doc = JSON.stringify({ name: 'add', description: 'Math. Tool description: Add.', parameters: { type: 'dict', properties: { a: { type: 'float' }, b: { type: 'float' } }, required: ['a', 'b'] } });

  /** Writes a data folder (no trailing newline, as upstream) with `overrides` replacing whole files. */
  async function dataFolder(overrides: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'bfcl-load-'));
    const files: Record<string, string> = {
      [BFCL_FILES.tasks]: [task('t0', 2), task('t1', 1)].join('\n'),
      [BFCL_FILES.answers]: [answer('t0', 2), answer('t1', 1)].join('\n'),
      ...Object.fromEntries(BFCL_CLASSES.map((c) => [BFCL_FILES.funcDocs[c], c === 'MathAPI' ? doc : ''])),
      ...overrides,
    };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(join(dir, 'bfcl', rel, '..'), { recursive: true });
      await writeFile(join(dir, 'bfcl', rel), text);
    }
    return dir;
  }

  async function rejects(overrides: Record<string, string>, message: RegExp): Promise<void> {
    const dir = await dataFolder(overrides);
    try {
      await assert.rejects(loadBfcl({ dataDir: dir }), (e: unknown) => e instanceof ValidationError && message.test(e.message));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  test('well-formed files load, with the split computed over their ids', async () => {
    const dir = await dataFolder({});
    try {
      const data = await loadBfcl({ dataDir: dir });
      assert.deepEqual(data.tasks.map((t) => [t.id, t.requests.length, t.groundTruth.length]), [['t0', 2, 2], ['t1', 1, 1]]);
      assert.deepEqual(data.funcDocs.MathAPI.map((d) => d.name), ['add']);
      assert.deepEqual([...data.split.train, ...data.split.test].sort(), ['t0', 't1']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('bad rows are rejected naming the file, the line and what is wrong', async () => {
    await rejects({ [BFCL_FILES.tasks]: `${task('t0', 2)}\n{"id": "t1",` }, /^bfcl\/BFCL_v3_multi_turn_base\.json line 2: not valid JSON .*exitgym datasets pull bfcl/);
    await rejects({ [BFCL_FILES.tasks]: `${task('t0', 2)}\n${task('t1', 1, ['NopeAPI'])}` }, /^bfcl\/BFCL_v3_multi_turn_base\.json line 2: .*involved_classes/);
    await rejects({ [BFCL_FILES.tasks]: `${task('t0', 2)}\n${task('t0', 1)}` }, /line 2: duplicate task id "t0"/);
    await rejects({ [BFCL_FILES.answers]: answer('t0', 2) }, /no ground truth for task "t1"; the two files must come from the same upstream commit/);
    await rejects({ [BFCL_FILES.answers]: `${answer('t0', 3)}\n${answer('t1', 1)}` }, /task "t0" has 2 user turns but 3 ground-truth turns/);
    await rejects({ [BFCL_FILES.funcDocs.MathAPI]: `${doc}\n${doc}` }, /math_api\.json: method "add" is documented twice/);
    await rejects({ [BFCL_FILES.funcDocs.MathAPI]: doc.replace('"float"', '"number"') }, /^bfcl\/multi_turn_func_doc\/math_api\.json line 1: /);
  });
});

describe('bfcl data (EXITGYM_DATA_DIR)', () => {
  test('loads 200 tasks, 745 turns, 1,160 ground-truth calls and 129 documented methods', async (t) => {
    if (!DATA) return t.skip('EXITGYM_DATA_DIR not set');
    const data = await loadBfcl();
    assert.equal(data.tasks.length, 200);
    assert.equal(data.tasks.reduce((n, x) => n + x.requests.length, 0), 745);
    assert.equal(data.tasks.reduce((n, x) => n + x.groundTruth.flat().length, 0), 1160);
    assert.equal(BFCL_CLASSES.reduce((n, c) => n + data.funcDocs[c].length, 0), 129);
    const t0 = data.byId.get('multi_turn_base_0');
    assert.deepEqual(t0?.groundTruth[2], ["sort('final_report.pdf')"]);
    assert.deepEqual(t0?.involvedClasses, ['TwitterAPI', 'GorillaFileSystem']);
    for (const task of data.tasks) assert.deepEqual(JSON.parse(task.initialConfigText), task.initialConfig, task.id);
    assert.match(data.byId.get('multi_turn_base_50')?.initialConfigText ?? '', /"acTemperature": 22\.0/);
  });

  test('the computed split equals bespoke_split.json, order included', async (t) => {
    if (!DATA) return t.skip('EXITGYM_DATA_DIR not set');
    const want = JSON.parse(await readFile(join(DATA, 'bfcl', 'bespoke_split.json'), 'utf8')) as { train: string[]; test: string[] };
    const data = await loadBfcl();
    assert.deepEqual(data.split.train, want.train);
    assert.deepEqual(data.split.test, want.test);
  });

  test('`datasets pull bfcl` files download from a local server, verify, and load', async (t) => {
    if (!DATA) return t.skip('EXITGYM_DATA_DIR not set');
    const files = MANIFESTS.bfcl ?? [];
    assert.equal(files.length, 11);
    const upstream = new Map(files.map((f) => [new URL(f.url).pathname, f.path]));
    const server = createServer((req, res) => {
      const rel = upstream.get(req.url ?? '');
      if (!rel) {
        res.writeHead(404).end();
        return;
      }
      readFile(join(DATA, 'bfcl', rel)).then(
        (body) => res.writeHead(200, { 'content-length': body.length }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const dir = await mkdtemp(join(tmpdir(), 'bfcl-pull-'));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const local = files.map((f) => ({ ...f, url: base + new URL(f.url).pathname }));
      const r = await downloadFiles('bfcl', local, { dest: join(dir, 'bfcl'), retries: 0 });
      assert.equal(r.downloaded.length, 11);
      const again = await downloadFiles('bfcl', local, { dest: join(dir, 'bfcl'), retries: 0 });
      assert.equal(again.skipped.length, 11, 'a second pull skips verified files');
      const data = await loadBfcl({ dataDir: dir });
      assert.equal(data.tasks.length, 200);
      assert.equal(data.split.test.length, 100);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
