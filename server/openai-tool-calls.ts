/**
 * Tool calls parsed back out of a model's text, per chat-template family. Only the Hermes /
 * Qwen2.5 / Qwen3 format is known: one JSON object `{"name": …, "arguments": {…}}` inside each
 * `<tool_call>…</tool_call>` block. Model output is data: a block that is not such an object
 * leaves the whole text as content (no tool calls), as vLLM's hermes parser does.
 */
import { createHash } from 'node:crypto';
import type { ToolCallFormat } from '../trainer/policy/tokenizer.js';

export interface ParsedToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ParsedToolCalls {
  /** Text outside the tool-call blocks, trimmed; null when there is none. */
  content: string | null;
  toolCalls: ParsedToolCall[];
}

/** Where tool-call text starts, for a streaming server to hold it back. */
export const TOOL_CALL_START: Record<ToolCallFormat, string> = { hermes: '<tool_call>' };

const HERMES_BLOCK = /<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g;

/**
 * A stable id for the k-th call of a choice (the same text gives the same id, so a seeded
 * request stays reproducible).
 */
function callId(key: string, k: number): string {
  return `call_${createHash('sha256').update(`${key}\u0000${k}`).digest('hex').slice(0, 24)}`;
}

/**
 * The tool calls in `text`, or undefined when it has none that parse. `key` makes call ids unique
 * per choice (e.g. the response id and the choice index).
 *
 * @example
 * parseToolCalls('hermes', '<tool_call>\n{"name": "f", "arguments": {"x": 1}}\n</tool_call>', 'chatcmpl-1/0')
 * // → { content: null, toolCalls: [{ id: 'call_…', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }] }
 */
export function parseToolCalls(format: ToolCallFormat, text: string, key: string): ParsedToolCalls | undefined {
  switch (format) {
    case 'hermes': {
      if (!text.includes('<tool_call>')) return undefined;
      const calls: ParsedToolCall[] = [];
      for (const m of text.matchAll(HERMES_BLOCK)) {
        let value: unknown;
        try {
          value = JSON.parse((m[1] ?? '').trim());
        } catch {
          return undefined;
        }
        const v = value as { name?: unknown; arguments?: unknown } | null;
        if (v === null || typeof v !== 'object' || typeof v.name !== 'string') return undefined;
        const args = v.arguments === undefined ? {} : v.arguments;
        calls.push({ id: callId(key, calls.length), type: 'function', function: { name: v.name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } });
      }
      const rest = text.replace(HERMES_BLOCK, '').trim();
      return { content: rest.length ? rest : null, toolCalls: calls };
    }
    default: {
      const never: never = format;
      throw new Error(`unknown tool-call format ${String(never)}`);
    }
  }
}
