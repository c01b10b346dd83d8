import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextStreamer } from './text-streamer.js';

/** A fake decode over single-character "tokens": id k is the k-th character of `alphabet`. */
const alphabet = 'ab<tool_c>XY';
const decode = (ids: readonly number[]): string => ids.map((i) => alphabet[i]).join('');
const idsOf = (s: string): number[] => [...s].map((ch) => alphabet.indexOf(ch));

test('text before a stop string is sent as soon as it cannot become one; nothing past it ever is', () => {
  const out: string[] = [];
  const s = new TextStreamer(decode, ['XY'], (d) => out.push(d));
  for (const id of idsOf('abXaXYab')) s.push(id);
  s.finish('abXa');
  assert.equal(out.join(''), 'abXa');
  assert.ok(out.length > 1, 'streamed in pieces');
});

test('holdFrom: text from the first "<tool_c" on is held back for the caller', () => {
  const out: string[] = [];
  const s = new TextStreamer(decode, [], (d) => out.push(d), '<tool_c>');
  for (const id of idsOf('ab<tool_c>ab')) s.push(id);
  s.finish('ab<tool_c>ab');
  assert.equal(out.join(''), 'ab');
  assert.equal(s.sent, 2);
  const plain: string[] = [];
  const t = new TextStreamer(decode, [], (d) => plain.push(d), '<tool_c>');
  for (const id of idsOf('a<b')) t.push(id);
  t.finish('a<b');
  assert.equal(plain.join(''), 'a<b', 'a "<" that starts no tool call is sent at the end');
});
