/**
 * What an OpenAI-compatible HTTP layer needs from a model it serves: group generation with
 * per-token logprobs and top alternatives, prompt scoring, the chat template's tool support, and
 * versioned weights. Types only (no TensorFlow.js), so `server/` can import them without loading
 * the model code; `ServedPolicy` (served-policy.ts) implements it over the tfjs policy.
 */
import type { SamplingDefaults } from './generation-defaults.js';
import type { TemplateMessage, ToolCallFormat, ToolSpec } from './policy/tokenizer.js';

/** A prompt: chat messages (through the chat template), text (with the tokenizer's special tokens), or token ids. */
export type ServedPrompt = { messages: readonly TemplateMessage[]; tools?: readonly ToolSpec[] } | { text: string } | { ids: readonly number[] };

/** One generation request: `n` samples of each prompt. */
export interface ServedRequest {
  prompts: readonly ServedPrompt[];
  /** Samples per prompt; choice `i * n + j` is sample `j` of prompt `i`. */
  n: number;
  /** New tokens per sample; 0 only scores the prompt (with `echo`). */
  maxTokens: number;
  /** Lower `maxTokens` to what the context leaves after the prompt, rather than refusing (a default, not an ask). */
  clipMaxTokens?: boolean;
  temperature: number;
  topP?: number;
  topK?: number;
  stop?: readonly string[];
  /** Sample `j` of prompt `i` draws from `Rng.fromSeed(seed).fork(i * n + j)`. */
  seed: number;
  /** Top alternatives per position (0–20); the sampled token's logprob is always returned. */
  topLogprobs: number;
  /** Also score the prompt tokens (the first has no context: null). */
  promptLogprobs?: boolean;
  /** Called with text as it becomes final (never text past a stop string). */
  onText?: (choice: number, delta: string) => void;
  /** Text from which on `onText` holds everything back (e.g. `<tool_call>`, sent parsed at the end). */
  holdFrom?: string;
  /** Fires when the requester has gone away: a queued request never runs, a running one stops. */
  signal?: AbortSignal;
}

/** A token's logprob and the most likely alternatives at its position. */
export interface TokenScore {
  id: number;
  logprob: number;
  /** Most likely tokens at this position, best first (`topLogprobs` of them). */
  top: { id: number; logprob: number }[];
}

export interface ServedChoice {
  /** Index of the prompt this sample belongs to. */
  prompt: number;
  text: string;
  tokenIds: number[];
  /** One per sampled token. */
  scores: TokenScore[];
  finishReason: 'stop' | 'length';
  /** The stop string that ended the sample (its text is cut before it); undefined for eos or length. */
  stopString?: string;
}

export interface ServedPromptResult {
  ids: number[];
  /** Scores of `ids[1..]` (position 0 has no context) when `promptLogprobs`. */
  scores?: TokenScore[];
}

export interface ServedResult {
  prompts: ServedPromptResult[];
  choices: ServedChoice[];
  /** The weights version that served every choice (see `reloadWeights`). */
  weightsVersion: number;
}

export interface ServedModel {
  /** Most tokens (prompt + completion) one sequence may hold. */
  readonly contextLength: number;
  /** Whether the chat template renders tool definitions. */
  readonly takesTools: boolean;
  /** The format tool calls are parsed from, when known. */
  readonly toolCallFormat: ToolCallFormat | undefined;
  /** The current weights version: 0 at start, +1 per reload. */
  readonly weightsVersion: number;
  /** Sampling settings for fields a request leaves out (the checkpoint's generation_config.json). */
  readonly samplingDefaults: SamplingDefaults;
  /** Token ids of a prompt (to check lengths before generating). */
  encode(prompt: ServedPrompt): number[];
  generate(request: ServedRequest): Promise<ServedResult>;
  /** The text of token ids (special tokens included). */
  decode(ids: readonly number[]): string;
  /** The text of one token (special tokens included). */
  tokenText(id: number): string;
  /** The raw bytes of one token, when the tokenizer is byte-level; else its text's UTF-8. */
  tokenBytes(id: number): number[];
  /**
   * Loads new weights from a checkpoint folder of the same architecture. Requests that arrived
   * before finish on the old weights; later ones use the new. Returns the new version.
   */
  reloadWeights(dir: string): Promise<number>;
  close(): Promise<void>;
}
