import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from './errors.js';
import { checkSchema, validate } from './schema.js';

const schema = {
  type: 'object',
  required: ['gold', 'pred'],
  properties: { gold: { type: 'string' }, pred: { type: 'string' }, kind: { enum: ['a', 'b'] } },
  additionalProperties: false,
} as const;

test('validate returns the value when it matches', () => {
  assert.deepEqual(validate(schema, { gold: '1', pred: '2' }, 'cases.jsonl line 1'), { gold: '1', pred: '2' });
});

test('failures are one line that names where and the field', () => {
  assert.throws(
    () => validate(schema, { gold: 1, pred: 'x' }, 'cases.jsonl line 3'),
    (e: unknown) => e instanceof ValidationError && e.message === 'cases.jsonl line 3: /gold: must be string; got 1',
  );
  const missing = checkSchema(schema, { gold: 'x' });
  assert.deepEqual(missing, { ok: false, reason: '(root): missing required field "pred"' });
  const extra = checkSchema(schema, { gold: 'x', pred: 'y', other: 1 });
  assert.deepEqual(extra, { ok: false, reason: '(root): unexpected field "other"' });
  const bad = checkSchema(schema, { gold: 'x', pred: 'y', kind: 'c' });
  assert.deepEqual(bad, { ok: false, reason: '/kind: must be one of "a", "b"; got "c"' });
});
