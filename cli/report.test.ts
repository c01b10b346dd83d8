import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { captureIo } from '../test/fixtures/cli-io.js';
import { FIXTURE_CHARTS, writeTrainingRun } from '../test/fixtures/training-run.js';
import { main } from './main.js';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const c = captureIo();
  const code = await main(args, c.io);
  return { code, out: c.out, err: c.err };
}

test('exitgym report RUN_DIR writes report.html and says what it drew', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-cli-report-'));
  await writeTrainingRun(dir);
  const r = await run(['report', dir]);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.deepEqual(r.out, [`wrote ${join(dir, 'report.html')} (${FIXTURE_CHARTS} charts; not drawn: staleness)`]);
  assert.match(await readFile(join(dir, 'report.html'), 'utf8'), /<title>[^<]+ · exitgym training report<\/title>/);
  const out = join(dir, 'elsewhere.html');
  assert.equal((await run(['report', dir, '--output', out])).code, 0);
  assert.match(await readFile(out, 'utf8'), /^<!doctype html>/);
});

test('exitgym report: bad input exits non-zero with one line naming the problem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-cli-report-'));
  const cases: [string[], number, RegExp][] = [
    [['report'], 2, /^exitgym report: expected one RUN_DIR .*got none; see `exitgym report --help`\.$/],
    [['report', dir, dir], 2, /expected one RUN_DIR .*got ".*" ".*"/],
    [['report', dir, '--outptu', 'x'], 2, /unknown flag --outptu \(did you mean --output\?\)/],
    [['report', join(dir, 'nope')], 1, /^exitgym report: run directory .*nope does not exist; pass the folder given to `exitgym train --run-dir`\.$/],
    [['report', dir], 1, new RegExp(`^exitgym report: ${join(dir, 'metrics.jsonl').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} not found: .* is not a training run directory`)],
  ];
  for (const [args, code, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, code, args.join(' '));
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0]!, message);
    assert.deepEqual(r.out, []);
  }
});

test('exitgym report --help shows the usage and the flag', async () => {
  const r = await run(['report', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out[0]!, /Usage: exitgym report RUN_DIR \[--output FILE\]/);
  assert.match(r.out[0]!, /--output FILE\s+Write the page here instead of RUN_DIR\/report\.html/);
  const top = await run(['--help']);
  assert.match(top.out[0]!, /\n {2}report +Write the HTML training report/);
});
