/**
 * Reading JSON request bodies so that every bad body gets a readable answer: an over-size body is
 * drained (up to a bound) before the 413 is sent, because a client that is still sending —
 * Python's `http.client` sends the whole body before it reads — sees a reset connection, not a
 * status, when the server stops reading early; and a deeply nested body is refused by a loop
 * (recursive code, including error previews, would overflow the stack).
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

/** Nesting deeper than this is refused (start states are about 8 levels deep). */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of a parsed JSON value, counted without recursion; stops counting past
 * `limit` (the value is then refused anyway).
 */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
    }
  }
  return max;
}

/**
 * Reads and parses a JSON body of at most `maxBytes`. Over the limit, keeps reading (and
 * discarding) up to `drainBytes` so the client can finish sending and read the 413.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number, drainBytes = Math.max(64 * 1024 * 1024, maxBytes * 4)): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  // Events rather than an async iterator: this runs on every request, and the iterator's set-up
  // was a visible share of a small request's cost.
  const { text, size, over } = await new Promise<{ text: string; size: number; over: boolean }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > maxBytes;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) over = true;
      if (over) {
        // Past the drain bound the connection is dropped: a client streaming without end gets no answer.
        if (size > drainBytes) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: over ? '' : chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'), size, over }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.readableEnded) reject(new HttpError(400, 'validation', 'the request body ended early (connection closed); send it again.'));
    });
  });
  if (over) {
    throw new HttpError(413, 'too_large', `request body of ${Number.isFinite(declared) ? declared : size} bytes is over the server's limit of ${maxBytes} bytes (--max-body-bytes); send less per request (split a batch).`);
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'validation', `request body is not valid JSON (${(e as Error).message}); send one JSON object.`);
  }
  // Each level of nesting takes two characters (its brackets), so a short body needs no walk: a
  // step's is about 100 characters, and the walk was a visible share of its cost.
  if (text.length > 2 * MAX_JSON_DEPTH && jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new HttpError(400, 'validation', `request body nests deeper than ${MAX_JSON_DEPTH} levels; no request needs that much (a start state is about 8).`);
  }
  return value;
}
