import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { History } from './start-state.js';
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
 * The content identity of a start state or a history: the buffer deduplicates histories by it,
 * the curriculum counts distinct start states by it, and checkpoints and the HTTP server use it
 * as a stable id. A history hashes its task and turns only; a start state adds its mode and depth.
 * 16 hex chars (64 bits) keep keys short; collisions are negligible at buffer sizes (≤ 10^6).
 */
export function taskKey(value: StartState | History): string {
  const identity = 'mode' in value ? { taskId: value.taskId, turns: value.turns, mode: value.mode, depth: value.depth } : { taskId: value.taskId, turns: value.turns };
  return contentHash(identity).slice(0, 16);
}
