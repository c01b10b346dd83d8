import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseToolCalls } from './openai-tool-calls.js';

test('hermes: every <tool_call> block becomes a call; text around them is the content; ids are unique per call', () => {
  const text = 'Let me check.\n<tool_call>\n{"name": "a", "arguments": {"x": 1}}\n</tool_call>\n<tool_call>{"name": "b", "arguments": "{\\"y\\": 2}"}</tool_call>';
  const r = parseToolCalls('hermes', text, 'resp/0');
  assert.ok(r);
  assert.equal(r.content, 'Let me check.');
  assert.deepEqual(r.toolCalls.map((c) => [c.function.name, c.function.arguments]), [['a', '{"x":1}'], ['b', '{"y": 2}']]);
  assert.notEqual(r.toolCalls[0]!.id, r.toolCalls[1]!.id);
  assert.notEqual(parseToolCalls('hermes', text, 'resp/1')!.toolCalls[0]!.id, r.toolCalls[0]!.id, 'another choice, other ids');
  // A call cut off by max_tokens before </tool_call> still parses when its JSON is whole.
  assert.equal(parseToolCalls('hermes', '<tool_call>\n{"name": "a"}', 'k')?.toolCalls[0]?.function.arguments, '{}');
});

test('hermes: model output that is not a call stays text (no tool calls, never a throw)', () => {
  assert.equal(parseToolCalls('hermes', 'no calls here', 'k'), undefined);
  assert.equal(parseToolCalls('hermes', '<tool_call>{"name": broken</tool_call>', 'k'), undefined);
  assert.equal(parseToolCalls('hermes', '<tool_call>["a"]</tool_call>', 'k'), undefined);
  assert.equal(parseToolCalls('hermes', '<tool_call>{"arguments": {}}</tool_call>', 'k'), undefined);
});
