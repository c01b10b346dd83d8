/**
 * `POST /v1/completions` (the legacy text API RL code uses for token-in-token-out): `prompt` as
 * text, token ids, or a list of either; `n` samples per prompt (choice `i·n + j` is sample `j` of
 * prompt `i`); `echo` with the prompt's logprobs; `logprobs` (0–20 alternatives); `stop`; `seed`;
 * streaming. Extensions, as vLLM names them: `token_ids` and `prompt_token_ids` per choice, and
 * the top-level `weights_version`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ServedPrompt, ServedRequest, TokenScore } from '../trainer/served-model.js';
import { checkModel, EventStream, fitMaxTokens, samplingOf, samplingReport, usageOf, validateBody, type RouteContext } from './openai-common.js';
import { completionRequestSchema, type CompletionBody } from './openai-schemas.js';

/** OpenAI's default `max_tokens` of the completions API. */
const DEFAULT_MAX_TOKENS = 16;

function promptsOf(body: CompletionBody): ServedPrompt[] {
  const p = body.prompt;
  if (typeof p === 'string') return [{ text: p }];
  if (p.every((x) => typeof x === 'number')) return [{ ids: p as number[] }];
  return (p as (string | number[])[]).map((x) => (typeof x === 'string' ? { text: x } : { ids: x }));
}

interface LegacyLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  top_logprobs: (Record<string, number> | null)[];
  text_offset: number[];
}

/**
 * The legacy logprobs object over `ids` (prompt tokens first when echoed: the first has no
 * logprob). Each `top_logprobs` entry holds the `k` best tokens plus the chosen one, as OpenAI's.
 */
function legacyLogprobs(ctx: RouteContext, ids: readonly number[], scores: readonly (TokenScore | null)[], k: number): LegacyLogprobs {
  const out: LegacyLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  let offset = 0;
  ids.forEach((id, i) => {
    const token = ctx.model.tokenText(id);
    const s = scores[i] ?? null;
    out.tokens.push(token);
    out.token_logprobs.push(s ? s.logprob : null);
    if (s) {
      const top: Record<string, number> = {};
      for (const t of s.top.slice(0, k)) top[ctx.model.tokenText(t.id)] = t.logprob;
      top[token] ??= s.logprob;
      out.top_logprobs.push(top);
    } else {
      out.top_logprobs.push(null);
    }
    out.text_offset.push(offset);
    offset += token.length;
  });
  return out;
}

/** Answers one completions request (writes the stream itself when `stream`). */
export async function completions(ctx: RouteContext, raw: unknown, res: () => ServerResponse, signal?: AbortSignal): Promise<unknown> {
  const body = validateBody<CompletionBody>(completionRequestSchema, raw, 'POST /v1/completions');
  checkModel(ctx, body.model);
  const prompts = promptsOf(body);
  const wantLogprobs = body.logprobs !== undefined && body.logprobs !== null;
  const k = body.logprobs ?? 0;
  const echo = body.echo === true;
  const request: ServedRequest = {
    prompts,
    ...samplingOf(ctx, body, prompts.length),
    maxTokens: body.max_tokens ?? DEFAULT_MAX_TOKENS,
    clipMaxTokens: body.max_tokens === undefined || body.max_tokens === null,
    topLogprobs: k,
    promptLogprobs: echo && wantLogprobs,
    ...(signal ? { signal } : {}),
  };
  request.maxTokens = fitMaxTokens(ctx, request);
  request.clipMaxTokens = false;
  const sampling = samplingReport(request);
  const id = `cmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const version = ctx.model.weightsVersion; // the weights `generate` takes below, in this same tick
  // The echoed prompt: the request's text, or the decoded ids (special tokens kept).
  const echoed = (i: number, ids: readonly number[]): string => {
    const p = prompts[i] as ServedPrompt;
    return 'text' in p ? p.text : ctx.model.decode(ids);
  };
  const chunk = (index: number, text: string, extra: Record<string, unknown> = {}): unknown => ({
    id,
    object: 'text_completion',
    created,
    model: ctx.modelName,
    weights_version: version,
    sampling,
    choices: [{ index, text, logprobs: null, finish_reason: null, ...extra }],
  });
  let stream: EventStream | undefined;
  const sent: number[] = [];
  if (body.stream) stream = new EventStream(res());
  try {
    if (stream && echo) {
      prompts.forEach((p, i) => {
        const text = echoed(i, ctx.model.encode(p));
        for (let j = 0; j < request.n; j++) stream?.send(chunk(i * request.n + j, text));
      });
    }
    const r = await ctx.model.generate({
      ...request,
      ...(stream
        ? {
            onText: (c: number, delta: string) => {
              sent[c] = (sent[c] ?? 0) + delta.length;
              stream?.send(chunk(c, delta));
            },
          }
        : {}),
    });
    const choices = r.choices.map((c, index) => {
      const p = r.prompts[c.prompt] as { ids: number[]; scores?: TokenScore[] };
      const ids = echo ? [...p.ids, ...c.tokenIds] : c.tokenIds;
      const scores: (TokenScore | null)[] = echo ? [null, ...(p.scores ?? p.ids.slice(1).map(() => null)), ...c.scores] : c.scores;
      // Streamed: the text not yet sent; else the whole text (after the prompt, when echoed).
      const text = stream ? c.text.slice(sent[index] ?? 0) : `${echo ? echoed(c.prompt, p.ids) : ''}${c.text}`;
      return { index, text, logprobs: wantLogprobs ? legacyLogprobs(ctx, ids, scores, k) : null, finish_reason: c.finishReason, stop_reason: c.stopString ?? null, token_ids: c.tokenIds, prompt_token_ids: p.ids };
    });
    const promptTokens = r.prompts.reduce((a, p) => a + p.ids.length, 0);
    const usage = usageOf(promptTokens, r.choices.reduce((a, c) => a + c.tokenIds.length, 0));
    if (!stream) return { id, object: 'text_completion', created, model: ctx.modelName, choices, usage, weights_version: r.weightsVersion, sampling };
    for (const c of choices) stream.send({ ...(chunk(c.index, c.text) as object), choices: [c] });
    if (body.stream_options?.include_usage) stream.send({ ...(chunk(0, '') as object), choices: [], usage });
    stream.end();
  } catch (e) {
    if (!stream) throw e;
    stream.fail(e instanceof Error ? e.message : String(e));
  }
  return undefined;
}
