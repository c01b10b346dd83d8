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
