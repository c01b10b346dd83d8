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

type TokenValue = string | { content?: string } | null | undefined;

function tokenText(v: TokenValue): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : v.content;
}

/** Tokenizer + chat template of one checkpoint. */
export class PolicyTokenizer {
  private readonly template: Template | undefined;
  /** Special-token strings the template may reference (`bos_token`, `eos_token`, …). */
  private readonly specials: Record<string, string>;

  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly config: Record<string, unknown>,
    readonly chatTemplate: string | undefined,
    /** Every id the tokenizer knows (vocab + added tokens); ids above are padding rows of the embedding. */
    readonly size: number,
  ) {
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
    return new PolicyTokenizer(tokenizer, config, chatTemplate, maxId + 1);
  }

  /**
   * Token ids of `text`. `addSpecialTokens` applies the tokenizer's post-processor (e.g. a
   * Llama BOS); chat-templated text already holds its special tokens, so it is encoded without.
   */
  encode(text: string, opts: { addSpecialTokens?: boolean } = {}): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: opts.addSpecialTokens ?? false }).ids;
  }

  /** Text of `ids`; ids the tokenizer does not know (embedding padding rows) are dropped. */
  decode(ids: readonly number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    const known = ids.filter((id) => id >= 0 && id < this.size && this.tokenizer.id_to_token(id) !== undefined);
    if (known.length === 0) return ''; // the library throws on an empty list
    return this.tokenizer.decode(known, { skip_special_tokens: opts.skipSpecialTokens ?? true, clean_up_tokenization_spaces: false });
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
  applyChatTemplate(messages: readonly Message[], opts: { addGenerationPrompt?: boolean } = {}): string {
    if (!this.template) {
      throw new ConfigError('this checkpoint has no chat template (tokenizer_config.json "chat_template" or chat_template.jinja); pass plain string prompts instead of messages.');
    }
    return this.template.render({
      messages: messages.map((m) => ({ role: m.role, content: m.content, ...(m.toolCallId ? { tool_call_id: m.toolCallId } : {}) })),
      add_generation_prompt: opts.addGenerationPrompt ?? true,
      ...this.specials,
    });
  }
}
