import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ProviderError } from '../core/errors.js';
import { startChatServer, type ChatServer } from '../test/fixtures/chat-server.js';
import { OpenAIPolicyClient } from './openai-client.js';

let server: ChatServer;
before(async () => {
  server = await startChatServer((messages, seed) => `echo: ${messages[messages.length - 1]?.content} seed=${seed}`);
});
after(async () => server.close());

const user = [{ role: 'user' as const, content: 'hi' }];

async function failure(client: OpenAIPolicyClient): Promise<ProviderError> {
  try {
    await client.complete({ messages: user });
  } catch (e) {
    assert.ok(e instanceof ProviderError, `expected ProviderError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

test('a completion returns text, logprobs and usage; the model is discovered from /models', async () => {
  server.mode = 'ok';
  const client = new OpenAIPolicyClient({ baseURL: server.baseURL });
  assert.equal(await client.resolveModel(), 'scripted-model');
  const c = await client.complete({ messages: [{ role: 'system', content: 's' }, { role: 'tool', content: 'result' }], seed: 7, logprobs: true });
  assert.equal(c.text, 'echo: result seed=7');
  assert.deepEqual(c.logprobs, [-0.5]);
  assert.deepEqual(c.usage, { promptTokens: 3, completionTokens: 1 });
  assert.equal(server.requests.at(-1)!.messages[1]!.role, 'user', 'tool messages go as user messages by default');
});

test('an unreachable endpoint is one clear error naming it', async () => {
  const client = new OpenAIPolicyClient({ baseURL: 'http://127.0.0.1:9/v1', model: 'm', maxRetries: 0 });
  const e = await failure(client);
  assert.equal(e.failure, 'unreachable');
  assert.equal(e.fatal, true);
  assert.match(e.message, /^cannot reach the model endpoint http:\/\/127\.0\.0\.1:9\/v1: .*Is the server running/);
});

test('a bad key says to pass --api-key', async () => {
  server.mode = 'unauthorized';
  const e = await failure(new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm', apiKey: 'bad' }));
  assert.equal(e.failure, 'auth');
  assert.match(e.message, /rejected the API key \(HTTP 401\); pass --api-key or set OPENAI_API_KEY/);
});

test('5xx is retried with back-off, then reported', async () => {
  server.mode = 'error500';
  const start = server.requests.length;
  const e = await failure(new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm', maxRetries: 2 }));
  assert.equal(server.requests.length - start, 3, 'one try plus two retries');
  assert.equal(e.failure, 'server');
  assert.equal(e.fatal, false);
  assert.match(e.message, /failed POST \/chat\/completions \(HTTP 500\) after retries/);
});

test('a 429 is retried and then succeeds', async () => {
  server.mode = 'rateLimitOnce';
  const c = await new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm', maxRetries: 2 }).complete({ messages: user });
  assert.match(c.text, /^echo: hi/);
});

test('a garbage response is reported as not a chat completion', async () => {
  server.mode = 'garbage';
  const e = await failure(new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm' }));
  assert.equal(e.failure, 'garbage');
  assert.match(e.message, /not an OpenAI chat completion \(no choices\[0\]\.message\.content\): \{"hello":"world"\}/);
});

test('a URL that is not an OpenAI API (HTML pages, cut-off JSON) is one clear line, not a crash', async () => {
  server.mode = 'html';
  const list = await failure(new OpenAIPolicyClient({ baseURL: server.baseURL }));
  assert.equal(list.failure, 'garbage');
  assert.equal(list.message, `the model endpoint ${server.baseURL} returned something that is not an OpenAI model list for GET /models. Is it an OpenAI-compatible /v1 base URL?`);
  const page = await failure(new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm' }));
  assert.match(page.message, /not an OpenAI chat completion \(no choices\[0\]\.message\.content\): "<html><body>Welcome to nginx!<\/body><\/html>"\. Is it an OpenAI-compatible/);
  server.mode = 'badJson';
  const cut = await failure(new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm', maxRetries: 0 }));
  assert.equal(cut.failure, 'garbage');
  assert.equal(cut.fatal, true);
  assert.match(cut.message, /^the model endpoint \S+ returned something that is not an OpenAI chat completion for POST \/chat\/completions: .*JSON.*\. Is it an OpenAI-compatible \/v1 base URL\?$/);
  for (const e of [list, page, cut]) assert.ok(!e.message.includes('\n'), 'one line');
});

test('no more than `concurrency` requests are in flight at once', async () => {
  server.mode = 'ok';
  server.delayMs = 40;
  server.maxInFlight = 0;
  try {
    const client = new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm', concurrency: 3 });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => client.complete({ messages: [{ role: 'user', content: `q${i}` }] })));
    assert.deepEqual(answers.map((a) => a.text), Array.from({ length: 10 }, (_, i) => `echo: q${i} seed=undefined`));
    assert.equal(server.maxInFlight, 3);
    server.maxInFlight = 0;
    await Promise.all(Array.from({ length: 4 }, () => new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm', concurrency: 1 }).complete({ messages: user })));
    assert.equal(server.maxInFlight, 4, 'separate clients do not share a limit (the server really serves in parallel)');
  } finally {
    server.delayMs = 0;
  }
});

test('a hanging server times out with the limit in the message', async () => {
  server.mode = 'hang';
  const e = await failure(new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'm', timeoutMs: 300, maxRetries: 0 }));
  assert.equal(e.failure, 'timeout');
  assert.match(e.message, /did not answer POST \/chat\/completions within 0\.3 s; raise --timeout/);
});

test('a non-URL endpoint is refused up front', () => {
  assert.throws(() => new OpenAIPolicyClient({ baseURL: 'localhost:8000' }), /is not a URL; pass e\.g\. http:\/\/localhost:8000\/v1/);
});

test('completeMany: one request with n; an endpoint that ignores n gets one request per sample from then on, each with its own seed', async (t) => {
  server.mode = 'ok';
  const grouped = await new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'scripted-model' }).completeMany({ messages: user, seed: 3 }, 3);
  assert.equal(grouped.length, 3);
  assert.equal(server.requests.at(-1)!.n, 3);
  server.ignoreN = true;
  t.after(() => (server.ignoreN = false));
  const client = new OpenAIPolicyClient({ baseURL: server.baseURL, model: 'scripted-model' });
  const start = server.requests.length;
  const a = await client.completeMany({ messages: user, seed: 3 }, 3);
  assert.equal(a.length, 3);
  const seeds = a.map((c) => /seed=(\d+)/.exec(c.text)?.[1]);
  assert.equal(new Set(seeds).size, 3, 'every sample has its own seed');
  assert.equal(server.requests.length - start, 4, 'the n request (answered with one choice), then one per sample');
  const b = await client.completeMany({ messages: user, seed: 3 }, 3);
  assert.deepEqual(b.map((c) => c.text), a.map((c) => c.text), 'reproducible');
  assert.equal(server.requests.length - start, 7, 'no second n request');
});
