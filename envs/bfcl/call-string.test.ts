import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CallSyntaxError, parseCallString } from './call-string.js';
import { pyRepr } from './python/repr.js';
import { PyTuple } from './python/value.js';

const show = (call: string): { name: string; positional: string[]; keywords: string[] } => {
  const p = parseCallString(call);
  return { name: p.name, positional: p.positional.map(pyRepr), keywords: p.keywords.map(([k, v]) => `${k}=${pyRepr(v)}`) };
};

test('keyword and positional arguments keep Python types', () => {
  assert.deepEqual(show("mv(source='final_report.pdf', destination='temp')"), { name: 'mv', positional: [], keywords: ["source='final_report.pdf'", "destination='temp'"] });
  assert.deepEqual(show('mean([227.16,2.552,227.11, 227.09])'), { name: 'mean', positional: ['[227.16, 2.552, 227.11, 227.09]'], keywords: [] });
  assert.deepEqual(show("lockDoors(unlock=False, door=['driver', 'passenger'])").keywords, ['unlock=False', "door=['driver', 'passenger']"]);
  assert.deepEqual(show("edit_ticket(ticket_id=654321, updates={'priority':2})").keywords, ['ticket_id=654321', "updates={'priority': 2}"]);
  assert.deepEqual(show('f(15, 15.0, -3, -2.5e-3, 1e3, None, True)').positional, ['15', '15.0', '-3', '-0.0025', '1000.0', 'None', 'True']);
  assert.deepEqual(show('pwd()'), { name: 'pwd', positional: [], keywords: [] });
  assert.deepEqual(show('comment(tweet_id = 10, comment_content = "x")').keywords, ['tweet_id=10', "comment_content='x'"]);
});

test('ints are bigints, floats numbers, tuples PyTuple', () => {
  const p = parseCallString('f(7, 7.0, (1,), (2), (1, 2))');
  assert.equal(p.positional[0], 7n);
  assert.equal(p.positional[1], 7);
  assert.ok(p.positional[2] instanceof PyTuple);
  assert.equal(p.positional[3], 2n, '(2) is just 2');
  assert.equal(pyRepr(p.positional[4] ?? null), '(1, 2)');
});

test('string escapes follow Python, and call syntax inside strings stays text', () => {
  assert.equal(parseCallString("echo(content='it\\'s \\n\\t\\\\ \\x41\\u00e9 \\q')").keywords[0]?.[1], "it's \n\t\\ Aé \\q");
  assert.equal(parseCallString("echo(content='run ls() now')").keywords[0]?.[1], 'run ls() now');
  assert.equal(parseCallString(`echo(content="say 'hi'")`).keywords[0]?.[1], "say 'hi'");
  assert.equal(parseCallString("echo(content='a' 'b')").keywords[0]?.[1], 'ab');
});

test('anything but a call of literals is a CallSyntaxError naming the offset', () => {
  const bad = ['ls', 'ls(', "cd(folder='x'", 'f(g())', 'f(x)', 'f(a=1, 2)', 'f(a=1, a=2)', 'f(1) + 1', "f('unterminated)", 'f([1, 2)', 'f(01)'];
  for (const call of bad) {
    assert.throws(() => parseCallString(call), (e: unknown) => e instanceof CallSyntaxError && /expected .* at offset \d+/.test(e.message), call);
  }
});

test('every ground-truth call string of the data parses (1,160 calls, 40 positional arguments)', async (t) => {
  const dir = process.env.EXITGYM_DATA_DIR;
  if (!dir) return t.skip('EXITGYM_DATA_DIR not set');
  const text = await readFile(join(dir, 'bfcl', 'possible_answer', 'BFCL_v3_multi_turn_base.json'), 'utf8');
  let calls = 0;
  let positional = 0;
  for (const line of text.split('\n').filter((l) => l.trim())) {
    for (const turn of (JSON.parse(line) as { ground_truth: string[][] }).ground_truth) {
      for (const c of turn) {
        positional += parseCallString(c).positional.length;
        calls++;
      }
    }
  }
  assert.equal(calls, 1160);
  assert.equal(positional, 40);
});
