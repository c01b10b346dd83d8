import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, ValidationError } from './errors.js';
import { checkOptions, checkSchema, NO_OPTIONS, validate } from './schema.js';

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

test('checkOptions names an unknown option (with the nearest known one) and a mistyped one', () => {
  const options = {
    type: 'object',
    properties: { split: { enum: ['train', 'test'] }, limits: { type: 'object', properties: { wallSeconds: { type: 'number', exclusiveMinimum: 0 } }, additionalProperties: false }, seed: { type: 'integer' } },
    additionalProperties: false,
  } as const;
  const typed: { split?: 'train' | 'test'; seed?: number } = checkOptions('env', options, { split: 'test', seed: 3 });
  assert.deepEqual(typed, { split: 'test', seed: 3 });
  const fails = (value: unknown, message: string): void => assert.throws(() => checkOptions('env', options, value), (e: unknown) => e instanceof ConfigError && e.message === message);
  fails({ Split: 'test' }, 'env: unknown option "Split" (did you mean "split"?); the options are split, limits, seed.');
  fails({ colour: 1 }, 'env: unknown option "colour"; the options are split, limits, seed.');
  fails({ split: 'dev' }, 'env: option split must be one of "train", "test"; got "dev".');
  fails({ seed: '3' }, 'env: option seed must be integer; got "3".');
  fails({ limits: { wallSecond: 1 } }, 'env: unknown option "limits/wallSecond".');
  fails({ limits: { wallSeconds: 0 } }, 'env: option limits/wallSeconds must be > 0; got 0.');
  fails([], 'env: options must be an object of named options; got [].');
  assert.throws(() => checkOptions('env', NO_OPTIONS, { a: 1 }), /unknown option "a"; it takes no options/);
});
