import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pyJsonDumpsPlain, systemPrompt, toolLine, toolResultMessage, userRequest } from './prompts.js';

test('json.dumps spacing and ASCII escapes', () => {
  assert.equal(pyJsonDumpsPlain({ a: [1, 'é', null, true], b: { c: 'x"y' } }), '{"a": [1, "\\u00e9", null, true], "b": {"c": "x\\"y"}}');
  assert.equal(pyJsonDumpsPlain('😀'), '"\\ud83d\\ude00"');
});

test('a tool line keeps only the method part of the description', () => {
  const line = toolLine({ name: 'ls', description: 'A file system. Tool description: List files.', parameters: { type: 'dict', properties: {}, required: [] } });
  assert.equal(line, '{"name": "ls", "description": "List files.", "parameters": {"type": "dict", "properties": {}, "required": []}}');
});

test('the system prompt lists the tools and the three output forms', () => {
  const p = systemPrompt('TOOLS-HERE');
  for (const s of ['TOOLS-HERE', '<tool>', '<TASK_FINISHED>', '<TASK_ERROR>', '<tool_result>']) assert.ok(p.includes(s), s);
});

test('compat quotes the first request only; tool results are framed', () => {
  assert.equal(userRequest('Move "a"', 0, true), '"Move \\"a\\""');
  assert.equal(userRequest('Move "a"', 1, true), 'Move "a"');
  assert.equal(userRequest('Move "a"', 0, false), 'Move "a"');
  assert.equal(toolResultMessage(["Function Call {'name': 'ls'} Succeeded."]), '<tool_result> ["Function Call {\'name\': \'ls\'} Succeeded."] </tool_result>');
});
