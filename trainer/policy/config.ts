/**
 * The decoder's shape, read from a Hugging Face `config.json` (Llama / Qwen2 / Mistral family),
 * and the RoPE frequencies with the checkpoint's theta and scaling. Pure: no TensorFlow.js.
 */
import { ConfigError } from '../../core/errors.js';

/** Everything the forward pass needs from config.json. */
export interface DecoderConfig {
  modelType: string;
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling | null;
  maxPositions: number;
  tieWordEmbeddings: boolean;
  /** q/k/v projections have biases (Qwen2 always; Llama when `attention_bias`). */
  qkvBias: boolean;
  /** o_proj has a bias (Llama `attention_bias`). */
  oBias: boolean;
  /** gate/up/down have biases (Llama `mlp_bias`). */
  mlpBias: boolean;
  /** ids that end generation (config.json and generation_config.json). */
  eosTokenIds: number[];
}

/** The `rope_scaling` types we implement; others are rejected at load. */
export type RopeScaling =
  | { type: 'linear'; factor: number }
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositions: number };

const SUPPORTED = ['llama', 'qwen2', 'mistral', 'qwen3'];

function num(raw: Record<string, unknown>, key: string, where: string, fallback?: number): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(`${where}: "${key}" must be a number; got ${JSON.stringify(raw[key])}.`);
  return v;
}

function idList(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

function parseRopeScaling(raw: unknown, where: string): RopeScaling | null {
  if (raw === null || raw === undefined) return null;
  const r = raw as Record<string, unknown>;
  const type = (r.rope_type ?? r.type) as string | undefined;
  switch (type) {
    case undefined:
    case 'default':
      return null;
    case 'linear':
      return { type: 'linear', factor: num(r, 'factor', `${where} rope_scaling`) };
    case 'llama3':
      return {
        type: 'llama3',
        factor: num(r, 'factor', `${where} rope_scaling`),
        lowFreqFactor: num(r, 'low_freq_factor', `${where} rope_scaling`),
        highFreqFactor: num(r, 'high_freq_factor', `${where} rope_scaling`),
        originalMaxPositions: num(r, 'original_max_position_embeddings', `${where} rope_scaling`),
      };
    default:
      throw new ConfigError(`${where}: rope_scaling type "${type}" is not supported; supported: default, linear, llama3.`);
  }
}

/**
 * Reads config.json (and generation_config.json's eos ids, if given). `where` names the file in
 * errors.
 */
export function parseDecoderConfig(raw: Record<string, unknown>, generation: Record<string, unknown> = {}, where = 'config.json'): DecoderConfig {
  const modelType = String(raw.model_type ?? '');
  if (!SUPPORTED.includes(modelType)) {
    throw new ConfigError(`${where}: model_type "${modelType}" is not supported; the policy implements the Llama/Qwen2 decoder family (${SUPPORTED.join(', ')}).`);
  }
  const act = raw.hidden_act ?? 'silu';
  if (act !== 'silu') throw new ConfigError(`${where}: hidden_act "${String(act)}" is not supported; only silu (SwiGLU) is.`);
  const hiddenSize = num(raw, 'hidden_size', where);
  const numHeads = num(raw, 'num_attention_heads', where);
  const numKvHeads = num(raw, 'num_key_value_heads', where, numHeads);
  if (numHeads % numKvHeads !== 0) throw new ConfigError(`${where}: num_attention_heads ${numHeads} is not a multiple of num_key_value_heads ${numKvHeads}.`);
  const headDim = typeof raw.head_dim === 'number' ? raw.head_dim : hiddenSize / numHeads;
  const attnBias = raw.attention_bias === true;
  const eos = [...new Set([...idList(generation.eos_token_id), ...idList(raw.eos_token_id)])];
  return {
    modelType,
    vocabSize: num(raw, 'vocab_size', where),
    hiddenSize,
    intermediateSize: num(raw, 'intermediate_size', where),
    numLayers: num(raw, 'num_hidden_layers', where),
    numHeads,
    numKvHeads,
    headDim,
    rmsNormEps: num(raw, 'rms_norm_eps', where, 1e-6),
    ropeTheta: num(raw, 'rope_theta', where, 10000),
    ropeScaling: parseRopeScaling(raw.rope_scaling, where),
    maxPositions: num(raw, 'max_position_embeddings', where, 4096),
    tieWordEmbeddings: raw.tie_word_embeddings === true,
    qkvBias: modelType === 'qwen2' || attnBias,
    oBias: modelType !== 'qwen2' && attnBias,
    mlpBias: raw.mlp_bias === true,
    eosTokenIds: eos,
  };
}

/**
 * RoPE inverse frequencies `1/θ^(2i/d)`, with the checkpoint's scaling applied exactly as
 * transformers' `ROPE_INIT_FUNCTIONS` do (linear divides positions by the factor, which is the same
 * as dividing the frequencies; llama3 rescales low frequencies and smooths the band between).
 */
export function ropeInvFreq(cfg: Pick<DecoderConfig, 'headDim' | 'ropeTheta' | 'ropeScaling'>): Float32Array {
  const half = cfg.headDim / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = 1 / cfg.ropeTheta ** ((2 * i) / cfg.headDim);
  const s = cfg.ropeScaling;
  if (s?.type === 'linear') {
    for (let i = 0; i < half; i++) inv[i] = (inv[i] as number) / s.factor;
  } else if (s?.type === 'llama3') {
    const lowWavelen = s.originalMaxPositions / s.lowFreqFactor;
    const highWavelen = s.originalMaxPositions / s.highFreqFactor;
    for (let i = 0; i < half; i++) {
      const f = inv[i] as number;
      const wavelen = (2 * Math.PI) / f;
      if (wavelen > lowWavelen) inv[i] = f / s.factor;
      else if (wavelen >= highWavelen) {
        const smooth = (s.originalMaxPositions / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        inv[i] = (1 - smooth) * (f / s.factor) + smooth * f;
      }
    }
  }
  return Float32Array.from(inv);
}
