/**
 * The OpenAI API of `exitgym serve-model`, driven by the `openai` package against real server
 * processes on loopback: `n` samples, `top_logprobs` against the model's own scores, token-id
 * completions against `exitgym model score`, a tool call round trip on a checkpoint whose template
 * takes tools, unsupported parameters, and weights reloads (versions, in-flight requests).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { main } from '../../cli/main.js';
import { registerEnv, unregisterEnv } from '../../envs/registry.js';
import { OpenAIPolicyClient } from '../../rollout/openai-client.js';
import { arithEntry, arithTask, arithTaskIds } from '../fixtures/arith-env.js';
import { loadPolicy, type Policy } from '../../trainer/policy/policy.js';
import { PolicyTokenizer } from '../../trainer/policy/tokenizer.js';
import { captureIo } from '../fixtures/cli-io.js';
import { spawnServeModel, type Served } from '../fixtures/serve-model.js';
import { baseStart } from '../../core/start-state.js';
import { runEpisode } from '../../rollout/episode.js';
import { ArithEnv } from '../fixtures/arith-env.js';
import { writeScriptedModel, writeTinyModel, writeToolCallingModel } from '../../testing/tiny-model.js';

const CALL_BODY = '\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n';
let tinyDir: string;
let otherDir: string;
let toolDir: string;
let tiny: Served;
let tools: Served;
let policy: Policy;
let client: OpenAI;

before(async () => {
  [tinyDir, otherDir, toolDir] = await Promise.all(['tiny', 'other', 'tools'].map((n) => mkdtemp(join(tmpdir(), `exitgym-${n}-`)))) as [string, string, string];
  // Flat next-token distributions (small embeddings), so different seeds give different samples.
  await writeTinyModel(tinyDir, { seed: 3, embedStd: 0.3 });
  await writeTinyModel(otherDir, { seed: 4, embedStd: 0.3, generationConfig: { temperature: 0.5, top_p: 0.9, top_k: 7 } });
  await writeToolCallingModel(toolDir, { body: CALL_BODY });
  [tiny, tools] = await Promise.all([spawnServeModel(tinyDir, 'tiny'), spawnServeModel(toolDir, 'tools')]);
  client = new OpenAI({ baseURL: tiny.baseURL, apiKey: 'none' });
  policy = await loadPolicy(tinyDir, { backend: 'wasm', trainable: false, log: () => {} });
});
after(() => {
  tiny?.proc.kill('SIGTERM');
  tools?.proc.kill('SIGTERM');
  policy?.dispose();
});

type Ext = { token_ids: number[] };
const ids = (c: unknown): number[] => (c as Ext).token_ids;
const messages = [{ role: 'user' as const, content: 'the cat sat on' }];

async function post(baseURL: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

test('GET /v1/models reports the context length; a response reports its effective sampling, max_tokens defaulting to the context left', async () => {
  const models = await client.models.list();
  const m = models.data[0] as unknown as { id: string; max_model_len: number; context_length: number };
  assert.equal(m.id, 'tiny');
  assert.equal(m.max_model_len, 512); // the tiny config's max_position_embeddings
  assert.equal(m.context_length, 512);
  // The tool-calling model ends after 4 tokens whatever the budget, so no max_tokens costs nothing.
  const tc = new OpenAI({ baseURL: tools.baseURL, apiKey: 'none' });
  const r = (await tc.chat.completions.create({ model: 'tools', messages })) as unknown as { sampling: Record<string, number>; prompt_token_ids: number[] };
  const { seed, ...rest } = r.sampling;
  assert.deepEqual(rest, { temperature: 1, top_p: 1, top_k: 0, max_tokens: 512 - r.prompt_token_ids.length });
  assert.ok(Number.isInteger(seed), 'a request without a seed is told the seed it got');
  const c = (await client.completions.create({ model: 'tiny', prompt: 'the', top_k: 5, temperature: 0.3 } as never)) as unknown as { sampling: Record<string, number> };
  assert.equal(c.sampling.max_tokens, 16, "the completions API's default, as OpenAI's and vLLM's");
  assert.equal(c.sampling.top_k, 5);
  assert.equal(c.sampling.temperature, 0.3);
});

test('n = 4: four choices of one prompt with their own seeds, reproducible, the same samples as /v1/completions', async () => {
  const req = { model: 'tiny', messages, n: 4, max_tokens: 8, seed: 11, temperature: 1 };
  const a = await client.chat.completions.create(req);
  const b = await client.chat.completions.create(req);
  assert.equal(a.choices.length, 4);
  assert.deepEqual(a.choices.map((c) => c.index), [0, 1, 2, 3]);
  assert.deepEqual(a.choices.map(ids), b.choices.map(ids), 'the same seed gives the same four samples');
  assert.equal(new Set(a.choices.map((c) => JSON.stringify(ids(c)))).size, 4, 'each choice samples from its own seed');
  const promptIds = (a as unknown as { prompt_token_ids: number[] }).prompt_token_ids;
  assert.equal(a.usage?.prompt_tokens, promptIds.length, 'one prompt, counted once');
  assert.equal(a.usage?.completion_tokens, a.choices.reduce((s, c) => s + ids(c).length, 0));
  // The same prompt as token ids through /v1/completions: the same four samples.
  const c = await client.completions.create({ model: 'tiny', prompt: promptIds, n: 4, max_tokens: 8, seed: 11, temperature: 1 });
  assert.deepEqual(c.choices.map(ids), a.choices.map(ids));
  for (const ch of c.choices) assert.deepEqual((ch as unknown as { prompt_token_ids: number[] }).prompt_token_ids, promptIds);
  // exitgym's own OpenAI client asks for the four in one request and gets the same four.
  const many = await new OpenAIPolicyClient({ baseURL: tiny.baseURL }).completeMany({ messages, maxTokens: 8, seed: 11, temperature: 1 }, 4);
  assert.deepEqual(many.map((m) => m.tokenIds), a.choices.map(ids));
  assert.deepEqual(many.map((m) => m.weightsVersion), [0, 0, 0, 0]);
  assert.deepEqual(many[0]!.effectiveSampling, { temperature: 1, top_p: 1, top_k: 0, max_tokens: 8, seed: 11 });
  // Streaming n = 4: each choice's deltas add up to its text.
  const texts = ['', '', '', ''];
  for await (const chunk of await client.chat.completions.create({ ...req, stream: true })) for (const ch of chunk.choices) texts[ch.index] += ch.delta?.content ?? '';
  assert.deepEqual(texts, a.choices.map((ch) => ch.message.content));
});

test('top_logprobs are the model\'s own scores: the sampled token and the 5 best alternatives at each position', async () => {
  const r = await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 6, seed: 5, logprobs: true, top_logprobs: 5 });
  const choice = r.choices[0]!;
  const sampled = ids(choice);
  const promptIds = (r as unknown as { prompt_token_ids: number[] }).prompt_token_ids;
  const content = choice.logprobs!.content!;
  assert.equal(content.length, sampled.length);
  const [own] = await policy.tokenLogprobs([{ ids: [...promptIds, ...sampled], start: promptIds.length }]);
  content.forEach((t, i) => {
    assert.ok(Math.abs(t.logprob - (own![i] as number)) < 1e-4, `token ${i}: served ${t.logprob}, model ${own![i]}`);
    assert.equal(t.top_logprobs.length, 5);
    for (let k = 1; k < 5; k++) assert.ok(t.top_logprobs[k - 1]!.logprob >= t.top_logprobs[k]!.logprob, 'best first');
  });
  // Position 0 scored against every token of the vocabulary: the served top 5 is the true top 5.
  const vocab = policy.config.vocabSize;
  const all = await policy.tokenLogprobs(Array.from({ length: vocab }, (_, v) => ({ ids: [...promptIds, v], start: promptIds.length })), { batchSize: 64 });
  const best = all.map((lp, v) => ({ v, lp: lp[0] as number })).sort((x, y) => y.lp - x.lp).slice(0, 5);
  const top = content[0]!.top_logprobs;
  best.forEach((e, k) => {
    assert.ok(Math.abs(top[k]!.logprob - e.lp) < 1e-4, `rank ${k}: served ${top[k]!.logprob}, model ${e.lp}`);
    assert.deepEqual(top[k]!.bytes, policy.tokenizer.tokenBytes(e.v), `rank ${k} is token ${e.v}`);
  });
  // Without top_logprobs the same sample carries the sampling logprobs, equal up to float rounding.
  const plain = await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 6, seed: 5, logprobs: true });
  assert.deepEqual(ids(plain.choices[0]), sampled);
  plain.choices[0]!.logprobs!.content!.forEach((t, i) => assert.ok(Math.abs(t.logprob - content[i]!.logprob) < 1e-4));
  await assert.rejects(client.chat.completions.create({ model: 'tiny', messages, top_logprobs: 2 }), /top_logprobs needs logprobs/);
  await assert.rejects(client.chat.completions.create({ model: 'tiny', messages, logprobs: true, top_logprobs: 21 }), /top_logprobs: must be <= 20/);
});

test('completions with token-id prompts return the logprobs of `exitgym model score`; text and id prompts agree', async () => {
  const pair = { prompt: 'the cat sat', completion: ' on the mat' };
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-score-'));
  await writeFile(join(dir, 'pairs.jsonl'), `${JSON.stringify(pair)}\n`);
  const io = captureIo();
  assert.equal(await main(['model', 'score', '--model', tinyDir, '--input', join(dir, 'pairs.jsonl'), '--backend', 'wasm'], io.io), 0, io.err.join('\n'));
  const scored = JSON.parse(io.out.join('')) as { prompt_token_ids: number[]; completion_token_ids: number[]; token_logprobs: number[] };
  const all = [...scored.prompt_token_ids, ...scored.completion_token_ids];
  // echo + max_tokens 0 scores the given tokens without sampling.
  const r = await client.completions.create({ model: 'tiny', prompt: all, echo: true, max_tokens: 0, logprobs: 3 });
  const lp = r.choices[0]!.logprobs!;
  assert.equal(lp.token_logprobs!.length, all.length);
  assert.equal(lp.token_logprobs![0], null, 'the first token has no context');
  scored.token_logprobs.forEach((v, i) => {
    const served = lp.token_logprobs![scored.prompt_token_ids.length + i] as number;
    assert.ok(Math.abs(served - v) < 1e-4, `completion token ${i}: served ${served}, model score ${v}`);
  });
  assert.ok(Object.keys(lp.top_logprobs![1]!).length >= 3);
  assert.equal(r.choices[0]!.text, policy.tokenizer.decode(all, { skipSpecialTokens: false }));
  // Sampling from ids and from the same text gives the same tokens; their logprobs are the model's.
  const base = { model: 'tiny', max_tokens: 5, seed: 9, logprobs: 0, stop: ['\n\n'] };
  const fromIds = await client.completions.create({ ...base, prompt: scored.prompt_token_ids });
  const fromText = await client.completions.create({ ...base, prompt: pair.prompt, echo: true });
  assert.deepEqual(ids(fromText.choices[0]), ids(fromIds.choices[0]));
  assert.ok(fromText.choices[0]!.text.startsWith(pair.prompt), 'echo puts the prompt first');
  const sampled = ids(fromIds.choices[0]);
  const [own] = await policy.tokenLogprobs([{ ids: [...scored.prompt_token_ids, ...sampled], start: scored.prompt_token_ids.length }]);
  fromIds.choices[0]!.logprobs!.token_logprobs!.forEach((v, i) => assert.ok(Math.abs((v as number) - (own![i] as number)) < 1e-4));
  // A batch of prompts: choice i·n + j is sample j of prompt i.
  const batch = await client.completions.create({ model: 'tiny', prompt: [scored.prompt_token_ids, scored.prompt_token_ids], n: 2, max_tokens: 4, seed: 9 });
  assert.equal(batch.choices.length, 4);
  assert.deepEqual(ids(batch.choices[0]), ids(fromIds.choices[0]).slice(0, ids(batch.choices[0]).length));
  await assert.rejects(client.completions.create({ model: 'tiny', prompt: [policy.config.vocabSize + 5], max_tokens: 2 }), /outside the vocabulary/);
});

test('unsupported parameters are a 400 naming them; over-long requests say the context length', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ logit_bias: { '5': 10 } }, /unsupported parameter "logit_bias"/],
    [{ frequency_penalty: 0.5 }, /frequency_penalty: must be one of 0, null/],
    [{ response_format: { type: 'json_object' } }, /response_format/],
    [{ tools: [{ type: 'function', function: { name: 'f' } }] }, /does not take tools/],
    [{ max_tokens: 600 }, /maximum context length is 512 tokens/],
  ];
  for (const [extra, re] of cases) {
    const r = await post(tiny.baseURL, '/chat/completions', { model: 'tiny', messages, ...extra });
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.match((r.json.error as { message: string }).message, re);
  }
  const r = await post(tiny.baseURL, '/completions', { model: 'tiny', prompt: 'x', suffix: 'y' });
  assert.equal(r.status, 400);
  assert.match((r.json.error as { message: string }).message, /unsupported parameter "suffix"/);
  assert.equal((r.json.error as { param: string }).param, 'suffix');
  // Not JSON, not an object, no such route: OpenAI-shaped errors with the right status.
  const bad = await fetch(`${tiny.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages": [' });
  assert.equal(bad.status, 400);
  assert.equal(typeof ((await bad.json()) as { error: { message: string } }).error.message, 'string');
  assert.equal((await post(tiny.baseURL, '/completions', [1, 2])).status, 400);
  const missing = await fetch(`${tiny.baseURL}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: { message: string } }).error.message, /no route POST \/v1\/embeddings/);
  // Accepted at their no-op values, as clients send them.
  const ok = await post(tiny.baseURL, '/chat/completions', { model: 'tiny', messages, max_tokens: 2, presence_penalty: 0, user: 'u', stream_options: null });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
});

test('a tool call round-trips through a template that takes tools (Hermes <tool_call> format)', async () => {
  const tc = new OpenAI({ baseURL: tools.baseURL, apiKey: 'none' });
  const tok = await PolicyTokenizer.load(toolDir);
  const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Current weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
  const ask = [{ role: 'user' as const, content: 'Weather in Paris?' }];
  const r = await tc.chat.completions.create({ model: 'tools', messages: ask, tools: [weatherTool], max_tokens: 8, seed: 1 });
  const choice = r.choices[0]!;
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.content, null);
  const call = choice.message.tool_calls![0]!;
  assert.equal(call.type, 'function');
  assert.equal((call as { function: { name: string } }).function.name, 'get_weather');
  assert.deepEqual(JSON.parse((call as { function: { arguments: string } }).function.arguments), { city: 'Paris' });
  const promptText = tok.decode((r as unknown as { prompt_token_ids: number[] }).prompt_token_ids, { skipSpecialTokens: false });
  assert.match(promptText, /<tools>\n\{"type": "function", "function": \{"name": "get_weather"/, 'the tools reached the template');

  // Round trip: the assistant message as returned, then the tool's result.
  const r2 = await tc.chat.completions.create({
    model: 'tools',
    messages: [...ask, choice.message, { role: 'tool', tool_call_id: call.id, content: '{"temp_c": 21}' }],
    tools: [weatherTool],
    max_tokens: 8,
    seed: 1,
  });
  const history = tok.decode((r2 as unknown as { prompt_token_ids: number[] }).prompt_token_ids, { skipSpecialTokens: false });
  assert.ok(history.includes(`<|im_start|>assistant\n<tool_call>${CALL_BODY}</tool_call><|im_end|>`), history);
  assert.ok(history.includes('<tool_response>\n{"temp_c": 21}\n</tool_response>'), history);

  // Streaming: no tool-call text leaks as content; the call comes as a tool_calls delta.
  let content = '';
  const calls: { function?: { name?: string; arguments?: string } }[] = [];
  let finish: string | null = null;
  for await (const chunk of await tc.chat.completions.create({ model: 'tools', messages: ask, tools: [weatherTool], max_tokens: 8, seed: 1, stream: true })) {
    const ch = chunk.choices[0];
    content += ch?.delta?.content ?? '';
    calls.push(...(ch?.delta?.tool_calls ?? []));
    finish = ch?.finish_reason ?? finish;
  }
  assert.equal(content, '');
  assert.equal(calls[0]?.function?.name, 'get_weather');
  assert.equal(finish, 'tool_calls');
  // tool_choice "none": the raw text, unparsed; forcing a call is refused.
  const none = await tc.chat.completions.create({ model: 'tools', messages: ask, tools: [weatherTool], tool_choice: 'none', max_tokens: 8, seed: 1 });
  assert.equal(none.choices[0]!.message.content, `<tool_call>${CALL_BODY}</tool_call>`);
  await assert.rejects(tc.chat.completions.create({ model: 'tools', messages: ask, tools: [weatherTool], tool_choice: 'required' }), /constrained decoding/);
});

test('POST /v1/weights swaps the weights: versions count, outputs change, in-flight requests finish on the old weights', async () => {
  const req = { model: 'tiny', messages, max_tokens: 48, seed: 21, temperature: 1 };
  const v0 = await client.chat.completions.create(req);
  assert.equal((v0 as unknown as { weights_version: number }).weights_version, 0);
  // A streamed request is in flight once its first chunk arrives; reload while it runs.
  const stream = await client.chat.completions.create({ ...req, stream: true });
  const it = stream[Symbol.asyncIterator]();
  const first = await it.next();
  const reload = post(tiny.baseURL, '/weights', { path: otherDir });
  let text = first.value?.choices[0]?.delta?.content ?? '';
  let version = (first.value as unknown as { weights_version: number }).weights_version;
  for (let r = await it.next(); !r.done; r = await it.next()) {
    text += r.value.choices[0]?.delta?.content ?? '';
    version = (r.value as unknown as { weights_version: number }).weights_version;
  }
  assert.deepEqual(await reload.then((r) => r.json), { version: 1 });
  assert.equal(version, 0, 'the in-flight request was served by version 0');
  assert.equal(text, v0.choices[0]!.message.content, 'and on the old weights');

  const v1 = await client.chat.completions.create(req);
  assert.equal((v1 as unknown as { weights_version: number }).weights_version, 1);
  // The new folder's generation_config.json gives the defaults of fields a request leaves out.
  const d = (await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 2, seed: 21 })) as unknown as { sampling: Record<string, number> };
  assert.deepEqual([d.sampling.temperature, d.sampling.top_p, d.sampling.top_k], [0.5, 0.9, 7]);
  assert.notDeepEqual(ids(v1.choices[0]), ids(v0.choices[0]), 'new weights, new samples');
  assert.equal(((await client.models.list()).data[0] as unknown as { weights_version: number }).weights_version, 1);
  // Back to the first weights: version 2 answers as version 0 did.
  assert.deepEqual((await post(tiny.baseURL, '/weights', { path: tinyDir })).json, { version: 2 });
  const v2 = await client.chat.completions.create(req);
  assert.deepEqual(ids(v2.choices[0]), ids(v0.choices[0]));
  // Another model's weights, or a folder that is no checkpoint: 400, and the served version stays.
  const wrong = await post(tiny.baseURL, '/weights', { path: toolDir });
  assert.equal(wrong.status, 400);
  assert.match((wrong.json.error as { message: string }).message, /another model/);
  assert.equal((await post(tiny.baseURL, '/weights', { path: join(otherDir, 'nope') })).status, 400);
  assert.equal((await client.chat.completions.create(req) as unknown as { weights_version: number }).weights_version, 2);
});

test('exitgym eval --samples 4 against serve-model asks each task\'s first question once, for 4 choices', async (t) => {
  // A counting proxy in front of the server: every chat request the eval makes passes through it.
  const seen: { n?: number; messages: { content: string }[] }[] = [];
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.endsWith('/chat/completions')) seen.push(JSON.parse(body.toString('utf8')) as (typeof seen)[number]);
      fetch(`${new URL(tiny.baseURL).origin}${req.url}`, { method: req.method ?? 'GET', headers: { 'content-type': 'application/json' }, ...(req.method === 'POST' ? { body } : {}) })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch((e: unknown) => res.destroy(e as Error));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => proxy.close());
  const tasks = arithTaskIds.filter((id) => arithTask(id).pairs.length === 1).slice(0, 3);
  registerEnv(arithEntry('fixture-arith-samples', tasks));
  t.after(() => unregisterEnv('fixture-arith-samples'));
  const out = await mkdtemp(join(tmpdir(), 'exitgym-eval-samples-'));
  const io = captureIo();
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
  const code = await main(['eval', '--env', 'fixture-arith-samples', '--steps', '1', '--samples', '4', '--model', url, '--output', out, '--quiet', '--max-tokens', '4', '--concurrency', '4'], io.io);
  assert.equal(code, 0, io.err.join('\n'));
  const grouped = seen.filter((r) => r.n === 4);
  assert.equal(grouped.length, tasks.length, 'one request for the 4 initial answers of each task');
  assert.equal(new Set(grouped.map((r) => JSON.stringify(r.messages))).size, tasks.length, 'one per distinct first question');
  assert.equal(seen.length, tasks.length + tasks.length * 4, 'then one improve request per chain');
  const records = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { sample: number; step: number; quality: number | null });
  assert.equal(records.length, tasks.length * 4 * 2);
  assert.ok(records.every((r) => r.quality !== null), 'no failed calls');
});

test('stop_reason names the stop string that cut the text; the OpenAI client hands it on, so the env sees it (BFCL stop list)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-scripted-'));
  await writeScriptedModel(dir, { chain: ['<tool>{"name": "ls"}', '</tool>', ' and more'] });
  const served = await spawnServeModel(dir, 'bfcl');
  t.after(() => served.proc.kill('SIGTERM'));
  const stop = ['</tool>', '<TASK_FINISHED>', '<TASK_ERROR>'];
  const raw = await post(served.baseURL, '/chat/completions', { messages, max_tokens: 8, stop });
  const choice = (raw.json.choices as { message: { content: string }; finish_reason: string; stop_reason: string | null }[])[0]!;
  assert.deepEqual([choice.message.content, choice.finish_reason, choice.stop_reason], ['<tool>{"name": "ls"}', 'stop', '</tool>']);
  const eos = await post(served.baseURL, '/chat/completions', { messages, max_tokens: 8 });
  assert.equal((eos.json.choices as { stop_reason: unknown }[])[0]!.stop_reason, null, 'eos: no stop string');
  const completion = await post(served.baseURL, '/completions', { prompt: (raw.json.prompt_token_ids as number[]), max_tokens: 8, stop });
  assert.equal((completion.json.choices as { stop_reason: unknown }[])[0]!.stop_reason, '</tool>');

  const client = new OpenAIPolicyClient({ baseURL: served.baseURL });
  assert.equal((await client.complete({ messages, maxTokens: 8, stop })).stopString, '</tool>');
  const env = new ArithEnv();
  const step = env.step.bind(env);
  const seen: string[] = [];
  env.step = async (action: string) => (seen.push(action), step(action));
  await runEpisode(env, client, baseStart('arith/0'), { seed: 0, maxCalls: 1, sampling: { stop, maxTokens: 8 } });
  assert.deepEqual(seen, ['<tool>{"name": "ls"}</tool>']);
});
