import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossMask, maskedLength, overlongFilter, type MessageSpan } from './masks.js';

const bfclValid = (t: string): boolean => /<tool>[\s\S]*<\/tool>|<TASK_FINISHED>|<TASK_ERROR>/.test(t);

const conversation: MessageSpan[] = [
  { role: 'system', start: 0, end: 2, content: 'sys' },
  { role: 'user', start: 2, end: 5, content: 'list files' },
  { role: 'assistant', start: 6, end: 9, content: '<tool>{"name":"ls"}</tool>' },
  { role: 'tool', start: 9, end: 11, content: 'a.txt' },
  { role: 'assistant', start: 11, end: 14, content: 'I think the answer is' },
  { role: 'assistant', start: 14, end: 15, content: '<TASK_FINISHED>' },
];

test('only assistant tokens carry loss; template glue between spans stays 0', () => {
  const { mask, kept, filtered } = lossMask(conversation, 16);
  assert.deepEqual([...mask], [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0]);
  assert.equal(kept, 3);
  assert.equal(filtered, 0);
  assert.equal(maskedLength(mask), 7);
});

test('overlong filtering zeroes the assistant message with no valid response type', () => {
  const { mask, kept, filtered } = lossMask(conversation, 16, { isValidResponse: bfclValid });
  assert.deepEqual([...mask], [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0]);
  assert.equal(kept, 2);
  assert.equal(filtered, 1);
});

test('overlongFilter on a single completion', () => {
  const m = Uint8Array.of(0, 1, 1);
  assert.deepEqual([...overlongFilter(m, 'cut off mid-sent', bfclValid)], [0, 0, 0]);
  const keptMask = overlongFilter(m, '<TASK_ERROR>', bfclValid);
  assert.deepEqual([...keptMask], [0, 1, 1]);
  assert.notEqual(keptMask, m, 'returns a new array');
});

test('bad spans are refused with the span named', () => {
  assert.throws(() => lossMask([{ role: 'assistant', start: 3, end: 2, content: '' }], 5), /span 0 \(assistant\) is \[3, 2\)/);
  assert.throws(
    () => lossMask([{ role: 'user', start: 0, end: 3, content: '' }, { role: 'assistant', start: 2, end: 4, content: '' }], 5),
    /span 1 .*previous span ended at 3/,
  );
  assert.throws(() => lossMask([{ role: 'assistant', start: 0, end: 6, content: '' }], 5), /inside \[0, 5\)/);
});
