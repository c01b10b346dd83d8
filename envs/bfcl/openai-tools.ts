/**
 * BFCL in the OpenAI tool-calling format, for frameworks that parse tool calls with the model's
 * own chat template: the involved classes' methods as OpenAI function specs, and an OpenAI
 * `tool_calls` list turned into the env's text action (`<tool>[{"name": …, "args": …}]</tool>`),
 * so the env itself (parsing, checks, rewards) is the same for both protocols.
 */
import type { BfclData, BfclFuncDoc } from '../../datasets/bfcl.js';
import { argumentSchema } from './arg-schema.js';

/** An OpenAI function tool spec (`tools[i]` of a chat completion request). */
export interface OpenAITool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** An OpenAI tool call (`choices[0].message.tool_calls[i]`). */
export interface OpenAIToolCall {
  id?: string;
  type?: 'function';
  function: { name: string; arguments: string };
}

const MARKER = 'Tool description: ';

/** One method's spec: its own description (the class preamble cut, as in the text prompt) and argument schema. */
export function openAITool(doc: BfclFuncDoc): OpenAITool {
  const at = doc.description.indexOf(MARKER);
  const description = at >= 0 ? doc.description.slice(at + MARKER.length) : doc.description;
  const names = Object.keys(doc.parameters.properties);
  const schema = argumentSchema(
    doc,
    names.map((name) => ({ name, required: doc.parameters.required.includes(name) })),
  );
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  for (const name of names) {
    const text = doc.parameters.properties[name]?.description;
    if (text && properties[name]) properties[name] = { ...properties[name], description: text };
  }
  return { type: 'function', function: { name: doc.name, description, parameters: schema } };
}

/** The tool specs a task offers: every method of its involved classes, in prompt order. */
export function openAIToolsForTask(data: BfclData, taskId: string): OpenAITool[] | undefined {
  const task = data.byId.get(taskId);
  if (!task) return undefined;
  return task.involvedClasses.flatMap((c) => data.funcDocs[c].map(openAITool));
}

/**
 * JSON text with the env's markers (`<tool>`, `</tool>`, `TASK_FINISHED`, `TASK_ERROR`) escaped
 * (`\u003c`, `\u005f`): the same JSON value, but an argument such as `"</tool>"` or
 * `"TASK_FINISHED"` no longer ends the block or the request. In valid JSON these characters occur
 * only inside strings, where the escapes are exact.
 */
function inert(json: string): string {
  return json.replaceAll('<', '\\u003c').replace(/(task)_(finished|error)/gi, '$1\\u005f$2');
}

/**
 * The text action for an OpenAI tool-call list. Each call's `arguments` text is kept verbatim
 * when it is a JSON object (so `5` and `5.0` stay apart, as the env's parser reads them);
 * anything else becomes a string, which the env reports as a malformed call (bad output is
 * data). Markers inside names and arguments are escaped (`inert`), so they stay data. An empty
 * list with content is the content itself (e.g. `<TASK_FINISHED>`).
 */
export function toolCallsToAction(calls: readonly OpenAIToolCall[], content?: string | null): string {
  if (calls.length === 0) return content ?? '';
  const items = calls.map((c) => {
    let args = JSON.stringify(c.function.arguments);
    try {
      const parsed: unknown = JSON.parse(c.function.arguments);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) args = c.function.arguments.trim();
    } catch {
      // Not JSON: kept as a string, so the env answers with its invalid-call feedback.
    }
    return `{"name": ${inert(JSON.stringify(c.function.name))}, "args": ${inert(args)}}`;
  });
  const prefix = content ? `${content}\n` : '';
  return `${prefix}<tool>[${items.join(', ')}]</tool>`;
}
