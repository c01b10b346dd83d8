/**
 * "Token in, token out" for multi-call episodes. The first call's prompt is the chat template's
 * rendering of the env's messages; every later call's prompt is the previous call's prompt ids,
 * then the ids the policy sampled (never re-tokenised), then the tokenised template text that
 * closes the assistant turn and renders the env's new messages and the next assistant header.
 * So the model generates from exactly the ids it is later trained on, and one episode is one
 * sequence whose env tokens are masked out.
 *
 * The completion text the env sees is the decoded sampled ids (special tokens dropped): with a
 * stop string it ends with the stop string (envs accept actions with or without it), so the text
 * and the trained ids describe the same completion.
 */
import { ConfigError } from '../../core/errors.js';
import type { Message } from '../../core/types.js';
import type { PolicyTokenizer } from '../policy/tokenizer.js';

/** What a sampler keeps between calls of one conversation (`BatchRow.context`). */
export interface TokenContext {
  /** Prompt ids + sampled ids of the previous call. */
  ids: number[];
  /** Messages covered by `ids` (the previous prompt's messages + the assistant reply). */
  covered: number;
  /** Whether the previous completion ended with an end-of-turn token the model sampled. */
  endedWithEot: boolean;
}

/** Tool results go in as user messages: the chat templates of small models rarely know `tool` (as `LocalPolicyClient` does). */
export function templateMessages(messages: readonly Message[]): Message[] {
  return messages.map((m) => (m.role === 'tool' ? { role: 'user', content: m.content } : m));
}

/**
 * Prompt ids for the next call of a conversation: the rendered messages for a first call, else
 * `context.ids` extended by the template text after the assistant reply (see the file comment).
 */
export function nextPromptIds(tokenizer: PolicyTokenizer, messages: readonly Message[], context: TokenContext | undefined): number[] {
  const msgs = templateMessages(messages);
  if (!context) return tokenizer.encodeChat(msgs);
  const { covered } = context;
  const reply = msgs[covered - 1];
  if (!reply || reply.role !== 'assistant' || covered > msgs.length) {
    throw new ConfigError(`token context: message ${covered - 1} should be the assistant reply the context was sampled for; the conversation was edited between calls.`);
  }
  const header = tokenizer.renderChat(msgs.slice(0, covered - 1), { addGenerationPrompt: true });
  const closed = tokenizer.renderChat(msgs.slice(0, covered), { addGenerationPrompt: false });
  const next = tokenizer.renderChat(msgs, { addGenerationPrompt: true });
  const replyText = tokenizer.markText(reply.content);
  if (!closed.startsWith(header + replyText) || !next.startsWith(closed)) {
    throw new ConfigError(
      'the chat template does not render a conversation as an extension of its earlier turns (it rewrites the assistant text or earlier messages), ' +
        'so the ids sampled in earlier calls cannot be kept; use a prefix-stable template (ChatML, Llama 3, …) for multi-call training.',
    );
  }
  // The template text after the reply (e.g. `<|im_end|>\n`); a sampled end-of-turn token already holds its first part.
  let glue = closed.slice(header.length + replyText.length);
  if (context.endedWithEot) {
    const eotText = tokenizer.decode([context.ids[context.ids.length - 1] as number], { skipSpecialTokens: false });
    if (glue.startsWith(eotText)) glue = glue.slice(eotText.length);
  }
  const tail = glue + next.slice(closed.length);
  return [...context.ids, ...(tail ? tokenizer.encode(tail) : [])];
}

/** The text an env sees for sampled ids: decoded, special tokens dropped. */
export function completionText(tokenizer: PolicyTokenizer, ids: readonly number[]): string {
  return tokenizer.decode(ids);
}
