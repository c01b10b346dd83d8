/**
 * Loss masks for multi-turn conversations (pure). Only the policy's own tokens (assistant
 * messages) carry loss; prompts, tool results and user turns are context. Overlong filtering
 * (DAPO, used by the paper for tool use) zeroes responses that contain none of the domain's valid
 * response types, e.g. a BFCL reply cut off before `<tool>…</tool>`, `<TASK_FINISHED>` or `<TASK_ERROR>`.
 */
import { ConfigError } from '../core/errors.js';
import type { Role } from '../core/types.js';

/** Where one message's tokens sit in the tokenised conversation: `[start, end)`. */
export interface MessageSpan {
  role: Role;
  start: number;
  end: number;
  /** The message text, for the overlong-filter predicate. */
  content: string;
}

export interface LossMaskOptions {
  /**
   * The domain's "has a valid response type" predicate. An assistant message for which it returns
   * false gets mask 0 (overlong filtering). Absent: every assistant message counts.
   */
  isValidResponse?: (content: string) => boolean;
}

/** The mask and what went into it. */
export interface LossMask {
  /** 1 on tokens that carry loss, else 0; length = the conversation's token count. */
  mask: Uint8Array;
  /** Assistant messages kept. */
  kept: number;
  /** Assistant messages zeroed by the overlong filter. */
  filtered: number;
}

/**
 * Builds the loss mask of one tokenised conversation from its message spans. Spans must be sorted,
 * non-overlapping and inside `[0, length)`; tokens outside every span (template glue, padding) get 0.
 *
 * @example
 * lossMask([{ role: 'user', start: 0, end: 3, content: 'q' }, { role: 'assistant', start: 3, end: 5, content: 'a' }], 6).mask
 * // Uint8Array [0, 0, 0, 1, 1, 0]
 */
export function lossMask(spans: readonly MessageSpan[], length: number, options: LossMaskOptions = {}): LossMask {
  if (!Number.isInteger(length) || length < 0) throw new ConfigError(`lossMask: length must be a non-negative integer; got ${length}.`);
  const mask = new Uint8Array(length);
  let kept = 0;
  let filtered = 0;
  let previousEnd = 0;
  for (const [i, s] of spans.entries()) {
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < previousEnd || s.end < s.start || s.end > length) {
      throw new ConfigError(
        `lossMask: span ${i} (${s.role}) is [${s.start}, ${s.end}); spans must be integer, sorted, non-overlapping and inside [0, ${length}) ` +
          `(previous span ended at ${previousEnd}). Check the tokenizer's offsets.`,
      );
    }
    previousEnd = s.end;
    if (s.role !== 'assistant') continue;
    if (options.isValidResponse && !options.isValidResponse(s.content)) {
      filtered++;
      continue;
    }
    kept++;
    mask.fill(1, s.start, s.end);
  }
  return { mask, kept, filtered };
}

/**
 * Overlong filtering for a single-response completion: the completion mask unchanged if the text
 * has a valid response type, else all zeros (a new array either way).
 *
 * @example overlongFilter(Uint8Array.of(1, 1), 'no tags', (t) => t.includes('<tool>')) // Uint8Array [0, 0]
 */
export function overlongFilter(mask: Uint8Array, content: string, isValidResponse: (content: string) => boolean): Uint8Array {
  return isValidResponse(content) ? Uint8Array.from(mask) : new Uint8Array(mask.length);
}

/** Number of tokens carrying loss (the |o_i| of the GRPO objective). */
export function maskedLength(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  return n;
}
