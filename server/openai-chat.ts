/**
 * `POST /v1/chat/completions`: `n` choices of one conversation (one group, seeds forked from the
 * request seed), `logprobs` with `top_logprobs` (0–20), `tools` rendered through the checkpoint's
 * chat template and tool calls parsed back into `message.tool_calls`, streaming. Extensions, as
 * vLLM names them: the sampled `token_ids` and the matched `stop_reason` per choice,
 * `prompt_token_ids`; and
 * `weights_version`, the weights that served the request (see `POST /v1/weights`).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { TemplateMessage } from '../trainer/policy/tokenizer.js';
import type { ServedChoice, ServedRequest, TokenScore } from '../trainer/served-model.js';
import { checkModel, EventStream, fitMaxTokens, HttpError, samplingOf, samplingReport, usageOf, validateBody, type RouteContext } from './openai-common.js';
import { chatRequestSchema, type ChatBody } from './openai-schemas.js';
import { parseToolCalls, TOOL_CALL_START, type ParsedToolCalls } from './openai-tool-calls.js';

function contentText(content: ChatBody['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((p) => p.text).join('') : '';
}

function toTemplateMessages(body: ChatBody): TemplateMessage[] {
  return body.messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: contentText(m.content),
    ...(m.tool_call_id ? { toolCallId: m.tool_call_id } : {}),
    ...(m.name ? { name: m.name } : {}),
    ...(m.tool_calls?.length ? { toolCalls: m.tool_calls } : {}),
  }));
}

/** Whether tool calls are parsed from the output; refuses what the checkpoint cannot honour. */
function toolMode(ctx: RouteContext, body: ChatBody): boolean {
  const tools = body.tools ?? [];
  const choice = body.tool_choice;
  if (choice !== undefined && tools.length === 0) throw new HttpError(400, 'tool_choice is only allowed when tools are given.', 'tool_choice');
  const callsInHistory = body.messages.some((m) => m.tool_calls?.length);
  if ((tools.length || callsInHistory) && !ctx.model.takesTools) {
    throw new HttpError(
      400,
      `the chat template of "${ctx.modelName}" does not take tools (it never renders the \`tools\` variable), so ${tools.length ? 'the tool definitions' : "the assistant messages' tool_calls"} cannot reach the model. Send the request without them, or serve a checkpoint whose template takes tools.`,
      tools.length ? 'tools' : 'messages',
    );
  }
  if (tools.length === 0 || choice === 'none') return false;
  if (choice === 'required' || typeof choice === 'object') {
    throw new HttpError(400, `tool_choice ${JSON.stringify(choice)} is not supported: forcing a tool call needs constrained decoding, which exitgym serve-model does not do. Use "auto" or "none".`, 'tool_choice');
  }
  if (!ctx.model.toolCallFormat) {
    throw new HttpError(400, `the chat template of "${ctx.modelName}" takes tools, but its tool-call format is not one exitgym parses (Hermes/Qwen <tool_call> JSON); send tool_choice "none" to get the raw text.`, 'tools');
  }
  return true;
}

function logprobsOf(ctx: RouteContext, scores: TokenScore[]): unknown {
  const entry = (id: number, logprob: number): { token: string; logprob: number; bytes: number[] } => ({ token: ctx.model.tokenText(id), logprob, bytes: ctx.model.tokenBytes(id) });
  return { content: scores.map((s) => ({ ...entry(s.id, s.logprob), top_logprobs: s.top.map((t) => entry(t.id, t.logprob)) })) };
}

interface ChoiceOut {
  message: { role: 'assistant'; content: string | null; tool_calls?: ParsedToolCalls['toolCalls'] };
  finish: string;
}

function shape(choice: ServedChoice, parse: boolean, format: RouteContext['model']['toolCallFormat'], key: string, parallel: boolean): ChoiceOut {
  const calls = parse && format ? parseToolCalls(format, choice.text, key) : undefined;
  if (!calls || calls.toolCalls.length === 0) return { message: { role: 'assistant', content: choice.text }, finish: choice.finishReason };
  const toolCalls = parallel ? calls.toolCalls : calls.toolCalls.slice(0, 1);
  return { message: { role: 'assistant', content: calls.content, tool_calls: toolCalls }, finish: 'tool_calls' };
}

