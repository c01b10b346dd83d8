import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TOOL_FEEDBACK, parseAction, toolBlock } from './tool-call.js';

test('a tool block gives well-formed items with Python-typed args', () => {
  const a = parseAction('<reasoning>list it</reasoning>\n<tool> [{"name": "mv", "args": {"source": "a", "n": 5, "x": 5.0, "l": [1]}}] </tool>');
  assert.equal(a.kind, 'tools');
  if (a.kind !== 'tools') return;
  const item = a.items[0];
  assert.ok(item?.ok);
  if (!item?.ok) return;
  assert.equal(item.name, 'mv');
  assert.deepEqual(item.args.map(([k]) => k), ['source', 'n', 'x', 'l']);
  assert.equal(item.args[1]?.[1], 5n);
  assert.equal(item.args[2]?.[1], 5);
});

test('an unclosed block (stop string cut off) still parses', () => {
  assert.equal(toolBlock('<tool>[{"name": "ls", "args": {}}]'), '[{"name": "ls", "args": {}}]');
  assert.equal(parseAction('<tool>[{"name": "ls", "args": {}}]').kind, 'tools');
});

test('malformed items are reported per item, the list stays', () => {
  const a = parseAction('<tool>[{"name": "ls", "args": {}}, "ls", {"name": "cd"}, {"name": 3, "args": {}}]</tool>');
  assert.equal(a.kind, 'tools');
  if (a.kind !== 'tools') return;
  assert.deepEqual(a.items.map((i) => i.ok), [true, false, false, false]);
});

test('finished, gave up, and the order between them', () => {
  assert.deepEqual(parseAction('Done. <TASK_FINISHED>'), { kind: 'finished' });
  assert.deepEqual(parseAction('<tool>[{"name": "ls", "args": {}}]</tool> <TASK_FINISHED>'), { kind: 'finished' }, 'tools beside TASK_FINISHED do not run');
  assert.deepEqual(parseAction('Cannot. <TASK_ERROR>'), { kind: 'error' });
  assert.deepEqual(parseAction('<reasoning>avoid TASK_ERROR</reasoning> ok <TASK_FINISHED>'), { kind: 'finished' }, 'TASK_ERROR inside the reasoning does not count');
  assert.deepEqual(parseAction('<TASK_FINISHED> then <TASK_ERROR>'), { kind: 'error' });
  assert.deepEqual(parseAction('<TASK_ERROR> then <TASK_FINISHED>'), { kind: 'finished' }, 'the last marker decides');
});

test('a message that mentions a tag before calling a tool calls the tool, except in Bespoke order', () => {
  const text = 'The current response ended with <TASK_FINISHED> too early. New approach:\n<tool>[{"name": "ls", "args": {}}]</tool>';
  assert.equal(parseAction(text).kind, 'tools');
  assert.equal(parseAction(text, { bespokeOrder: true }).kind, 'finished');
  assert.equal(parseAction('<TASK_FINISHED> then <TASK_ERROR>', { bespokeOrder: true }).kind, 'error');
  assert.equal(parseAction('<TASK_ERROR> then <TASK_FINISHED>', { bespokeOrder: true }).kind, 'error');
  assert.equal(parseAction('<reasoning>no TASK_ERROR</reasoning> <TASK_FINISHED>', { bespokeOrder: true }).kind, 'finished');
});

test('bad tool blocks say what to fix', () => {
  const none = parseAction('I will list the files.');
  assert.deepEqual(none, { kind: 'invalid', error: 'no_tool_call', reason: TOOL_FEEDBACK.no_tool_call });
  const json = parseAction('<tool>[{"name": "ls", "args": {}</tool>');
  assert.equal(json.kind, 'invalid');
  if (json.kind === 'invalid') {
    assert.equal(json.error, 'invalid_json');
    assert.ok(json.reason.startsWith(TOOL_FEEDBACK.invalid_json));
    assert.match(json.reason, /char \d+/);
  }
  assert.deepEqual(parseAction('<tool>{"name": "ls", "args": {}}</tool>'), { kind: 'invalid', error: 'not_a_list', reason: TOOL_FEEDBACK.not_a_list });
  assert.deepEqual(parseAction('<tool>[]</tool>'), { kind: 'invalid', error: 'empty_list', reason: TOOL_FEEDBACK.empty_list });
});

test('a hostile, deeply nested tool block is invalid JSON fed back, not a stack overflow', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const a = parseAction(`<tool>[{"name": "ls", "args": {"a": ${deep}}}]</tool>`);
  assert.equal(a.kind, 'invalid');
  if (a.kind !== 'invalid') return;
  assert.equal(a.error, 'invalid_json');
  assert.match(a.reason, /maximum recursion depth exceeded/);
  const nested = '['.repeat(900) + ']'.repeat(900);
  assert.equal(parseAction(`<tool>[{"name": "ls", "args": {"a": ${nested}}}]</tool>`).kind, 'tools', 'nesting below the limit still parses');
});

test('the tool block is found by position, as the old regex found it, and a huge unclosed block of whitespace is no hang', { timeout: 20_000 }, () => {
  const old = (text: string): string | undefined => {
    const m = /<tool>\s*([\s\S]*?)\s*<\/tool>/.exec(text);
    if (m) return m[1];
    const open = text.indexOf('<tool>');
    return open >= 0 ? text.slice(open + '<tool>'.length).trim() : undefined;
  };
  for (const t of ['no block', '<tool> [1] </tool>', 'a <tool>\n[1]\n</tool> b <tool>[2]</tool>', '<tool>[1]', '<tool> <tool>[3]</tool>', '<tool></tool>', '</tool><tool>x</tool>', '<tool>\t\n a \n</tool  ', '<tool>x</tool>\u00a0</tool>']) {
    assert.equal(toolBlock(t), old(t), JSON.stringify(t));
  }
  // The old regex backtracked cubically here (0.4 s at 1,000 spaces, minutes at 10,000).
  const r = parseAction(`<tool>${' '.repeat(2_000_000)}x`);
  assert.equal(r.kind, 'invalid');
});
