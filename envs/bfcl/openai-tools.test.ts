import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BfclFuncDoc } from '../../datasets/bfcl.js';
import { openAITool, toolCallsToAction } from './openai-tools.js';
import { parseAction } from './tool-call.js';

const doc: BfclFuncDoc = {
  name: 'mean',
  description: 'This tool belongs to the Math API. Tool description: Average of a list.',
  parameters: { type: 'dict', properties: { numbers: { type: 'array', items: { type: 'float' }, description: 'The values.' }, places: { type: 'integer' } }, required: ['numbers'] },
};

test('a func doc becomes an OpenAI function spec with its own description and a JSON Schema', () => {
  const t = openAITool(doc);
  assert.equal(t.type, 'function');
  assert.equal(t.function.name, 'mean');
  assert.equal(t.function.description, 'Average of a list.');
  assert.deepEqual(t.function.parameters, {
    type: 'object',
    properties: { numbers: { type: 'array', items: { type: 'number' }, description: 'The values.' }, places: { type: 'integer' } },
    required: ['numbers'],
    additionalProperties: false,
  });
});

test('tool calls become the env text action, keeping 5 and 5.0 apart', () => {
  const action = toolCallsToAction([
    { id: 'a', type: 'function', function: { name: 'mean', arguments: '{"numbers": [5, 5.0]}' } },
    { function: { name: 'ls', arguments: '{}' } },
  ]);
  assert.equal(action, '<tool>[{"name": "mean", "args": {"numbers": [5, 5.0]}}, {"name": "ls", "args": {}}]</tool>');
  const parsed = parseAction(action);
  assert.equal(parsed.kind, 'tools');
  assert.deepEqual(parsed.kind === 'tools' && parsed.items.map((i) => i.ok && i.name), ['mean', 'ls']);
});

test('malformed arguments stay data: the env sees a malformed call, nothing throws', () => {
  const parsed = parseAction(toolCallsToAction([{ function: { name: 'mean', arguments: 'not json' } }]));
  assert.equal(parsed.kind, 'tools');
  assert.equal(parsed.kind === 'tools' && parsed.items[0]?.ok, false);
  assert.equal(toolCallsToAction([], '<TASK_FINISHED>'), '<TASK_FINISHED>');
  assert.equal(parseAction(toolCallsToAction([{ function: { name: 'x', arguments: '[1]' } }], 'thinking')).kind, 'tools');
});
