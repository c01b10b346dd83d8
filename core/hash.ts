import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { StartState } from './types.js';

/** JSON with sorted object keys, so equal values always serialise to the same text. */
export function canonicalJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('canonicalJson: value has no JSON form (undefined or a function).');
  return text;
}

/** Hex SHA-256 of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * The content identity of a start state: the buffer deduplicates by it, and checkpoints and the
 * HTTP server use it as a stable id. 16 hex chars (64 bits) keep keys short; collisions are
 * negligible at buffer sizes (≤ 10^6).
 */
export function taskKey(start: StartState): string {
  return contentHash({ taskId: start.taskId, turns: start.turns, mode: start.mode, depth: start.depth }).slice(0, 16);
}
