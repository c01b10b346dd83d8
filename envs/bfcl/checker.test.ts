import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTurn, missingFromMultiset } from './checker.js';

const base = { turn: 1, groundTruthCalls: ['ls()'], groundTruthResults: ['A', 'B'], modelCallCount: 2, modelResultsSoFar: ['B', 'x', 'A'], stateMismatches: [] };

test('multiset containment counts repeats', () => {
  assert.deepEqual(missingFromMultiset(['a', 'a', 'b'], ['a', 'b', 'c']), ['a']);
  assert.deepEqual(missingFromMultiset(['a', 'a'], ['a', 'c', 'a']), []);
  assert.deepEqual(missingFromMultiset([], []), []);
});

test('a turn passes with equal state and every ground-truth result among the cumulative model results', () => {
  assert.deepEqual(checkTurn(base), { turn: 1, passed: true });
});

test('each failure names its cause', () => {
  assert.deepEqual(checkTurn({ ...base, modelCallCount: 0 }), { turn: 1, passed: false, reason: 'Model response list is empty for turn 1' });
  const state = checkTurn({ ...base, stateMismatches: ['GorillaFileSystem'] });
  assert.equal(state.passed, false);
  assert.match(state.reason ?? '', /state differs .* GorillaFileSystem/);
  const resp = checkTurn({ ...base, modelResultsSoFar: ['A', 'x'] });
  assert.equal(resp.passed, false);
  assert.match(resp.reason ?? '', /1 ground-truth result\(s\) not among the model's results, e\.g\. "B"/);
});

test('an empty ground-truth turn is skipped', () => {
  assert.deepEqual(checkTurn({ ...base, groundTruthCalls: [], groundTruthResults: [], modelCallCount: 0, stateMismatches: ['X'] }), { turn: 1, passed: true });
});
