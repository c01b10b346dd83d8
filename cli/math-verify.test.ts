import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from './main.js';
import { captureIo } from '../test/fixtures/cli-io.js';

test('exitgym math verify scores {gold, pred} lines and keeps extra fields', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-mv-'));
  const input = join(dir, 'cases.jsonl');
  const lines = [
    { id: 1, gold: '\\frac{1}{2}', pred: 'so the answer is $\\boxed{0.5}$' },
    { id: 2, gold: ['4.5e33', '4.5 \\times 10^{33}'], pred: '\\boxed{4.5 \\times 10^{33}}' },
    { id: 3, gold: '7', pred: 'no idea' },
  ];
  await writeFile(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const c = captureIo();
  assert.equal(await main(['math', 'verify', '--input', input, '--output', join(dir, 'out.jsonl')], c.io), 0);
  const out = (await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(out.map((o) => [o.id, o.correct, o.extracted, o.reason]), [[1, true, '0.5', 'equal'], [2, true, '4.5 \\times 10^{33}', 'equal'], [3, false, null, 'no answer found']]);
  assert.match(c.err.at(-1) ?? '', /^3 checked, 2 correct \(66\.7 %\)$/);
  const s = captureIo();
  assert.equal(await main(['math', 'verify', '--input', input], s.io), 0);
  assert.equal(s.out.join('\n').split('\n').length, 3, 'without --output the lines go to stdout');
  await rm(dir, { recursive: true });
});

test('bad input: a one-line error naming file and line; missing flag exits 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-mv-'));
  const input = join(dir, 'bad.jsonl');
  await writeFile(input, '{"gold":"1","pred":"1"}\n{"gold":1}\n');
  const c = captureIo();
  assert.equal(await main(['math', 'verify', '--input', input], c.io), 1);
  assert.match(c.err.join('\n'), /bad\.jsonl line 2: .*(\/gold|missing required field "pred")/);
  const d = captureIo();
  assert.equal(await main(['math', 'verify'], d.io), 2);
  assert.match(d.err.join('\n'), /missing --input/);
  await rm(dir, { recursive: true });
});
