/**
 * Turning DOCKER_HOST-style addresses into dockerode connection options, and picking a host from a
 * pool, so sandboxes can run on another machine or spread over several when one is not enough.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { ConfigError } from '../../../core/errors.js';

/** The system daemon's address, the last resort. */
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
/** The private daemon `scripts/docker-daemon.sh` starts; preferred over the system one when it exists. */
export const EXITGYM_DOCKER_HOST = 'unix:///run/exitgym-docker.sock';

/**
 * The pool of daemon addresses: `explicit` if given, else EXITGYM_DOCKER_HOSTS (comma-separated),
 * else DOCKER_HOST, else the private daemon's socket when it exists, else the system socket.
 *
 * @example
 * dockerHosts(undefined, { DOCKER_HOST: 'unix:///run/exitgym-docker.sock' }) // ['unix:///run/exitgym-docker.sock']
 */
export function dockerHosts(explicit?: readonly string[], env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string[] {
  if (explicit && explicit.length > 0) return [...explicit];
  const pool = env.EXITGYM_DOCKER_HOSTS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (pool && pool.length > 0) return pool;
  const host = env.DOCKER_HOST?.trim();
  if (host) return [host];
  return [exists(new URL(EXITGYM_DOCKER_HOST).pathname) ? EXITGYM_DOCKER_HOST : DEFAULT_DOCKER_HOST];
}

/**
 * dockerode options for one address: `unix:///path`, `tcp://host:port` (TLS when DOCKER_TLS_VERIFY
 * is set, with certificates from DOCKER_CERT_PATH, as the docker CLI does) or `ssh://user@host[:port]`.
 */
export function dockerConnection(address: string, env: NodeJS.ProcessEnv = process.env): Docker.DockerOptions {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new ConfigError(`docker host ${JSON.stringify(address)} is not an address; use unix:///path/to.sock, tcp://host:2375 or ssh://user@host.`);
  }
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: decodeURIComponent(url.pathname) };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const tls = url.protocol === 'https:' || (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0');
      const opts: Docker.DockerOptions = { host: url.hostname, port: url.port || (tls ? '2376' : '2375'), protocol: tls ? 'https' : 'http' };
      if (tls && env.DOCKER_CERT_PATH) {
        const dir = env.DOCKER_CERT_PATH;
        opts.ca = readFileSync(join(dir, 'ca.pem'));
        opts.cert = readFileSync(join(dir, 'cert.pem'));
        opts.key = readFileSync(join(dir, 'key.pem'));
      }
      return opts;
    }
    case 'ssh:':
      return { protocol: 'ssh', host: url.hostname, port: url.port || '22', username: decodeURIComponent(url.username) || undefined };
    default:
      throw new ConfigError(`docker host ${JSON.stringify(address)}: protocol ${url.protocol} is not supported; use unix://, tcp:// or ssh://.`);
  }
}

/**
 * Index of the host to use next: the one with the fewest runs in flight, ties broken round-robin
 * from `cursor`, so a pool of equal hosts fills evenly.
 *
 * @example
 * pickHost([2, 0, 0], 2) // 2
 */
export function pickHost(inFlight: readonly number[], cursor: number): number {
  let best = -1;
  for (let k = 0; k < inFlight.length; k++) {
    const i = (cursor + k) % inFlight.length;
    if (best === -1 || (inFlight[i] as number) < (inFlight[best] as number)) best = i;
  }
  return best;
}