/** Answers one chat completions request (writes the stream itself when `stream`). */
export async function chatCompletions(ctx: RouteContext, raw: unknown, res: () => ServerResponse, signal?: AbortSignal): Promise<unknown> {
  const body = validateBody<ChatBody>(chatRequestSchema, raw, 'POST /v1/chat/completions');
  checkModel(ctx, body.model);
  const parse = toolMode(ctx, body);
  if (body.top_logprobs && !body.logprobs) throw new HttpError(400, 'top_logprobs needs logprobs: true.', 'top_logprobs');
  const requested = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  if (requested === 0) throw new HttpError(400, 'bad request: /max_tokens: must be >= 1 for chat completions.', 'max_tokens');
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const request: ServedRequest = {
    prompts: [{ messages: toTemplateMessages(body), ...(body.tools?.length ? { tools: body.tools } : {}) }],
    ...samplingOf(ctx, body),
    maxTokens: requested ?? ctx.defaultMaxTokens,
    clipMaxTokens: requested === undefined,
    topLogprobs: body.logprobs ? (body.top_logprobs ?? 0) : 0,
    ...(signal ? { signal } : {}),
  };
  request.maxTokens = fitMaxTokens(ctx, request);
  request.clipMaxTokens = false;
  const sampling = samplingReport(request);
  const parallel = body.parallel_tool_calls !== false;
  const format = ctx.model.toolCallFormat;
  const logprobs = (c: ServedChoice): unknown => (body.logprobs ? logprobsOf(ctx, c.scores) : null);

  if (!body.stream) {
    const r = await ctx.model.generate(request);
    const completionTokens = r.choices.reduce((a, c) => a + c.tokenIds.length, 0);
    return {
      id,
      object: 'chat.completion',
      created,
      model: ctx.modelName,
      choices: r.choices.map((c, i) => {
        const out = shape(c, parse, format, `${id}/${i}`, parallel);
        return { index: i, message: out.message, finish_reason: out.finish, stop_reason: c.stopString ?? null, logprobs: logprobs(c), token_ids: c.tokenIds };
      }),
      usage: usageOf(r.prompts[0]?.ids.length ?? 0, completionTokens),
      prompt_token_ids: r.prompts[0]?.ids ?? [],
      weights_version: r.weightsVersion,
      sampling,
    };
  }

  const version = ctx.model.weightsVersion;
  const stream = new EventStream(res());
  const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): void =>
    stream.send({ id, object: 'chat.completion.chunk', created, model: ctx.modelName, weights_version: version, sampling, choices: [{ index, delta, finish_reason: finish, logprobs: null, ...extra }] });
  try {
    for (let i = 0; i < request.n; i++) chunk(i, { role: 'assistant', content: '' });
    const sent: number[] = new Array<number>(request.n).fill(0);
    const r = await ctx.model.generate({
      ...request,
      onText: (i, delta) => {
        sent[i] = (sent[i] ?? 0) + delta.length;
        chunk(i, { content: delta });
      },
      ...(parse && format ? { holdFrom: TOOL_CALL_START[format] } : {}),
    });
    r.choices.forEach((c, i) => {
      const out = shape(c, parse, format, `${id}/${i}`, parallel);
      if (out.message.tool_calls) {
        chunk(i, { tool_calls: out.message.tool_calls.map((t, k) => ({ index: k, ...t })) });
      } else if (c.text.length > (sent[i] ?? 0)) {
        chunk(i, { content: c.text.slice(sent[i]) }); // held back as a possible tool call, but none parsed
      }
      chunk(i, {}, out.finish, { stop_reason: c.stopString ?? null, logprobs: logprobs(c), token_ids: c.tokenIds });
    });
    if (body.stream_options?.include_usage) {
      const completionTokens = r.choices.reduce((a, c) => a + c.tokenIds.length, 0);
      stream.send({ id, object: 'chat.completion.chunk', created, model: ctx.modelName, weights_version: version, sampling, choices: [], usage: usageOf(r.prompts[0]?.ids.length ?? 0, completionTokens), prompt_token_ids: r.prompts[0]?.ids ?? [] });
    }
    stream.end();
  } catch (e) {
    stream.fail(e instanceof Error ? e.message : String(e));
  }
  return undefined;
}
