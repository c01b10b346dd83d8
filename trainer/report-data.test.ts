import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ValidationError } from '../core/errors.js';
import { writeTrainingRun } from '../test/fixtures/training-run.js';
import { metricKeys, parseMetrics, readRun } from './report-data.js';

test('parseMetrics keeps numbers, reads null and bare NaN/Infinity as missing, drops non-numbers', () => {
  const text = [
    '{"iteration": 1, "time": 100, "rollout/reward_mean": 0.5, "losses/kl": null, "note": "warm-up", "nested": {"a": 1}}',
    '{"iteration": 2, "losses/kl": NaN, "losses/entropy": -Infinity, "rollout/reward_mean": Infinity, "tag": "NaN, kept as text"}',
    '',
  ].join('\n');
  const p = parseMetrics(text);
  assert.deepEqual(p.rows, [
    { iteration: 1, time: 100, values: { 'rollout/reward_mean': 0.5, 'losses/kl': null } },
    { iteration: 2, values: { 'losses/kl': null, 'losses/entropy': null, 'rollout/reward_mean': null } },
  ]);
  assert.deepEqual(p.skipped, []);
  assert.equal(p.tornTail, false);
  assert.deepEqual(metricKeys(p.rows), ['losses/entropy', 'losses/kl', 'rollout/reward_mean']);
});

test('a torn last line is a note, bad middle lines are skipped with their line numbers, later duplicates win', () => {
  const text = [
    '{"iteration": 0, "a": 1}',
    '{"iteration": 1, "a": 2}',
    'garbage',
    '[1, 2]',
    '{"a": 3}',
    '{"iteration": -1, "a": 3}',
    '{"iteration": 1, "a": 20}',
    '{"iteration": 2, "a"',
  ].join('\n');
  const p = parseMetrics(text);
  assert.deepEqual(
    p.rows.map((r) => [r.iteration, r.values.a]),
    [[0, 1], [1, 20]],
  );
  assert.equal(p.replaced, 1);
  assert.equal(p.tornTail, true);
  assert.deepEqual(p.skipped.map((s) => s.line), [3, 4, 5, 6]);
  assert.match(p.skipped[0]!.reason, /not valid JSON/);
  assert.match(p.skipped[2]!.reason, /"iteration" is missing/);
  // The same half line in the middle of the file (a newline after it) is damage, not a torn tail.
  const mid = parseMetrics('{"iteration": 2, "a"\n{"iteration": 3, "a": 1}\n');
  assert.equal(mid.tornTail, false);
  assert.deepEqual(mid.skipped.map((s) => s.line), [1]);
});

test('readRun reads a fixture run: rows, config, rows sorted by iteration', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-data-'));
  const lines = await writeTrainingRun(dir, { tornTail: true, planned: 50 });
  const run = await readRun(dir);
  assert.equal(run.rows.length, lines.length);
  assert.deepEqual(run.rows.map((r) => r.iteration), lines.map((l) => l.iteration));
  assert.equal(run.tornTail, true);
  assert.equal(run.config?.iterations, 50);
  assert.equal(run.rows[20]!.values['losses/entropy'], null, 'the bare NaN of line 21');
  assert.equal(run.rows[6]!.values['losses/kl'], null);
  assert.ok(!('losses/clip_frac' in run.rows[11]!.values));
});

test('readRun names the path and what to do when the run directory or its metrics are missing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-data-'));
  await assert.rejects(readRun(join(dir, 'absent')), (e: unknown) => e instanceof ValidationError && /absent does not exist; pass the folder given to `exitgym train --run-dir`/.test(e.message));
  await assert.rejects(readRun(dir), (e: unknown) => e instanceof ValidationError && e.message.includes(join(dir, 'metrics.jsonl')) && /not found.*--run-dir/.test(e.message));
  await writeFile(join(dir, 'metrics.jsonl'), '{"iteration": 0, "a"');
  await assert.rejects(readRun(dir), /holds no complete iteration yet; run the report again after the first iteration/);
  await writeFile(join(dir, 'metrics.jsonl'), 'oops\n');
  await assert.rejects(readRun(dir), /1 unusable lines, first: line 1: not valid JSON/);
  const file = join(dir, 'file');
  await writeFile(file, '');
  await assert.rejects(readRun(file), /is not a folder/);
});

test('readRun without config.json still reads the metrics and says why the config is missing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-data-'));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'metrics.jsonl'), '{"iteration": 0, "rollout/reward_mean": 0.1}\n');
  const run = await readRun(dir);
  assert.equal(run.config, undefined);
  assert.match(run.configNote ?? '', /config\.json not found/);
  await writeFile(join(dir, 'config.json'), '[1]');
  assert.match((await readRun(dir)).configNote ?? '', /not a JSON object/);
});
