import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../envs/builtin.js';
import { envEntry, type EnvEntry } from '../envs/registry.js';
import { checkHttpOptions, httpOptionSchema } from './env-options.js';

type Obj = { properties: Record<string, Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }> };
const props = (e: EnvEntry): Obj['properties'] => (httpOptionSchema(e) as unknown as Obj).properties;

test('the HTTP options are the x-http-marked subset of each env schema, with the tighter bounds', () => {
  assert.deepEqual(Object.keys(props(envEntry('math'))), ['split', 'verifyTimeoutMs']);
  assert.deepEqual(props(envEntry('math')).verifyTimeoutMs?.maximum, 10_000);
  assert.deepEqual(Object.keys(props(envEntry('bfcl'))), ['split', 'config', 'bespokeCompat', 'today', 'maxSteps']);
  assert.equal(props(envEntry('bfcl')).maxSteps?.maximum, 200);
  const mle = props(envEntry('mlebench-spooky-author-identification'));
  assert.deepEqual(Object.keys(mle), ['sandbox', 'synthetic', 'seed', 'scale', 'limits', 'paperSpookyRange']);
  assert.equal(mle.synthetic?.const, true);
  assert.deepEqual(Object.keys(mle.limits?.properties ?? {}), ['wallSeconds', 'cpuSeconds', 'memoryMb', 'maxProcesses', 'maxOutputBytes', 'maxFileBytes']);
  assert.equal(mle.limits?.additionalProperties, false);
  // No mark is served, and the env's own schema is left as it was.
  assert.doesNotMatch(JSON.stringify(httpOptionSchema(envEntry('bfcl'))), /x-http/);
  assert.ok('dataDir' in envEntry('bfcl').optionsSchema.properties);
});

test('an env that marks nothing (a plugin) takes no options over HTTP; marked ones are checked with their bounds', () => {
  const base = envEntry('math');
  const plugin: EnvEntry = { ...base, id: 'plugin-x', optionsSchema: { type: 'object', properties: { path: { type: 'string' } }, additionalProperties: false } };
  assert.deepEqual(props(plugin), {});
  assert.throws(() => checkHttpOptions(plugin, { path: '/etc' }, 'test'), /not accepted over HTTP/);
  const marked: EnvEntry = { ...base, id: 'plugin-y', optionsSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 0, 'x-http': { maximum: 5 } } as never, path: { type: 'string' } }, additionalProperties: false } };
  assert.deepEqual(Object.keys(props(marked)), ['n']);
  assert.throws(() => checkHttpOptions(marked, { n: 6 }, 'test'), /not accepted over HTTP.*maximum|must be <= 5/s);
  assert.throws(() => checkHttpOptions(base, { verifyTimeoutMs: 60_000 }, 'test'), /not accepted over HTTP/);
});
