/**
 * The policy: a Hugging Face decoder checkpoint held as TensorFlow.js variables, with its
 * tokenizer. Loads `config.json` + safetensors (single or sharded; f32/f16/bf16), scores token
 * sequences, generates (see `generate.ts`) and saves back to the same layout so vLLM or
 * transformers can load a trained model.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tf, selectBackend, type BackendName, type BackendPreference } from '../backend.js';
import { ConfigError } from '../../core/errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../../core/atomic-write.js';
import { loadSafetensorsDir, saveSafetensorsDir, type FloatDtype, type NamedTensor, type TensorMap } from '../safetensors.js';
import type { TensorSource } from '../safetensors-write.js';
import { parseDecoderConfig, ropeInvFreq, type DecoderConfig } from './config.js';
import { causalInputs, expectedWeights, forward, forwardHidden, outputHead, prepareForDecoding, type ForwardInput, type ForwardOutput, type Weights } from './model.js';
import { DEFAULT_HEAD_CHUNK, headTokenStats } from './token-stats.js';
import { PolicyTokenizer } from './tokenizer.js';
import { generate, type GenerateOptions, type Generation, type PromptInput } from './generate.js';

/**
 * Tensors a checkpoint may hold that the forward pass rightly ignores: the output head of a tied
 * model (the embedding is used), and RoPE buffers older Llama exports saved.
 */
const IGNORABLE = [/^lm_head\.weight$/, /\.rotary_emb\.inv_freq$/];

