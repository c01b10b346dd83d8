import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedClient } from '../rollout/scripted-client.js';
import type { Completion, CompletionRequest, PolicyClient } from '../rollout/types.js';
import { FirstCallGroups } from './first-call-groups.js';

const ask = (seed: number, content = 'q'): CompletionRequest => ({ messages: [{ role: 'user', content }], seed });

/** A client with completeMany that records every call. */
function groupClient(): PolicyClient & { calls: { n: number; seed: number | undefined }[] } {
  const calls: { n: number; seed: number | undefined }[] = [];
  return {
    id: 'grouped',
    calls,
    complete: async (r) => (calls.push({ n: 1, seed: r.seed }), { text: `${r.messages[0]!.content}@${r.seed}`, finishReason: 'stop' }),
    completeMany: async (r, n): Promise<Completion[]> => {
      calls.push({ n, seed: r.seed });
      return Array.from({ length: n }, (_, j) => ({ text: `${r.messages[0]!.content}@${r.seed}#${j}`, finishReason: 'stop' }));
    },
  };
}

test('the samples of a task share one request; sample j gets choice j; another task is another group', async () => {
  const client = groupClient();
  const groups = new FirstCallGroups(client, 3);
  const texts = await Promise.all([0, 1, 2].map((j) => groups.clientFor('t1', j).complete(ask(7)).then((c) => c.text)));
  assert.deepEqual(texts, ['q@7#0', 'q@7#1', 'q@7#2']);
  assert.equal((await groups.clientFor('t2', 1).complete(ask(8))).text, 'q@8#1');
  assert.deepEqual(client.calls, [{ n: 3, seed: 7 }, { n: 3, seed: 8 }]);
  // Every sample of t1 took its answer: the group is gone, so asking again is a new request.
  await groups.clientFor('t1', 0).complete(ask(7));
  assert.equal(client.calls.length, 3);
});

test('a sample whose first question differs is asked alone; a client without completeMany asks per sample with forked seeds', async () => {
  const client = groupClient();
  const groups = new FirstCallGroups(client, 2);
  await groups.clientFor('t', 0).complete(ask(1, 'a'));
  const alone = await groups.clientFor('t', 1).complete(ask(1, 'b'));
  assert.equal(client.calls.at(-1)?.n, 1);
  assert.match(alone.text, /^b@\d+$/);
  assert.notEqual(alone.text, 'b@1', 'seeded as its own sample');

  const scripted = new ScriptedClient(({ seed }) => `s${seed}`);
  const plain = new FirstCallGroups(scripted, 2);
  const [x, y] = await Promise.all([0, 1].map((j) => plain.clientFor('t', j).complete(ask(5))));
  assert.equal(scripted.calls, 2);
  assert.notEqual(x!.text, y!.text);
});
