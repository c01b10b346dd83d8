/**
 * What the BFCL policy reads: the system prompt (the tool docs of the task's classes and the
 * output protocol) and the wording of user requests. The tool list follows Bespoke Labs (one
 * `json.dumps` line per method, description cut to the text after `Tool description: `), so models
 * trained in their setup see the same tools; the protocol text is ours and says exactly what the
 * env accepts.
 */
import type { JsonValue } from '../../core/types.js';
import type { BfclClassName, BfclFuncDoc } from '../../datasets/bfcl.js';

/** `json.dumps` of a plain JSON value (`, ` and `: ` separators, non-ASCII as `\uXXXX`). */
export function pyJsonDumpsPlain(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumpsPlain).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${pyJsonDumpsPlain(k)}: ${pyJsonDumpsPlain(x)}`)
    .join(', ')}}`;
}

/** One tool line: the func doc with its description cut to the method's own part. */
export function toolLine(doc: BfclFuncDoc): string {
  const marker = 'Tool description: ';
  const at = doc.description.indexOf(marker);
  const description = at >= 0 ? doc.description.slice(at + marker.length) : doc.description;
  return pyJsonDumpsPlain({ ...doc, description } as unknown as JsonValue);
}

/** The tool lines of the involved classes, in order. */
export function toolList(involved: readonly BfclClassName[], docs: Record<BfclClassName, BfclFuncDoc[]>): string {
  return involved.flatMap((c) => docs[c].map(toolLine)).join('\n');
}

/**
 * The system prompt for a task.
 *
 * @example
 * systemPrompt(toolList(['MathAPI'], data.funcDocs)) // "You are an expert in composing functions. …"
 */
export function systemPrompt(tools: string): string {
  return `You are an expert in composing functions. You are given requests from a user and a set of functions (tools) that act on a simulated system. Complete each request by calling the tools. The system's state carries over from one call, and one request, to the next.

You have access to the following tools (one JSON description per line):

${tools}

Each of your messages does exactly one of three things:
1. Call tools. First think step by step inside <reasoning> </reasoning> tags, then write the calls as a JSON list inside <tool> </tool> tags. Each call is an object with a "name" (one of the tools above) and "args" (an object mapping the tool's parameter names to JSON values of the listed types):
   <tool>[{"name": "tool_name", "args": {"param_1": "value", "param_2": 2}}]</tool>
   Calls in one list run in order, and the first call that fails stops the rest; one call per message is the safest. The results come back in the next message inside <tool_result> </tool_result> tags, one string per call. A failed call's result says what went wrong: correct the call and try again.
2. Finish the current request. When it is fully done, summarize what you did and end your message with <TASK_FINISHED>. Tool calls in that message are not run. If the user has another request, it comes next.
3. Give up. If the request cannot be completed with these tools, say what is wrong and end your message with <TASK_ERROR>. This ends the conversation.

Use only the tools and arguments listed above; do not make up tools or arguments.`;
}

/**
 * A user request as the policy sees it. Bespoke Labs' env sent the first request through
 * `json.dumps` (wrapped in quotes, JSON escapes); `bespokeCompat` reproduces that.
 */
export function userRequest(content: string, index: number, bespokeCompat: boolean): string {
  return bespokeCompat && index === 0 ? pyJsonDumpsPlain(content) : content;
}

/** The tool-result message text for a list of result strings (Bespoke's framing). */
export function toolResultMessage(results: readonly string[]): string {
  return `<tool_result> ${pyJsonDumpsPlain([...results])} </tool_result>`;
}
