import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerMatches, isLoopback } from './auth.js';

test('loopback is localhost, ::1 and 127.0.0.0/8 (also IPv4-mapped); anything else is not', () => {
  for (const h of ['localhost', '::1', '127.0.0.1', '127.1.2.3', '::ffff:127.0.0.1']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '::ffff:10.0.0.1', '127.example.com', '1127.0.0.1']) assert.ok(!isLoopback(h), h);
});

test('a bearer token matches only exactly', () => {
  const token = Buffer.from('s3cret');
  assert.ok(bearerMatches('Bearer s3cret', token));
  for (const h of [undefined, '', 's3cret', 'Bearer s3cre', 'Bearer s3cret ', 'bearer s3cret', 'Basic s3cret']) assert.ok(!bearerMatches(h, token), String(h));
});

test('serve-model with an API key answers 401 without it, and serves with it', async () => {
  const { startChatCompletionsServer } = await import('./chat-completions.js');
  const model = { contextLength: 8, weightsVersion: 0 } as unknown as import('../trainer/served-model.js').ServedModel;
  const server = await startChatCompletionsServer({ model, modelName: 'm', port: 0, apiKey: 'k' });
  try {
    const none = await fetch(`${server.baseURL}/models`);
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { error: { type: string } }).error.type, 'authentication_error');
    assert.equal((await fetch(`${server.baseURL}/models`, { headers: { authorization: 'Bearer kk' } })).status, 401);
    assert.equal((await fetch(`${server.baseURL}/models`, { headers: { authorization: 'Bearer k' } })).status, 200);
  } finally {
    await server.close();
  }
});
