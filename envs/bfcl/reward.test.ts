import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCallString } from './call-string.js';
import { PyTuple } from './python/value.js';
import { callsEqual, exitReward, groundTruthRecord, turnCallsMatch, type CallRecord } from './reward.js';

const call = (name: string, args: Record<string, unknown>): CallRecord => ({ name, args: Object.entries(args) as CallRecord['args'] });

test('positional ground-truth arguments: bound by signature (fixed) or named argN (compat)', () => {
  const p = parseCallString("sort('final_report.pdf')");
  assert.deepEqual(groundTruthRecord(p, ['file_name'], false), call('sort', { file_name: 'final_report.pdf' }));
  assert.deepEqual(groundTruthRecord(p, ['file_name'], true), call('sort', { arg1: 'final_report.pdf' }));
  const model = call('sort', { file_name: 'final_report.pdf' });
  assert.ok(callsEqual(groundTruthRecord(p, ['file_name'], false), model));
  assert.ok(!callsEqual(groundTruthRecord(p, ['file_name'], true), model));
});

test('compat turns top-level lists into tuples; a list never equals a tuple', () => {
  const rec = groundTruthRecord(parseCallString("post_tweet(content='x', tags=['#a'])"), ['content', 'tags', 'mentions'], true);
  assert.ok(rec.args[1]?.[1] instanceof PyTuple);
  assert.ok(!callsEqual(rec, call('post_tweet', { content: 'x', tags: ['#a'] })));
  assert.ok(callsEqual(rec, call('post_tweet', { content: 'x', tags: new PyTuple(['#a']) })));
});

test('argument equality is Python equality, and the argument sets must be the same', () => {
  assert.ok(callsEqual(call('f', { a: 1n, b: 'x' }), call('f', { b: 'x', a: 1.0 })), '1 == 1.0, order ignored');
  assert.ok(callsEqual(call('f', { a: true }), call('f', { a: 1n })), 'True == 1');
  assert.ok(!callsEqual(call('f', { a: '1' }), call('f', { a: 1n })), "'1' != 1");
  assert.ok(!callsEqual(call('f', { a: 1n }), call('f', { a: 1n, b: 10n })), 'an extra explicit default does not match');
  assert.ok(!callsEqual(call('f', { a: 1n }), call('g', { a: 1n })));
});

test('turn matching is multiset containment; extra model calls are fine', () => {
  const ls = call('ls', {});
  const cd = call('cd', { folder: 'a' });
  assert.ok(turnCallsMatch([cd, ls], [ls, call('pwd', {}), cd], false));
  assert.ok(!turnCallsMatch([ls, ls], [ls], false), 'two ground-truth ls need two model ls');
  assert.ok(turnCallsMatch([ls, ls], [ls, cd, ls], false));
  assert.ok(!turnCallsMatch([cd], [], false));
});

test('an empty ground-truth turn is satisfied, except under compat', () => {
  assert.equal(turnCallsMatch([], [], false), true);
  assert.equal(turnCallsMatch([], [call('ls', {})], false), true);
  assert.equal(turnCallsMatch([], [call('ls', {})], true), false);
  assert.equal(turnCallsMatch([], [], true), false);
});

test('reward 1 needs every class state equal and every turn matched', () => {
  const ls = call('ls', {});
  const both = { groundTruth: [[ls], []], model: [[ls], []], bespokeCompat: false };
  assert.deepEqual(exitReward({ ...both, stateMatches: [true, true] }), { reward: 1, stateMatches: [true, true], turnMatches: [true, true] });
  assert.equal(exitReward({ ...both, stateMatches: [true, false] }).reward, 0);
  assert.equal(exitReward({ ...both, bespokeCompat: true, stateMatches: [true] }).reward, 0, 'the empty turn fails under compat');
  assert.equal(exitReward({ groundTruth: [[ls]], model: [], bespokeCompat: false, stateMatches: [true] }).reward, 0, 'a turn never reached has no calls');
});
