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
  /**
   * The longest sequence (prompt + completion tokens fed to the model) this forward pass computes
   * exactly as transformers does, with why; null when there is no such limit. Set by dynamic NTK
   * RoPE (past its threshold the frequencies depend on the sequence length and on call history)
   * and by sliding-window attention (not implemented: past the window every key is still attended).
   */
  lengthLimit: { tokens: number; reason: string } | null;
  tieWordEmbeddings: boolean;
  /** q/k/v projections have biases (Qwen2 always; Llama when `attention_bias`). */
  qkvBias: boolean;
  /** o_proj has a bias (Llama `attention_bias`). */
  oBias: boolean;
  /** gate/up/down have biases (Llama `mlp_bias`). */
  mlpBias: boolean;
  /** Per-head RMSNorm of queries and keys before RoPE (`q_norm`/`k_norm`, Qwen3). */
  qkNorm: boolean;
  /** ids that end generation (config.json and generation_config.json). */
  eosTokenIds: number[];
}

/**
 * The `rope_scaling` types we implement (transformers' `ROPE_INIT_FUNCTIONS` names); others
 * (yarn, longrope, …) are rejected at load with the list of these. `dynamic` (NTK) gives the
 * default frequencies up to its threshold, and the policy refuses longer sequences (see
 * `DecoderConfig.lengthLimit`).
 */
export type RopeScaling =
  | { type: 'linear'; factor: number }
  | { type: 'dynamic'; factor: number; originalMaxPositions?: number }
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositions: number };

/** The `rope_type` values `parseDecoderConfig` accepts. */
export const SUPPORTED_ROPE_TYPES = ['default', 'linear', 'dynamic', 'llama3'] as const;

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
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: must be an object or null; got ${JSON.stringify(raw)}.`);
  const r = raw as Record<string, unknown>;
  const type = (r.rope_type ?? r.type) as string | undefined;
  switch (type) {
    case undefined:
    case 'default':
      return null;
    case 'linear':
      return { type: 'linear', factor: num(r, 'factor', where) };
    case 'dynamic': {
      const original = r.original_max_position_embeddings;
      return { type: 'dynamic', factor: num(r, 'factor', where), ...(typeof original === 'number' ? { originalMaxPositions: original } : {}) };
    }
    case 'llama3':
      return {
        type: 'llama3',
        factor: num(r, 'factor', where),
        lowFreqFactor: num(r, 'low_freq_factor', where),
        highFreqFactor: num(r, 'high_freq_factor', where),
        originalMaxPositions: num(r, 'original_max_position_embeddings', where),
      };
    default:
      throw new ConfigError(
        `${where}: RoPE type "${String(type)}" is not supported; supported: ${SUPPORTED_ROPE_TYPES.join(', ')}. ` +
          'The policy would compute different attention from transformers/vLLM, so it refuses to load.',
      );
  }
}

/**
 * θ and the scaling, from the transformers v4 keys (`rope_theta`, `rope_scaling`) or the v5 key
 * `rope_parameters` (which holds `rope_theta` too). Reading only the v4 keys would silently give
 * θ = 10000 for a checkpoint saved by transformers v5.
 */
function parseRope(raw: Record<string, unknown>, where: string): { theta: number; scaling: RopeScaling | null } {
  const params = raw.rope_parameters;
  if (params !== undefined && params !== null) {
    if (typeof params !== 'object' || Array.isArray(params)) throw new ConfigError(`${where}: "rope_parameters" must be an object; got ${JSON.stringify(params)}.`);
    const p = params as Record<string, unknown>;
    if (!('rope_type' in p) && !('rope_theta' in p)) {
      throw new ConfigError(`${where}: "rope_parameters" has no rope_type or rope_theta; per-layer-type RoPE (e.g. Gemma) is not part of the Llama/Qwen2 family.`);
    }
    return { theta: num({ ...raw, ...p }, 'rope_theta', `${where} rope_parameters`, 10000), scaling: parseRopeScaling(p, `${where} rope_parameters`) };
  }
  return { theta: num(raw, 'rope_theta', where, 10000), scaling: parseRopeScaling(raw.rope_scaling, `${where} rope_scaling`) };
}

/**
 * The sliding-window size in force on some layer, or null. Explicit `layer_types` decide when
 * present; otherwise Mistral uses `sliding_window` on every layer, and Qwen2/3 only with
 * `use_sliding_window`, on layers from `max_window_layers` on.
 */
function slidingWindow(raw: Record<string, unknown>, modelType: string): number | null {
  const w = raw.sliding_window;
  if (typeof w !== 'number') return null;
  if (Array.isArray(raw.layer_types)) return raw.layer_types.includes('sliding_attention') ? w : null;
  if (modelType === 'mistral') return w;
  if ((modelType === 'qwen2' || modelType === 'qwen3') && raw.use_sliding_window === true) {
    const from = raw.max_window_layers;
    return typeof from === 'number' && typeof raw.num_hidden_layers === 'number' && from >= raw.num_hidden_layers ? null : w;
  }
  return null;
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
  const partial = raw.partial_rotary_factor;
  if (partial !== undefined && partial !== null && partial !== 1) {
    throw new ConfigError(`${where}: partial_rotary_factor ${JSON.stringify(partial)} is not supported; the policy rotates the whole head (factor 1).`);
  }
  const eos = [...new Set([...idList(generation.eos_token_id), ...idList(raw.eos_token_id)])];
  const rope = parseRope(raw, where);
  const maxPositions = num(raw, 'max_position_embeddings', where, 4096);
  const limits: { tokens: number; reason: string }[] = [];
  if (rope.scaling?.type === 'dynamic') {
    // Newer transformers start scaling at original_max_position_embeddings when the config has it.
    const tokens = Math.min(maxPositions, rope.scaling.originalMaxPositions ?? Infinity);
    limits.push({ tokens, reason: `dynamic NTK RoPE scaling changes the frequencies past ${tokens} tokens (as transformers does it, they depend on the call history), which this policy does not reproduce` });
  }
  const window = slidingWindow(raw, modelType);
  if (window !== null) limits.push({ tokens: window, reason: `sliding-window attention (window ${window}) is not implemented, so past ${window} tokens the policy would attend to keys the checkpoint masks` });
  const lengthLimit = limits.reduce<{ tokens: number; reason: string } | null>((a, l) => (a === null || l.tokens < a.tokens ? l : a), null);
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
    ropeTheta: rope.theta,
    ropeScaling: rope.scaling,
    maxPositions,
    lengthLimit,
    tieWordEmbeddings: raw.tie_word_embeddings === true,
    qkvBias: modelType === 'qwen2' || attnBias,
    oBias: modelType !== 'qwen2' && attnBias,
    mlpBias: raw.mlp_bias === true,
    qkNorm: modelType === 'qwen3',
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
  // `dynamic` is the default below its threshold (`lengthLimit`); past it the policy refuses.
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
