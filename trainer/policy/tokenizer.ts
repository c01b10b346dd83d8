/**
 * The checkpoint's tokenizer and chat template, from a local Hugging Face folder
 * (`tokenizer.json`, `tokenizer_config.json`, optional `chat_template.jinja`), through
 * @huggingface/tokenizers and @huggingface/jinja (the two libraries transformers.js uses inside;
 * they load in milliseconds and never touch the network).
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { Template } from '@huggingface/jinja';
import type { Message } from '../../core/types.js';
import { ConfigError } from '../../core/errors.js';
import { ControlText } from './control-text.js';

type TokenValue = string | { content?: string } | null | undefined;

/** A tool the model may call, as the OpenAI API and Hugging Face chat templates take it. */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** A tool call an assistant message made (OpenAI shape; `arguments` is a JSON text). */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A chat message as a template renders it: a `Message`, plus the tool calls of an assistant turn. */
export type TemplateMessage = Message & { toolCalls?: readonly ToolCall[]; name?: string };

/**
 * How a template's model writes tool calls, where exitgym can parse them back: `hermes` is the
 * Hermes / Qwen2.5 / Qwen3 format, one JSON object `{"name", "arguments"}` per
 * `<tool_call>…</tool_call>` block.
 */
export type ToolCallFormat = 'hermes';

/** A tool no real template would list: rendering it shows whether the template uses `tools`. */
const PROBE_TOOL: ToolSpec = { type: 'function', function: { name: 'exitgym_probe_tool_8c1f', description: 'probe', parameters: { type: 'object', properties: {} } } };

/**
 * Arguments as templates expect them: transformers' templates (Qwen's `tool_call.arguments |
 * tojson`) take an object, while the OpenAI API sends a JSON text; parse it (as vLLM does) and
 * keep the text when it is not a JSON object.
 */
function templateArguments(text: string): unknown {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : text;
  } catch {
    return text;
  }
}

function tokenText(v: TokenValue): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : v.content;
}

let byteTable: Map<string, number> | undefined;

/** GPT-2's printable character → byte table of byte-level BPE (the inverse of `bytes_to_unicode`). */
function byteOfChar(): Map<string, number> {
  if (byteTable) return byteTable;
  const printable = (b: number): boolean => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  byteTable = new Map();
  let n = 0;
  for (let b = 0; b < 256; b++) byteTable.set(String.fromCharCode(printable(b) ? b : 256 + n++), b);
  return byteTable;
}

