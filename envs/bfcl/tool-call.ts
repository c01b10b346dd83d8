/**
 * Reading one assistant message of the BFCL protocol (SPEC §3.2): `<TASK_ERROR>` gives up,
 * `<TASK_FINISHED>` ends the current user request, otherwise the first `<tool>…</tool>` block
 * holds a JSON list of `{"name": …, "args": {…}}` calls. JSON numbers keep Python's int/float
 * distinction (`5` vs `5.0`), as `json.loads` would.
 */
import { isPyException } from './python/errors.js';
import { jsonLoads } from './python/json.js';
import type { PyValue } from './python/value.js';

/** One item of the tool list: a well-formed call, or what was wrong with it. */
export type ToolItem = { ok: true; name: string; args: [string, PyValue][]; raw: PyValue } | { ok: false; raw: PyValue };

/** What an assistant message asks for. */
export type ParsedAction =
  | { kind: 'finished' }
  | { kind: 'error' }
  | { kind: 'tools'; items: ToolItem[] }
  /** No usable tool block; `reason` is the feedback for the model. */
  | { kind: 'invalid'; reason: string; error: 'no_tool_call' | 'invalid_json' | 'not_a_list' | 'empty_list' };

/** Feedback texts, Bespoke Labs' wording (SPEC §3.2), so prompts trained on it still apply. */
export const TOOL_FEEDBACK = {
  no_tool_call:
    'Error: Function call not found in current assistant response. Tool command must be one list of JSON objects. Please ensure correct formatting. ' +
    'If task is finished, please respond with the <TASK_FINISHED> tag. If task is problematic, please respond with the <TASK_ERROR> tag.',
  invalid_json: 'Error in decoding tool call: Invalid JSON format. Tool command must be one list of JSON objects. Please ensure correct formatting.',
  not_a_list: 'Error: Invalid tool command. Tool command must be one list of JSON objects. Please ensure correct formatting.',
  empty_list: 'Function Call Failed. Error: Found empty tool calls.',
} as const;

/**
 * The first `<tool>` block's content, trimmed; an unclosed block (the `</tool>` stop string was
 * cut) runs to the end. Found with indexOf: the regular expression this replaces
 * (`<tool>\s*([\s\S]*?)\s*<\/tool>`) backtracked cubically on an unclosed block of whitespace,
 * 0.4 s for 1,000 spaces and minutes for 10,000, and the text is the policy's.
 */
export function toolBlock(text: string): string | undefined {
  const open = text.indexOf('<tool>');
  if (open < 0) return undefined;
  const start = open + '<tool>'.length;
  const close = text.indexOf('</tool>', start);
  return (close >= 0 ? text.slice(start, close) : text.slice(start)).trim();
}

function toItem(raw: PyValue): ToolItem {
  if (!(raw instanceof Map)) return { ok: false, raw };
  const name = raw.get('name');
  const args = raw.get('args');
  if (typeof name !== 'string' || !(args instanceof Map)) return { ok: false, raw };
  // json.loads only makes string keys.
  return { ok: true, name, args: [...args].map(([k, v]) => [String(k), v]), raw };
}

const lastOf = (text: string, words: readonly string[]): number => Math.max(...words.map((w) => text.lastIndexOf(w)));

/**
 * Classifies one assistant message. The markers are `TASK_ERROR` (outside the reasoning),
 * `TASK_FINISHED` and a `<tool>` block.
 * - Default: the last marker in the message decides. A message that *mentions* a tag and then
 *   calls a tool (as a diverge answer summarising the previous attempt may) calls the tool; the
 *   ordinary forms (`<tool>…</tool>`, `… <TASK_FINISHED>`, `<tool>…</tool> <TASK_FINISHED>`)
 *   read as Bespoke reads them.
 * - `bespokeOrder` (Bespoke's exact rule): `TASK_ERROR` outside the reasoning gives up; else
 *   `TASK_FINISHED` anywhere finishes the request, and a tool block in the same message is not run.
 *
 * @example
 * parseAction('<tool>[{"name": "ls", "args": {}}]</tool>') // { kind: 'tools', items: [{ ok: true, name: 'ls', args: [], … }] }
 */
export function parseAction(text: string, opts: { bespokeOrder?: boolean } = {}): ParsedAction {
  const reasoningEnd = text.includes('<reasoning>') && text.includes('</reasoning>') ? text.indexOf('</reasoning>') : 0;
  const error = lastOf(text.slice(reasoningEnd), ['TASK_ERROR', 'task_error']);
  const finished = lastOf(text, ['TASK_FINISHED', 'task_finished']);
  if (opts.bespokeOrder) {
    if (error >= 0) return { kind: 'error' };
    if (finished >= 0) return { kind: 'finished' };
  } else {
    const tool = text.indexOf('<tool>');
    const errorAt = error >= 0 ? error + reasoningEnd : -1;
    if (errorAt > tool && errorAt > finished) return { kind: 'error' };
    if (finished > tool) return { kind: 'finished' };
  }
  const block = toolBlock(text);
  if (block === undefined) return { kind: 'invalid', error: 'no_tool_call', reason: TOOL_FEEDBACK.no_tool_call };
  let parsed: PyValue;
  try {
    parsed = jsonLoads(block);
  } catch (e) {
    if (!isPyException(e)) throw e;
    return { kind: 'invalid', error: 'invalid_json', reason: `${TOOL_FEEDBACK.invalid_json} (JSON error in the <tool> content: ${e.pyMessage}.)` };
  }
  if (!Array.isArray(parsed)) return { kind: 'invalid', error: 'not_a_list', reason: TOOL_FEEDBACK.not_a_list };
  if (parsed.length === 0) return { kind: 'invalid', error: 'empty_list', reason: TOOL_FEEDBACK.empty_list };
  return { kind: 'tools', items: parsed.map(toItem) };
}
