/**
 * A multi-turn conversation as the model sees it: the chat template's token ids, and where each
 * message's tokens are, so `lossMask` (trainer/masks.ts) can give loss to assistant tokens only.
 *
 * Spans come from rendering growing prefixes of the conversation with the checkpoint's own
 * template, so they hold for any template whose rendering of a conversation starts with its
 * rendering of every shorter prefix (ChatML, Llama 3, …). Templates that rewrite earlier turns
 * (e.g. dropping past reasoning) are refused with that reason rather than given wrong spans.
 */
import type { Message } from '../../core/types.js';
import { ConfigError } from '../../core/errors.js';
import type { MessageSpan } from '../masks.js';
import type { PolicyTokenizer } from './tokenizer.js';

export interface EncodedConversation {
  /** Token ids of the rendered conversation (no generation prompt). */
  ids: number[];
  /** One span per message, in order. */
  spans: MessageSpan[];
}

export interface EncodeConversationOptions {
  /**
   * End-of-turn ids (the checkpoint's eos ids, e.g. `<|im_end|>`, `<|eot_id|>`). An assistant span
   * ends just after the first of them, so it holds exactly what the model samples (its text and
   * the token that stopped it) and not the template glue after it (ChatML's newline).
   */
  endOfTurnIds?: readonly number[];
}

function startsWith(a: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= a.length && prefix.every((x, i) => a[i] === x);
}

/**
 * Renders and tokenises `messages`, returning each message's token span. An assistant message's
 * span starts after its header (the generation prompt) and ends after its end-of-turn token.
 *
 * @example
 * const { ids, spans } = encodeConversation(policy.tokenizer, messages, { endOfTurnIds: policy.config.eosTokenIds });
 * const { mask } = lossMask(spans, ids.length, { isValidResponse });
 */
export function encodeConversation(tokenizer: PolicyTokenizer, messages: readonly Message[], opts: EncodeConversationOptions = {}): EncodedConversation {
  const eot = new Set(opts.endOfTurnIds ?? []);
  const render = (upTo: number, generationPrompt: boolean): number[] =>
    upTo === 0 && !generationPrompt ? [] : tokenizer.encodeChat(messages.slice(0, upTo), { addGenerationPrompt: generationPrompt });
  const ids = render(messages.length, false);
  const spans: MessageSpan[] = [];
  let previousEnd = 0;
  for (const [i, m] of messages.entries()) {
    const before = render(i, m.role === 'assistant');
    const after = render(i + 1, false);
    if (!startsWith(ids, after) || !startsWith(after, before) || before.length < previousEnd) {
      throw new ConfigError(
        `encodeConversation: the chat template does not render message ${i} (${m.role}) as an extension of the messages before it ` +
          '(it rewrites earlier turns, or tokens merge across the boundary), so per-message token spans are undefined; use a prefix-stable template.',
      );
    }
    let end = after.length;
    if (m.role === 'assistant' && eot.size) {
      const stop = after.findIndex((id, k) => k >= before.length && eot.has(id));
      if (stop >= 0) end = stop + 1;
    }
    spans.push({ role: m.role, start: before.length, end, content: m.content });
    previousEnd = after.length;
  }
  return { ids, spans };
}
