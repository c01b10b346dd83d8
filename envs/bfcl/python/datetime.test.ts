// Expected values are CPython 3.11's datetime.strptime / strftime results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addSeconds, compareDateTime, formatClock12, formatDateTime, fromSeconds, strptime, toSeconds } from './datetime.js';
import { PyException } from './errors.js';

const parse = (s: string, f: string): string => formatDateTime(strptime(s, f));
const raises = (s: unknown, f: string): string => {
  try {
    strptime(s as string, f);
  } catch (e) {
    assert.ok(e instanceof PyException);
    return `${e.pyType}: ${e.pyMessage}`;
  }
  return 'no error';
};

test('strptime %I:%M %p: 12 AM is midnight, 12 PM noon, case-insensitive, runs of spaces', () => {
  assert.equal(parse('9:30 am', '%I:%M %p'), '1900-01-01 09:30:00');
  assert.equal(parse('12:00 AM', '%I:%M %p'), '1900-01-01 00:00:00');
  assert.equal(parse('12:00 PM', '%I:%M %p'), '1900-01-01 12:00:00');
  assert.equal(parse('12:59 pm', '%I:%M %p'), '1900-01-01 12:59:00');
  assert.equal(parse('10:30   PM', '%I:%M %p'), '1900-01-01 22:30:00');
  assert.equal(raises('13:00 PM', '%I:%M %p'), "ValueError: time data '13:00 PM' does not match format '%I:%M %p'");
});

test('strptime %Y-%m-%d %H:%M:%S: unpadded fields, leap years, CPython error messages', () => {
  assert.equal(parse('2024-9-1', '%Y-%m-%d'), '2024-09-01 00:00:00');
  assert.equal(parse('2024-02-29', '%Y-%m-%d'), '2024-02-29 00:00:00');
  assert.equal(parse('2000-02-29', '%Y-%m-%d'), '2000-02-29 00:00:00');
  assert.equal(parse('2024-09-01 7:5:3', '%Y-%m-%d %H:%M:%S'), '2024-09-01 07:05:03');
  assert.equal(raises('2023-02-29', '%Y-%m-%d'), 'ValueError: day is out of range for month');
  assert.equal(raises('1900-02-29', '%Y-%m-%d'), 'ValueError: day is out of range for month');
  assert.equal(raises('2024-09-01 10:30:60', '%Y-%m-%d %H:%M:%S'), 'ValueError: second must be in 0..59');
  assert.equal(raises(' 2024-09-01', '%Y-%m-%d'), "ValueError: time data ' 2024-09-01' does not match format '%Y-%m-%d'");
  assert.equal(raises('24-09-01', '%Y-%m-%d'), "ValueError: time data '24-09-01' does not match format '%Y-%m-%d'");
  assert.equal(raises('2024-13-01', '%Y-%m-%d'), "ValueError: time data '2024-13-01' does not match format '%Y-%m-%d'");
  assert.equal(raises('2024-09-01 ', '%Y-%m-%d'), 'ValueError: unconverted data remains:  ');
  assert.equal(raises('2024-09-1 0', '%Y-%m-%d'), 'ValueError: unconverted data remains:  0');
  assert.equal(raises(20240901n, '%Y-%m-%d'), 'TypeError: strptime() argument 1 must be str, not int');
  assert.equal(raises(null, '%Y-%m-%d'), 'TypeError: strptime() argument 1 must be str, not None');
  assert.throws(() => strptime('x', '%j'), /not supported/);
});

test('second arithmetic crosses days, months, years and leap days', () => {
  const t0 = strptime('2024-09-01 10:30:00', '%Y-%m-%d %H:%M:%S');
  assert.equal(formatDateTime(addSeconds(t0, 69015)), '2024-09-02 05:40:15');
  assert.equal(formatDateTime(addSeconds(t0, 86400)), '2024-09-02 10:30:00');
  assert.equal(formatDateTime(addSeconds(strptime('2024-02-28', '%Y-%m-%d'), 86400)), '2024-02-29 00:00:00');
  assert.equal(formatDateTime(addSeconds(strptime('2023-12-31 23:59:59', '%Y-%m-%d %H:%M:%S'), 1)), '2024-01-01 00:00:00');
  // Round trip over a 400-year cycle boundary.
  const d = strptime('2000-12-31 12:00:00', '%Y-%m-%d %H:%M:%S');
  assert.deepEqual(fromSeconds(toSeconds(d)), d);
  assert.ok(compareDateTime(strptime('2024-09-02', '%Y-%m-%d'), t0) > 0);
  assert.equal(compareDateTime(t0, addSeconds(t0, 0)), 0);
});

test('strftime %I:%M %p', () => {
  assert.equal(formatClock12(strptime('10:30 AM', '%I:%M %p')), '10:30 AM');
  assert.equal(formatClock12(strptime('12:05 am', '%I:%M %p')), '12:05 AM');
  assert.equal(formatClock12(strptime('4:00 PM', '%I:%M %p')), '04:00 PM');
});
