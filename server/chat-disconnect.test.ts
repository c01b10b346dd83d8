/**
 * `exitgym serve-model` when a client goes away mid-answer: the generation it asked for stops
 * (a CPU server would otherwise compute for nobody, holding up every request queued behind it);
 * and when more clients come than the queue takes: 429 with Retry-After, not a longer queue.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { writeTinyModel } from '../testing/tiny-model.js';
import { loadPolicy } from '../trainer/policy/policy.js';
import type { ServedRequest } from '../trainer/served-model.js';
import { ServedPolicy } from '../trainer/served-policy.js';
import { startChatCompletionsServer } from './chat-completions.js';

type Answer = { status: number; retryAfter: string | undefined; text: string };

/** POSTs JSON; `onFirstData` gets a function that drops the connection (answering what came so far). */
function postJson(url: URL, b: unknown, onFirstData?: (destroy: () => void) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(b);
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      const answer = (): Answer => ({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, text });
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        onFirstData?.(() => {
          req.destroy();
          resolve(answer());
        });
        onFirstData = undefined;
      });
      res.on('end', () => resolve(answer()));
      res.on('error', () => resolve(answer()));
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end(data);
  });
}

test('a client that disconnects mid-stream stops its generation; the server goes on serving', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-disconnect-'));
  await writeTinyModel(dir, { seed: 3, extraConfig: { max_position_embeddings: 4096 } });
  const inner = new ServedPolicy(await loadPolicy(dir, { backend: 'wasm', trainable: false, log: () => {} }));
  // The real served policy, with each generation's outcome recorded.
  const outcomes: string[] = [];
  const model = Object.create(inner) as ServedPolicy;
  model.generate = async (r: ServedRequest) => {
    try {
      const out = await inner.generate(r);
      outcomes.push(`done: ${out.choices.map((c) => c.tokenIds.length).join(',')}`);
      return out;
    } catch (e) {
      outcomes.push(`failed: ${(e as Error).message}`);
      throw e;
    }
  };
  const server = await startChatCompletionsServer({ model, modelName: 'tiny', port: 0 });
  const url = new URL(`${server.baseURL}/completions`);
  const body = { model: 'tiny', prompt: 'the cat', max_tokens: 1500, n: 4, temperature: 1, seed: 5 };
  const post = async (b: unknown, onFirstData?: (destroy: () => void) => void): Promise<string> => (await postJson(url, b, onFirstData)).text;
  try {
    // The same seeded request run to its end: the premise, a long generation.
    const full = JSON.parse(await post(body)) as { choices: { token_ids: number[] }[] };
    const longest = Math.max(...full.choices.map((c) => c.token_ids.length));
    assert.ok(longest >= 100, `the full answer is long (${longest} tokens)`);
    outcomes.length = 0;

    await post({ ...body, stream: true }, (destroy) => destroy());
    for (let i = 0; i < 200 && outcomes.length === 0; i++) await sleep(50);
    assert.deepEqual(outcomes, ['failed: the client closed the connection before the answer was complete']);

    const after = JSON.parse(await post({ ...body, max_tokens: 3, n: 1 })) as { choices: unknown[] };
    assert.equal(after.choices.length, 1);
  } finally {
    await server.close();
    await inner.close();
  }
});

test('beyond --max-queued, a completion request answers 429 with Retry-After; the queue drains and serves again', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-queue-'));
  await writeTinyModel(dir, { seed: 3, extraConfig: { max_position_embeddings: 4096 } });
  const model = new ServedPolicy(await loadPolicy(dir, { backend: 'wasm', trainable: false, log: () => {} }));
  const server = await startChatCompletionsServer({ model, modelName: 'tiny', port: 0, maxQueued: 2 });
  const url = new URL(`${server.baseURL}/completions`);
  // The long seeded request of the test above (≥ 100 tokens for some of its 4 samples).
  const body = { model: 'tiny', prompt: 'the cat', max_tokens: 1500, n: 4, temperature: 1, seed: 5 };
  const post = (b: unknown, onFirstData?: () => void): Promise<Answer> => postJson(url, b, onFirstData);
  try {
    // A streams (running), then B and C arrive while it runs: one of them fits the cap of 2, the other does not.
    let bc: Promise<Answer[]> | undefined;
    const a = post({ ...body, stream: true }, () => {
      bc = Promise.all([post(body), post(body)]);
    });
    const first = await a;
    assert.equal(first.status, 200);
    const answers = await (bc as Promise<Answer[]>);
    const refused = answers.filter((r) => r.status === 429);
    assert.equal(refused.length, 1, `one of B, C is refused: ${answers.map((r) => r.status).join(', ')}`);
    assert.equal(answers.filter((r) => r.status === 200).length, 1);
    const r = refused[0] as Answer;
    assert.equal(r.retryAfter, '1');
    const err = (JSON.parse(r.text) as { error: { type: string; message: string } }).error;
    assert.equal(err.type, 'rate_limit_error');
    assert.match(err.message, /2 completion requests queued or running/);
    // Drained: the next request is served.
    assert.equal((await post({ ...body, max_tokens: 3, n: 1 })).status, 200);
  } finally {
    await server.close();
    await model.close();
  }
});
