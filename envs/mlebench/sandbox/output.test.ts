import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedOutput, FLOOD_FACTOR } from './output.js';

test('keeps everything under the cap', () => {
  const o = new BoundedOutput(10);
  o.push(Buffer.from('abc'));
  o.push(Buffer.from('defg'));
  assert.equal(o.text(), 'abcdefg');
  assert.equal(o.total, 7);
  assert.equal(o.truncated, false);
});

test('keeps the first and last half of the cap and counts the dropped bytes', () => {
  const o = new BoundedOutput(6);
  for (const c of ['abcd', 'efgh', 'ijkl']) o.push(Buffer.from(c));
  // head 'abc', tail 'jkl', 12 - 6 = 6 dropped
  assert.equal(o.text(), 'abc\n[... 6 bytes omitted ...]\njkl');
  assert.equal(o.truncated, true);
  assert.equal(o.flooded, false);
});

test('a single chunk larger than the cap', () => {
  const o = new BoundedOutput(4);
  o.push(Buffer.from('0123456789'));
  assert.equal(o.text(), '01\n[... 6 bytes omitted ...]\n89');
});

test('the tail survives many small chunks and reused buffers', () => {
  const o = new BoundedOutput(4);
  const buf = Buffer.alloc(1);
  for (const ch of 'abcdefghij') {
    buf.write(ch);
    o.push(buf);
  }
  assert.equal(o.text(), 'ab\n[... 6 bytes omitted ...]\nij');
});

test('flooded once past FLOOD_FACTOR times the cap', () => {
  const o = new BoundedOutput(100);
  o.push(Buffer.alloc(100 * FLOOD_FACTOR));
  assert.equal(o.flooded, false);
  o.push(Buffer.alloc(1));
  assert.equal(o.flooded, true);
});
