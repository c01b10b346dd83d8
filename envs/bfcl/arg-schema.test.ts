import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BfclFuncDoc } from '../../datasets/bfcl.js';
import { ArgumentValidator, argumentSchema } from './arg-schema.js';
import type { PyValue } from './python/value.js';

const doc: BfclFuncDoc = {
  name: 'demo',
  description: 'x Tool description: y',
  parameters: {
    type: 'dict',
    properties: {
      name: { type: 'string' },
      count: { type: 'integer' },
      temp: { type: 'float' },
      tags: { type: 'array', items: { type: 'string' } },
      updates: { type: 'dict', properties: { priority: { type: 'integer' } } },
      extra: { type: 'string', description: 'documented but not in the signature' },
    },
    required: ['name'],
  },
};
const v = new ArgumentValidator(
  'demo',
  argumentSchema(doc, [
    { name: 'name', required: true },
    { name: 'count', required: false, nullable: true },
    { name: 'temp', required: false },
    { name: 'tags', required: false },
    { name: 'updates', required: false },
  ]),
);
const args = (o: Record<string, PyValue>): Map<string, PyValue> => new Map(Object.entries(o));

test('valid arguments pass; ints satisfy float parameters; None defaults accept null', () => {
  assert.equal(v.check(args({ name: 'a', count: 3n, temp: 20n, tags: ['x'], updates: new Map<string, PyValue>([['priority', 2n], ['other', 'ok']]) })), undefined);
  assert.equal(v.check(args({ name: 'a', count: null })), undefined);
});

test('failures name the argument and show the signature', () => {
  assert.equal(v.check(args({})), "Invalid arguments for demo: missing required argument 'name'. Expected demo(name: string, count?: integer | null, temp?: number, tags?: array, updates?: object).");
  assert.match(v.check(args({ name: 'a', extra: 'x' })) ?? '', /unknown argument 'extra'/);
  assert.match(v.check(new Map<string, PyValue>([['name', 'a'], ['__proto__', 'x']])) ?? '', /unknown argument '__proto__'/);
  assert.match(v.check(args({ name: 'a', count: '5' })) ?? '', /argument 'count' must be an integer or null, got "5"/);
  assert.match(v.check(args({ name: 'a', temp: 1.5, tags: ['x', 3n] })) ?? '', /argument 'tags' at \[1\] must be a string, got 3/);
  assert.match(v.check(args({ name: 'a', updates: new Map([['priority', 'high']]) })) ?? '', /argument 'updates' at \['priority'\] must be an integer/);
});
