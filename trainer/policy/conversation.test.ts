import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../../testing/tiny-model.js';
import type { Message } from '../../core/types.js';
import { lossMask, maskedLength } from '../masks.js';
import { encodeConversation } from './conversation.js';
import { PolicyTokenizer } from './tokenizer.js';

const dir = await mkdtemp(join(tmpdir(), 'exitgym-conv-'));
const info = await writeTinyModel(dir, { seed: 1 });
const tok = await PolicyTokenizer.load(dir);
const eot = [info.special.imEnd, info.special.endoftext];

const conversation: Message[] = [
  { role: 'system', content: 'You call tools.' },
  { role: 'user', content: 'list files' },
  { role: 'assistant', content: '<tool>{"name":"ls"}</tool>' },
  { role: 'tool', content: 'a.txt b.txt' },
  { role: 'assistant', content: 'I think the answer is' },
];

test('multi-turn ChatML: spans cover each message; assistant spans hold their text and <|im_end|>, not the header or the newline', () => {
  const { ids, spans } = encodeConversation(tok, conversation, { endOfTurnIds: eot });
  assert.equal(tok.decode(ids, { skipSpecialTokens: false }), tok.applyChatTemplate(conversation, { addGenerationPrompt: false }));
  assert.deepEqual(spans.map((s) => s.role), ['system', 'user', 'assistant', 'tool', 'assistant']);
  const text = (s: { start: number; end: number }): string => tok.decode(ids.slice(s.start, s.end), { skipSpecialTokens: false });
  assert.equal(text(spans[1] as (typeof spans)[number]), '<|im_start|>user\nlist files<|im_end|>\n');
  assert.equal(text(spans[2] as (typeof spans)[number]), '<tool>{"name":"ls"}</tool><|im_end|>');
  assert.equal(text(spans[4] as (typeof spans)[number]), 'I think the answer is<|im_end|>');
  // The assistant header sits between the previous span and the assistant span: context, not loss.
  assert.equal(tok.decode(ids.slice(spans[3]?.end, spans[4]?.start), { skipSpecialTokens: false }), '<|im_start|>assistant\n');

  const { mask, kept } = lossMask(spans, ids.length);
  assert.equal(kept, 2);
  const lossText = tok.decode(ids.filter((_, i) => mask[i] === 1), { skipSpecialTokens: false });
  assert.equal(lossText, '<tool>{"name":"ls"}</tool><|im_end|>I think the answer is<|im_end|>');
  assert.equal(maskedLength(mask), tok.encode('<tool>{"name":"ls"}</tool>').length + tok.encode('I think the answer is').length + 2);
  // Overlong filtering drops the second reply (no <tool>, <TASK_FINISHED> or <TASK_ERROR>).
  const filtered = lossMask(spans, ids.length, { isValidResponse: (t) => /<tool>|<TASK_FINISHED>|<TASK_ERROR>/.test(t) });
  assert.equal(filtered.filtered, 1);
  assert.equal(tok.decode(ids.filter((_, i) => filtered.mask[i] === 1), { skipSpecialTokens: false }), '<tool>{"name":"ls"}</tool><|im_end|>');
});

test('without end-of-turn ids an assistant span runs to the end of its rendered message', () => {
  const { ids, spans } = encodeConversation(tok, conversation.slice(0, 3));
  assert.equal(tok.decode(ids.slice(spans[2]?.start, spans[2]?.end), { skipSpecialTokens: false }), '<tool>{"name":"ls"}</tool><|im_end|>\n');
});

test('a template that rewrites earlier turns is refused, naming the message', async () => {
  const other = await mkdtemp(join(tmpdir(), 'exitgym-conv-'));
  await writeTinyModel(other, { seed: 1 });
  const cfgPath = join(other, 'tokenizer_config.json');
  const cfg = JSON.parse(await readFile(cfgPath, 'utf8')) as Record<string, unknown>;
  // Prints the message count first, so no rendering is a prefix of a longer one.
  cfg.chat_template = "{{ messages|length }}{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}";
  await writeFile(cfgPath, JSON.stringify(cfg));
  const bad = await PolicyTokenizer.load(other);
  assert.throws(() => encodeConversation(bad, conversation), /does not render message 0 \(system\) as an extension of the messages before it/);
});