/** Files besides the weights that make a checkpoint folder complete; copied by `save`. */
const SIDE_FILES = ['generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'vocab.json', 'merges.txt'];

export interface LoadPolicyOptions {
  /** Backend to run on (default `auto`); see `selectBackend`. */
  backend?: BackendPreference;
  /** Hold the weights as trainable variables (default true). A frozen reference passes false. */
  trainable?: boolean;
  /** Log line sink for the backend choice (default stderr). */
  log?: (line: string) => void;
}

/** A sequence to score: token ids, and the index of the first token whose logprob is wanted. */
export interface ScoreSequence {
  ids: readonly number[];
  /** Logprobs are returned for `ids[start..]` (each given everything before it); start ≥ 1. */
  start: number;
}

/** How `Policy.tokenStats` computes. */
export interface TokenStatsOptions {
  /** Prediction slots to compute (flat indices into `B × (T−1)`); default every slot. */
  slots?: Int32Array;
  /** Tokens per output-head chunk (default `DEFAULT_HEAD_CHUNK`). */
  headChunk?: number;
  /** Recompute each decoder layer in the backward pass instead of keeping its activations. */
  checkpoint?: boolean;
}

export class Policy {
  /** Active tfjs backend when the policy was loaded. */
  readonly backend: BackendName;

  private constructor(
    readonly config: DecoderConfig,
    /** config.json as read, written back unchanged by `save` (except `torch_dtype`). */
    private readonly rawConfig: Record<string, unknown>,
    readonly tokenizer: PolicyTokenizer,
    /** The weights by Hugging Face name; trainable variables unless loaded frozen. */
    readonly weights: Map<string, tf.Variable>,
    /** Storage dtype of each tensor in the source checkpoint (kept on save). */
    private readonly dtypes: Map<string, FloatDtype>,
    /** Tensors in the checkpoint the model does not use (kept for a faithful save). */
    private readonly extras: TensorMap,
    private readonly sourceDir: string,
    private readonly invFreq: tf.Tensor1D,
  ) {
    this.backend = tf.getBackend() as BackendName;
  }

  /**
   * Loads a checkpoint folder.
   *
   * @example
   * const policy = await loadPolicy('models/qwen2.5-0.5b-instruct', { backend: 'wasm' });
   * const [out] = await policy.generate([[{ role: 'user', content: 'What is 2+2?' }]], { maxTokens: 32, temperature: 0 });
   */
  static async load(dir: string, opts: LoadPolicyOptions = {}): Promise<Policy> {
    await selectBackend(opts.backend ?? 'auto', opts.log ? { log: opts.log } : {});
    const cfgPath = join(dir, 'config.json');
    if (!existsSync(cfgPath)) throw new ConfigError(`${dir}: no config.json; point --model at a Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json).`);
    const rawConfig = JSON.parse(await readFile(cfgPath, 'utf8')) as Record<string, unknown>;
    const genPath = join(dir, 'generation_config.json');
    const gen = existsSync(genPath) ? (JSON.parse(await readFile(genPath, 'utf8')) as Record<string, unknown>) : {};
    const config = parseDecoderConfig(rawConfig, gen, cfgPath);
    const tokenizer = await PolicyTokenizer.load(dir);
    const eosFromTokenizer = tokenizer.specialId('eos_token');
    if (eosFromTokenizer !== undefined && !config.eosTokenIds.includes(eosFromTokenizer)) config.eosTokenIds.push(eosFromTokenizer);
    const tensors = await loadSafetensorsDir(dir);
    return Policy.fromTensors(config, rawConfig, tokenizer, tensors, dir, opts.trainable ?? true);
  }

  private static fromTensors(config: DecoderConfig, rawConfig: Record<string, unknown>, tokenizer: PolicyTokenizer, tensors: TensorMap, dir: string, trainable: boolean): Policy {
    const expected = expectedWeights(config);
    const missing = [...expected.keys()].filter((n) => !tensors.has(n));
    if (missing.length) {
      throw new ConfigError(`${dir}: checkpoint lacks ${missing.length} tensor(s) its config.json needs, e.g. ${missing.slice(0, 3).join(', ')}; is the folder complete and the config right?`);
    }
    const weights = new Map<string, tf.Variable>();
    const dtypes = new Map<string, FloatDtype>();
    const extras: TensorMap = new Map();
    const unused = [...tensors.keys()].filter((n) => !expected.has(n) && !IGNORABLE.some((re) => re.test(n)));
    if (unused.length) {
      // Weights the forward pass would ignore mean a different architecture (e.g. q_norm of a
      // model_type that has none): running anyway would give silently wrong logits.
      throw new ConfigError(
        `${dir}: checkpoint has ${unused.length} tensor(s) the ${config.modelType} decoder does not use, e.g. ${unused.slice(0, 3).join(', ')}; ` +
          'its config.json (model_type, attention_bias, mlp_bias, tie_word_embeddings) does not describe these weights.',
      );
    }
    for (const [name, t] of tensors) {
      const shape = expected.get(name);
      if (!shape) {
        // A tied checkpoint may still carry lm_head.weight; the model reads the embedding instead.
        extras.set(name, t);
        continue;
      }
      if (shape.join(',') !== t.shape.join(',')) {
        throw new ConfigError(`${dir}: tensor "${name}" has shape [${t.shape.join(', ')}] but config.json implies [${shape.join(', ')}].`);
      }
      const init = tf.tensor(t.data, t.shape, 'float32');
      weights.set(name, tf.variable(init, trainable)); // the variable shares init's data (ref-counted)
      init.dispose();
      dtypes.set(name, t.dtype);
    }
    const invFreq = tf.tensor1d(ropeInvFreq(config));
    return new Policy(config, rawConfig, tokenizer, weights, dtypes, extras, dir, invFreq);
  }

  /** The trainable variables, in a fixed order (by name). */
  trainableVariables(): tf.Variable[] {
    return [...this.weights.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v)
      .filter((v) => v.trainable);
  }

  /**
   * Throws when `tokens` (the length of a sequence fed to the model) is past what this forward
   * pass computes as transformers does (see `DecoderConfig.lengthLimit`).
   */
  checkLength(tokens: number, what: string): void {
    const limit = this.config.lengthLimit;
    if (limit && tokens > limit.tokens) {
      throw new ConfigError(`${what}: a sequence of ${tokens} tokens is longer than ${limit.tokens}: ${limit.reason}. Use shorter prompts or max tokens.`);
    }
  }

  /**
   * One forward pass over the weights (or over `prepared`, from `prepareForDecoding`); see
   * `model.forward` (call inside `tf.tidy`).
   */
  forward(input: ForwardInput, prepared?: Weights): ForwardOutput {
    return forward(prepared ?? this.weights, this.config, this.invFreq, input);
  }

  /** The weights with transposed copies for fast repeated forward passes; free with `disposePrepared`. */
  prepareForDecoding(): Weights {
    return prepareForDecoding(this.weights, this.config);
  }

  /**
   * Log-probabilities and entropies `[B, T-1]` of `ids[:, 1:]` given the tokens before them, for a
   * right-padded batch `ids` `[B, T]` (padding only follows real tokens, so it never changes their
   * values). Only the prediction slots in `opts.slots` (flat indices into `B × (T−1)`; default all)
   * go through the output head, in chunks of `opts.headChunk` tokens (see `headTokenStats`); the
   * others are 0. Differentiable: the GRPO step calls it under a gradient tape.
   */
  tokenStats(ids: tf.Tensor2D, opts: TokenStatsOptions = {}): { logprobs: tf.Tensor2D; entropy: tf.Tensor2D } {
    const [b, t] = ids.shape;
    this.checkLength(t, 'scoring');
    const slotsPerRow = t - 1;
    const total = b * slotsPerRow;
    const slots = opts.slots ?? Int32Array.from({ length: total }, (_, i) => i);
    const idv = ids.dataSync();
    const rows = new Int32Array(slots.length);
    const targets = new Int32Array(slots.length);
    const where = new Int32Array(total).fill(slots.length);
    slots.forEach((slot, k) => {
      if (!(slot >= 0 && slot < total)) throw new ConfigError(`tokenStats: slot ${slot} is outside [0, ${total}) for a [${b}, ${t}] batch.`);
      const i = Math.floor(slot / slotsPerRow);
      const c = slot % slotsPerRow;
      rows[k] = i * t + c;
      targets[k] = idv[i * t + c + 1] as number;
      where[slot] = k;
    });
    const { positions, mask } = causalInputs(new Array<number>(b).fill(0), 0, t);
    const { hidden } = forwardHidden(this.weights, this.config, this.invFreq, {
      ids,
      positions: tf.tensor2d(positions, [b, t], 'int32'),
      mask: tf.tensor4d(mask, [b, 1, t, t]),
      ...(opts.checkpoint ? { checkpoint: true } : {}),
    });
    const stats = headTokenStats(tf.gather(hidden, tf.tensor1d(rows, 'int32')), outputHead(this.weights, this.config), targets, opts.headChunk ?? DEFAULT_HEAD_CHUNK);
    // Slots left out read the appended zero row.
    const full = tf.gather(tf.concat([stats, tf.zeros([1, 2])], 0), tf.tensor1d(where, 'int32'));
    return {
      logprobs: tf.reshape(tf.slice(full, [0, 0], [total, 1]), [b, slotsPerRow]),
      entropy: tf.reshape(tf.slice(full, [0, 1], [total, 1]), [b, slotsPerRow]),
    };
  }

  /** `tokenStats(ids).logprobs`: log-probabilities `[B, T-1]` of `ids[:, 1:]`. */
  logprobsTensor(ids: tf.Tensor2D, opts: TokenStatsOptions = {}): tf.Tensor2D {
    return this.tokenStats(ids, opts).logprobs;
  }

  /**
   * Per-token logprobs of `ids[start..]` for each sequence (no chat template, no re-tokenising).
   * Runs in batches of `batchSize` sequences.
   */
  async tokenLogprobs(sequences: readonly ScoreSequence[], opts: { batchSize?: number } = {}): Promise<number[][]> {
    const bs = opts.batchSize ?? 8;
    const out: number[][] = [];
    for (let s = 0; s < sequences.length; s += bs) {
      const chunk = sequences.slice(s, s + bs);
      for (const q of chunk) {
        if (q.start < 1 || q.start > q.ids.length) throw new ConfigError(`tokenLogprobs: start ${q.start} must be in [1, ${q.ids.length}] (the first token has no prediction).`);
      }
      const t = Math.max(...chunk.map((q) => q.ids.length));
      const flat = new Int32Array(chunk.length * t);
      chunk.forEach((q, i) => flat.set(q.ids, i * t));
      // Only the wanted slots go through the output head (prompt positions are the bulk of it).
      const slots: number[] = [];
      chunk.forEach((q, i) => {
        for (let j = q.start; j < q.ids.length; j++) slots.push(i * (t - 1) + j - 1);
      });
      const lp = tf.tidy(() => this.logprobsTensor(tf.tensor2d(flat, [chunk.length, t], 'int32'), { slots: Int32Array.from(slots) }));
      const data = await lp.data();
      lp.dispose();
      chunk.forEach((q, i) => {
        const row: number[] = [];
        for (let j = q.start; j < q.ids.length; j++) row.push(data[i * (t - 1) + j - 1] as number);
        out.push(row);
      });
    }
    return out;
  }

  /**
   * Generates a completion for each prompt (a string, chat messages, or token ids) with a KV
   * cache; see `generate`.
   */
  generate(prompts: readonly PromptInput[], opts: GenerateOptions): Promise<Generation[]> {
    return generate(this, prompts, opts);
  }

  /** A frozen (or trainable) copy of the weights sharing the tokenizer: the GRPO reference. */
  clone(opts: { trainable?: boolean } = {}): Policy {
    const weights = new Map<string, tf.Variable>();
    for (const [name, v] of this.weights) weights.set(name, tf.variable(v, opts.trainable ?? false)); // shares data until either is assigned
    return new Policy(this.config, this.rawConfig, this.tokenizer, weights, new Map(this.dtypes), new Map(this.extras), this.sourceDir, this.invFreq.clone());
  }

  /** The weights as float32 arrays by name (for checkpoints and tests). */
  async snapshot(): Promise<TensorMap> {
    const out: TensorMap = new Map();
    for (const [name, v] of this.weights) {
      out.set(name, { shape: [...v.shape], data: (await v.data()) as Float32Array, dtype: this.dtypes.get(name) ?? 'F32' });
    }
    return out;
  }

  /**
   * Writes a complete checkpoint folder: weights as safetensors (each tensor in its source dtype,
   * or `dtype`), config.json, and the tokenizer/generation files copied from the source.
   */
  async save(dir: string, opts: { dtype?: FloatDtype; maxShardBytes?: number } = {}): Promise<void> {
    // Each weight is read from the backend only when its bytes are written: one at a time in memory.
    const tensors = new Map<string, NamedTensor | TensorSource>();
    for (const [name, v] of this.weights) {
      tensors.set(name, { shape: [...v.shape], dtype: this.dtypes.get(name) ?? 'F32', values: async () => (await v.data()) as Float32Array });
    }
    for (const [name, t] of this.extras) {
      if (!(name === 'lm_head.weight' && this.config.tieWordEmbeddings)) tensors.set(name, t as NamedTensor);
    }
    await saveSafetensorsDir(dir, tensors, { ...(opts.dtype ? { dtype: opts.dtype } : {}), ...(opts.maxShardBytes ? { maxShardBytes: opts.maxShardBytes } : {}) });
    const torchDtype = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' } as const;
    const config = opts.dtype ? { ...this.rawConfig, torch_dtype: torchDtype[opts.dtype] } : this.rawConfig;
    await writeJsonAtomic(join(dir, 'config.json'), config);
    if (resolve(dir) === resolve(this.sourceDir)) return;
    for (const f of SIDE_FILES) {
      const src = join(this.sourceDir, f);
      if (existsSync(src)) await writeFileAtomic(join(dir, f), await readFile(src));
    }
  }

  /** Frees every tensor the policy holds. */
  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
    this.invFreq.dispose();
  }
}

/** `Policy.load`: the public entry point. */
export function loadPolicy(dir: string, opts: LoadPolicyOptions = {}): Promise<Policy> {
  return Policy.load(dir, opts);
}