/** Tokenizer + chat template of one checkpoint. */
export class PolicyTokenizer {
  private readonly template: Template | undefined;
  /** Special-token strings the template may reference (`bos_token`, `eos_token`, …). */
  private readonly specials: Record<string, string>;
  private readonly control: ControlText;

  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly config: Record<string, unknown>,
    readonly chatTemplate: string | undefined,
    /** Every id the tokenizer knows (vocab + added tokens); ids above are padding rows of the embedding. */
    readonly size: number,
    /** Vocabulary strings map bytes to printable characters (GPT-2 byte-level BPE). */
    private readonly byteLevel: boolean = false,
    /** Ids of tokenizer.json's added tokens (their text is their content, not byte-mapped). */
    private readonly addedIds: ReadonlySet<number> = new Set(),
    /** Texts of the added tokens marked `special` (control tokens: `<|im_start|>`, `<|im_end|>`, …). */
    controlStrings: readonly string[] = [],
  ) {
    this.control = new ControlText(controlStrings);
    this.template = chatTemplate ? new Template(chatTemplate) : undefined;
    this.specials = {};
    for (const key of ['bos_token', 'eos_token', 'pad_token', 'unk_token']) {
      const t = tokenText(config[key] as TokenValue);
      if (t !== undefined) this.specials[key] = t;
    }
  }

  /** Reads the tokenizer files of a checkpoint folder. */
  static async load(dir: string): Promise<PolicyTokenizer> {
    const tokPath = join(dir, 'tokenizer.json');
    if (!existsSync(tokPath)) throw new ConfigError(`${dir}: no tokenizer.json; the checkpoint folder needs the Hugging Face fast-tokenizer file (save it with tokenizer.save_pretrained).`);
    const tokJson = JSON.parse(await readFile(tokPath, 'utf8')) as Record<string, unknown>;
    const cfgPath = join(dir, 'tokenizer_config.json');
    const config = existsSync(cfgPath) ? (JSON.parse(await readFile(cfgPath, 'utf8')) as Record<string, unknown>) : {};
    // Newer checkpoints keep the template in its own file; it wins over the config's copy, as in transformers.
    const jinjaPath = join(dir, 'chat_template.jinja');
    let chatTemplate: string | undefined;
    if (existsSync(jinjaPath)) chatTemplate = await readFile(jinjaPath, 'utf8');
    else if (typeof config.chat_template === 'string') chatTemplate = config.chat_template;
    else if (Array.isArray(config.chat_template)) {
      const named = (config.chat_template as { name: string; template: string }[]).find((t) => t.name === 'default');
      chatTemplate = named?.template;
    }
    const tokenizer = new Tokenizer(tokJson, config);
    const vocab = tokenizer.get_vocab(true);
    let maxId = -1;
    for (const id of vocab.values()) maxId = Math.max(maxId, id);
    const decoder = tokJson.decoder as { type?: string; decoders?: { type?: string }[] } | null | undefined;
    const byteLevel = decoder?.type === 'ByteLevel' || (decoder?.decoders ?? []).some((d) => d.type === 'ByteLevel');
    const addedTokens = (tokJson.added_tokens as { id?: unknown; content?: unknown; special?: unknown }[] | undefined) ?? [];
    const added = new Set(addedTokens.map((t) => t.id).filter((id): id is number => typeof id === 'number'));
    const control = addedTokens.filter((t) => t.special === true && typeof t.content === 'string').map((t) => t.content as string);
    return new PolicyTokenizer(tokenizer, config, chatTemplate, maxId + 1, byteLevel, added, control);
  }

  /**
   * Token ids of `text`. `addSpecialTokens` applies the tokenizer's post-processor (e.g. a
   * Llama BOS); chat-templated text already holds its special tokens, so it is encoded without.
   * Text from `renderChat` / `markText` keeps its contents' control-token text as ordinary tokens.
   */
  encode(text: string, opts: { addSpecialTokens?: boolean } = {}): number[] {
    if (opts.addSpecialTokens) return this.tokenizer.encode(text, { add_special_tokens: true }).ids;
    return this.control.encode(text, (piece) => this.tokenizer.encode(piece, { add_special_tokens: false }).ids);
  }

  /**
   * `applyChatTemplate` for encoding: message contents (and tool-call arguments) are marked first,
   * so control-token text in them (`<|im_end|>` written by the policy) encodes as ordinary tokens,
   * never as the control token (see control-text.ts). Pass the result to `encode` only.
   */
  renderChat(messages: readonly TemplateMessage[], opts: { addGenerationPrompt?: boolean; tools?: readonly ToolSpec[] } = {}): string {
    return this.applyChatTemplate(
      messages.map((m) => ({
        ...m,
        content: this.control.mark(m.content),
        ...(m.toolCalls ? { toolCalls: m.toolCalls.map((c) => ({ ...c, function: { name: this.control.mark(c.function.name), arguments: this.control.mark(c.function.arguments) } })) } : {}),
      })),
      opts,
    );
  }

  /** Token ids of a chat: `encode(renderChat(messages, opts))`. */
  encodeChat(messages: readonly TemplateMessage[], opts: { addGenerationPrompt?: boolean; tools?: readonly ToolSpec[] } = {}): number[] {
    return this.encode(this.renderChat(messages, opts));
  }

  /** `text` as `renderChat` puts a content into the rendering (for matching it inside one). */
  markText(text: string): string {
    return this.control.mark(text);
  }

  /** Text of `ids`; ids the tokenizer does not know (embedding padding rows) are dropped. */
  decode(ids: readonly number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    const known = ids.filter((id) => id >= 0 && id < this.size && this.tokenizer.id_to_token(id) !== undefined);
    if (known.length === 0) return ''; // the library throws on an empty list
    return this.tokenizer.decode(known, { skip_special_tokens: opts.skipSpecialTokens ?? true, clean_up_tokenization_spaces: false });
  }

  /**
   * The bytes one token stands for (OpenAI's `bytes` field): exact for byte-level BPE vocabularies,
   * where a token may hold part of a UTF-8 character; otherwise the UTF-8 of its decoded text.
   */
  tokenBytes(id: number): number[] {
    const piece = this.tokenizer.id_to_token(id);
    if (piece === undefined) return [];
    if (this.byteLevel && !this.addedIds.has(id)) {
      const bytes = [...piece].map((ch) => byteOfChar().get(ch));
      if (bytes.every((b) => b !== undefined)) return bytes as number[];
    }
    return [...Buffer.from(this.decode([id], { skipSpecialTokens: false }), 'utf8')];
  }

  /** The id of a token string, if the vocabulary has it. */
  tokenId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /** The id of a special token named in tokenizer_config.json (`eos_token`, `pad_token`, …). */
  specialId(key: 'bos_token' | 'eos_token' | 'pad_token'): number | undefined {
    const t = this.specials[key];
    return t === undefined ? undefined : this.tokenId(t);
  }

  /**
   * Renders messages with the checkpoint's chat template, ending with the assistant header when
   * `addGenerationPrompt` (default true).
   */
  applyChatTemplate(messages: readonly TemplateMessage[], opts: { addGenerationPrompt?: boolean; tools?: readonly ToolSpec[] } = {}): string {
    if (!this.template) {
      throw new ConfigError('this checkpoint has no chat template (tokenizer_config.json "chat_template" or chat_template.jinja); pass plain string prompts instead of messages.');
    }
    if (opts.tools?.length && !this.takesTools) {
      throw new ConfigError('this checkpoint\'s chat template does not take tools (it never renders the `tools` variable), so tool definitions cannot reach the model; send the request without tools.');
    }
    const context = {
      messages: messages.map((m) => ({
        role: m.role,
        content: m.content,
        ...(m.toolCallId ? { tool_call_id: m.toolCallId } : {}),
        ...(m.name ? { name: m.name } : {}),
        ...(m.toolCalls?.length
          ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: c.type, function: { name: c.function.name, arguments: templateArguments(c.function.arguments) } })) }
          : {}),
      })),
      add_generation_prompt: opts.addGenerationPrompt ?? true,
      ...(opts.tools?.length ? { tools: opts.tools } : {}),
      ...this.specials,
    };
    try {
      return this.template.render(context);
    } catch (e) {
      // Templates refuse what they cannot render (raise_exception: roles out of order, a tool
      // message without a call); that is a problem of the messages, not of the server.
      throw new ConfigError(`the chat template refused these messages: ${(e as Error).message}`, { cause: e });
    }
  }

  private takesToolsCache: boolean | undefined;

  /**
   * Whether the chat template renders tool definitions: found by rendering a probe tool, so it
   * holds for any template (Qwen, Llama 3.1, Hermes, Mistral…) without a list of names.
   */
  get takesTools(): boolean {
    if (this.takesToolsCache === undefined) {
      let rendered = '';
      try {
        rendered = this.template?.render({ messages: [{ role: 'user', content: 'hi' }], add_generation_prompt: true, tools: [PROBE_TOOL], ...this.specials }) ?? '';
      } catch {
        rendered = ''; // a template that fails on tools does not take them
      }
      this.takesToolsCache = rendered.includes(PROBE_TOOL.function.name);
    }
    return this.takesToolsCache;
  }

  /** The tool-call format of this template's model, when exitgym can parse it (see `ToolCallFormat`). */
  get toolCallFormat(): ToolCallFormat | undefined {
    return this.takesTools && this.chatTemplate?.includes('<tool_call>') ? 'hermes' : undefined;
  }
}
