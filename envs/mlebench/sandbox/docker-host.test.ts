import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../core/errors.js';
import { DEFAULT_DOCKER_HOST, dockerConnection, dockerHosts, EXITGYM_DOCKER_HOST, pickHost } from './docker-host.js';

test('the pool: explicit, then EXITGYM_DOCKER_HOSTS, then DOCKER_HOST, then the private daemon, then the system socket', () => {
  assert.deepEqual(dockerHosts(['tcp://a:2375'], { DOCKER_HOST: 'unix:///x.sock' }), ['tcp://a:2375']);
  assert.deepEqual(dockerHosts(undefined, { EXITGYM_DOCKER_HOSTS: 'tcp://a:2375, tcp://b:2375', DOCKER_HOST: 'unix:///x.sock' }), ['tcp://a:2375', 'tcp://b:2375']);
  assert.deepEqual(dockerHosts(undefined, { DOCKER_HOST: 'unix:///run/exitgym-docker.sock' }), ['unix:///run/exitgym-docker.sock']);
  assert.deepEqual(dockerHosts(undefined, {}, () => false), [DEFAULT_DOCKER_HOST]);
  assert.deepEqual(dockerHosts(undefined, {}, (p) => p === '/run/exitgym-docker.sock'), [EXITGYM_DOCKER_HOST]);
});

test('addresses become dockerode options', () => {
  assert.deepEqual(dockerConnection('unix:///run/exitgym-docker.sock', {}), { socketPath: '/run/exitgym-docker.sock' });
  assert.deepEqual(dockerConnection('tcp://10.0.0.5:2375', {}), { host: '10.0.0.5', port: '2375', protocol: 'http' });
  assert.deepEqual(dockerConnection('tcp://box', { DOCKER_TLS_VERIFY: '1' }), { host: 'box', port: '2376', protocol: 'https' });
  assert.deepEqual(dockerConnection('ssh://me@box:2222', {}), { protocol: 'ssh', host: 'box', port: '2222', username: 'me' });
  assert.throws(() => dockerConnection('npipe:////./pipe/docker', {}), (e: unknown) => e instanceof ConfigError && /protocol npipe: is not supported/.test(e.message));
  assert.throws(() => dockerConnection('not a url', {}), /is not an address/);
});

test('pickHost: fewest runs in flight, ties round-robin from the cursor', () => {
  assert.equal(pickHost([2, 0, 0], 0), 1);
  assert.equal(pickHost([2, 0, 0], 2), 2);
  assert.equal(pickHost([1, 1, 1], 4), 1);
  assert.equal(pickHost([0], 7), 0);
});
