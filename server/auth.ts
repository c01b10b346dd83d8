/**
 * What both servers (`exitgym serve`, `exitgym serve-model`) check before trusting a request:
 * whether the bound address is loopback, and a bearer token compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Whether binding `host` keeps the server on this machine (`localhost`, `::1`, `127.0.0.0/8`, also IPv4-mapped). */
export function isLoopback(host: string): boolean {
  const v4 = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  return host === 'localhost' || host === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}

/** Whether an `Authorization` header is `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: Buffer): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1] as string);
  return given.length === token.length && timingSafeEqual(given, token);
}
