import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from './errors.js';
import { taskKey } from './hash.js';
import {
  answerText,
  baseStart,
  checkHistoryTask,
  continueStart,
  divergeStart,
  historyDepth,
  historyOf,
  improveStart,
  iterateKind,
  latestIterate,
  validateStartState,
  type History,
} from './start-state.js';
import type { Iterate, Turn } from './types.js';

const it = (text: string, kind: Iterate['kind'] = 'initial'): Iterate => ({ response: [{ role: 'assistant', content: text }, { role: 'tool', content: `ran ${text}` }], quality: 0, kind });
const turn = (q: string, ...iterates: Iterate[]): Turn => ({ input: [{ role: 'system', content: 'sys' }, { role: 'user', content: q }], iterates });
const history: History = { taskId: 't/1', turns: [turn('q0', it('a')), turn('q1', it('b'), it('c', 'improve'))] };

test('constructors: base, continue, improve and diverge starts; depth defaults to the steps taken on the last turn', () => {
  assert.deepEqual(baseStart('t/1'), { taskId: 't/1', turns: [], mode: 'base', depth: 0 });
  assert.deepEqual(continueStart(history), { taskId: 't/1', turns: history.turns, mode: 'base', depth: 0 });
  assert.deepEqual(improveStart(history), { taskId: 't/1', turns: history.turns, mode: 'improve', depth: 1 });
  assert.deepEqual(divergeStart(history, 7), { taskId: 't/1', turns: history.turns, mode: 'diverge', depth: 7 });
  for (const s of [baseStart('t/1'), continueStart(history), improveStart(history), divergeStart(history)]) validateStartState(s, 'test');
  assert.equal(historyDepth({ taskId: 't', turns: [] }), 0);
  assert.deepEqual(historyOf(improveStart(history)), history);
});

test('a history hashes without a mode or depth; a start state with them', () => {
  assert.equal(taskKey(history), taskKey({ turns: history.turns, taskId: 't/1' }));
  assert.notEqual(taskKey(history), taskKey(improveStart(history)));
  assert.notEqual(taskKey(improveStart(history)), taskKey(divergeStart(history)));
});

test('latestIterate reads a turn, a trace or a history; answerText picks the messages per view', () => {
  assert.equal(latestIterate(history)?.response[0]?.content, 'c');
  assert.equal(latestIterate(history.turns)?.response[0]?.content, 'c');
  assert.equal(latestIterate(history.turns[0])?.response[0]?.content, 'a');
  assert.equal(latestIterate({ turns: [] }), undefined);
  assert.equal(latestIterate(undefined), undefined);
  const response = (latestIterate(history) as Iterate).response;
  assert.equal(answerText(response, 'assistant'), 'c');
  assert.equal(answerText(response, 'transcript'), 'c\n\nran c');
});

test('iterateKind: a base step answers the turn, the others are named after their mode', () => {
  assert.deepEqual((['base', 'improve', 'diverge'] as const).map(iterateKind), ['initial', 'improve', 'diverge']);
});

test('checkHistoryTask: passes a start with no history or its own, names both requests otherwise', () => {
  const asks = (q: string) => (input: readonly { content: string }[]) => input.some((m) => m.content === q);
  checkHistoryTask('env', baseStart('t/1'), asks('q0'), 'q0');
  checkHistoryTask('env', improveStart(history), asks('q0'), 'q0');
  assert.throws(
    () => checkHistoryTask('env', improveStart({ ...history, taskId: 't/2' }), asks('other'), 'other'),
    (e: unknown) => e instanceof ValidationError && e.message.startsWith('env: the start state\'s history does not belong to task "t/2": its first turn asks "q0", the task asks "other".'),
  );
});
