/**
 * The Llama/Qwen2 decoder forward pass in TensorFlow.js: RMSNorm, RoPE (rotate-half, as
 * transformers), grouped-query attention with an optional KV cache, Qwen3's per-head q/k norm,
 * SwiGLU MLP, tied or untied output head. Weights keep their Hugging Face names and layouts (linear weights `[out, in]`), so
 * loading and saving are a plain copy.
 */
import { tf } from '../backend.js';
import { ConfigError } from '../../core/errors.js';
import type { DecoderConfig } from './config.js';

/** The weights, by Hugging Face tensor name. */
export type Weights = Map<string, tf.Tensor>;

/** Per-layer keys and values after RoPE, each `[batch, numKvHeads, cachedLen, headDim]`. */
export interface KvCache {
  keys: tf.Tensor4D[];
  values: tf.Tensor4D[];
}

/** The expected tensor names and shapes for a config (what a checkpoint must contain). */
export function expectedWeights(cfg: DecoderConfig): Map<string, number[]> {
  const { hiddenSize: d, numHeads: h, numKvHeads: kv, headDim: hd, intermediateSize: f, vocabSize: v } = cfg;
  const out = new Map<string, number[]>();
  out.set('model.embed_tokens.weight', [v, d]);
  for (let l = 0; l < cfg.numLayers; l++) {
    const p = `model.layers.${l}`;
    out.set(`${p}.input_layernorm.weight`, [d]);
    out.set(`${p}.post_attention_layernorm.weight`, [d]);
    out.set(`${p}.self_attn.q_proj.weight`, [h * hd, d]);
    out.set(`${p}.self_attn.k_proj.weight`, [kv * hd, d]);
    out.set(`${p}.self_attn.v_proj.weight`, [kv * hd, d]);
    out.set(`${p}.self_attn.o_proj.weight`, [d, h * hd]);
    if (cfg.qkvBias) {
      out.set(`${p}.self_attn.q_proj.bias`, [h * hd]);
      out.set(`${p}.self_attn.k_proj.bias`, [kv * hd]);
      out.set(`${p}.self_attn.v_proj.bias`, [kv * hd]);
    }
    if (cfg.oBias) out.set(`${p}.self_attn.o_proj.bias`, [d]);
    if (cfg.qkNorm) {
      out.set(`${p}.self_attn.q_norm.weight`, [hd]);
      out.set(`${p}.self_attn.k_norm.weight`, [hd]);
    }
    out.set(`${p}.mlp.gate_proj.weight`, [f, d]);
    out.set(`${p}.mlp.up_proj.weight`, [f, d]);
    out.set(`${p}.mlp.down_proj.weight`, [d, f]);
    if (cfg.mlpBias) {
      out.set(`${p}.mlp.gate_proj.bias`, [f]);
      out.set(`${p}.mlp.up_proj.bias`, [f]);
      out.set(`${p}.mlp.down_proj.bias`, [d]);
    }
  }
  out.set('model.norm.weight', [d]);
  if (!cfg.tieWordEmbeddings) out.set('lm_head.weight', [v, d]);
  return out;
}

function get(w: Weights, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new ConfigError(`policy weights: missing tensor "${name}"; the checkpoint does not match its config.json.`);
  return t;
}

/** Key of a weight's transposed copy in prepared weights (see `prepareForDecoding`). */
const TRANSPOSED = ':T';

/** `x @ Wᵀ (+ b)` for x `[n, in]` and an HF weight `[out, in]` (or its prepared `[in, out]` copy). */
function linear(x: tf.Tensor2D, w: Weights, name: string, bias: boolean): tf.Tensor2D {
  const wt = w.get(`${name}.weight${TRANSPOSED}`);
  const y: tf.Tensor2D = wt ? tf.matMul(x, wt as tf.Tensor2D) : tf.matMul(x, get(w, `${name}.weight`) as tf.Tensor2D, false, true);
  return bias ? tf.add<tf.Tensor2D>(y, get(w, `${name}.bias`)) : y;
}

/**
 * The weights plus a transposed `[in, out]` copy of every linear weight and of the output head,
 * for many forward passes over unchanged weights (decoding): an untransposed product is the
 * backends' fast path (XNNPACK on wasm, which also keeps the packed weights between calls). The
 * caller disposes what `disposePrepared` names, and must not train in between.
 */
export function prepareForDecoding(w: Weights, cfg: DecoderConfig): Weights {
  const out: Weights = new Map(w);
  for (const [name, t] of w) {
    if (name.endsWith('_proj.weight')) out.set(`${name}${TRANSPOSED}`, tf.transpose(t));
  }
  out.set(`head${TRANSPOSED}`, tf.transpose(outputHead(w, cfg)));
  return out;
}

/** Frees the transposed copies `prepareForDecoding` added (not the weights themselves). */
export function disposePrepared(prepared: Weights): void {
  for (const [name, t] of prepared) if (name.endsWith(TRANSPOSED)) t.dispose();
}

/** RMSNorm over the last axis in float32, as transformers computes it. */
function rmsNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor, eps: number): T {
  const variance = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(variance, eps))), weight);
}

const rotations = new Map<number, Float32Array>();

/**
 * transformers' `rotate_half`: `[-x2, x1]` on the last axis, as one product with a signed
 * permutation matrix. Each output is one input times ±1 plus exact zeros, so the values are those
 * of the split/neg/concat form; but a product and its gradient (another product) cost a fraction of
 * concat's and split's generic copy kernels on wasm.
 */
function rotateHalf(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, t, d] = x.shape;
  let r = rotations.get(d);
  if (!r) {
    r = new Float32Array(d * d);
    const half = d / 2;
    for (let j = 0; j < half; j++) {
      r[(j + half) * d + j] = -1; // out[j] = -x[j + half]
      r[j * d + j + half] = 1; // out[j + half] = x[j]
    }
    rotations.set(d, r);
  }
  return tf.reshape(tf.matMul(tf.reshape(x, [b * h * t, d]), tf.tensor2d(r, [d, d])), [b, h, t, d]);
}

/** cos/sin tables `[B, 1, T, headDim]` for positions `[B, T]`. */
function ropeTables(positions: tf.Tensor2D, invFreq: tf.Tensor1D): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const [b, t] = positions.shape;
  const freqs = tf.mul(tf.reshape(tf.cast(positions, 'float32'), [b, t, 1]), tf.reshape(invFreq, [1, 1, -1]));
  const emb = tf.reshape(tf.concat([freqs, freqs], 2), [b, 1, t, -1]) as tf.Tensor4D;
  return { cos: tf.cos(emb), sin: tf.sin(emb) };
}

export interface ForwardInput {
  /** Token ids `[B, T]` (int32). */
  ids: tf.Tensor2D;
  /** Position of each token `[B, T]` (left padding shifts them so each row starts at 0). */
  positions: tf.Tensor2D;
  /** Additive attention bias `[B, 1, T, cachedLen + T]`: 0 where allowed, a large negative elsewhere. */
  mask: tf.Tensor4D;
  /** Keys/values of earlier tokens; the new ones are appended to a returned cache. */
  cache?: KvCache;
  /** Compute the output head only for the last position (prefill for generation). */
  lastOnly?: boolean;
  /**
   * Gradient checkpointing: keep only each decoder layer's input for the backward pass and
   * recompute the layer there (about one more forward pass of compute for a fraction of the
   * activation memory). Ignored with a KV cache.
   */
  checkpoint?: boolean;
}

export interface ForwardOutput {
  /** `[B, T, V]`, or `[B, 1, V]` with `lastOnly`. */
  logits: tf.Tensor3D;
  /** The cache including this call's tokens (only when the input had one, or `cache: {keys:[],values:[]}`). */
  cache?: KvCache;
}

/** What every layer of one pass shares. */
interface LayerContext {
  b: number;
  t: number;
  cos: tf.Tensor4D;
  sin: tf.Tensor4D;
  mask: tf.Tensor4D;
}

/** The names of layer `l`'s weights (the order `checkpointedLayer` passes them in). */
function layerWeightNames(w: Weights, l: number): string[] {
  const p = `model.layers.${l}.`;
  return [...w.keys()].filter((n) => n.startsWith(p)).sort();
}

/**
 * One pre-norm decoder layer on `x` `[B·T, d]`. With `past`, attends over the cached keys and
 * values too; with `out`, pushes this layer's full keys/values there.
 */
function decoderLayer(w: Weights, cfg: DecoderConfig, l: number, x: tf.Tensor2D, c: LayerContext, past?: KvCache, out?: KvCache): tf.Tensor2D {
  const { b, t, cos, sin } = c;
  const { numHeads: h, numKvHeads: kv, headDim: hd } = cfg;
  const rep = h / kv;
  const p = `model.layers.${l}`;
  const hIn = rmsNorm(x, get(w, `${p}.input_layernorm.weight`), cfg.rmsNormEps);
  const heads = (y: tf.Tensor2D, n: number): tf.Tensor4D => tf.transpose(tf.reshape(y, [b, t, n, hd]), [0, 2, 1, 3]);
  let q = heads(linear(hIn, w, `${p}.self_attn.q_proj`, cfg.qkvBias), h);
  let k = heads(linear(hIn, w, `${p}.self_attn.k_proj`, cfg.qkvBias), kv);
  if (cfg.qkNorm) {
    // Qwen3: RMSNorm of each head's query and key (over headDim), before RoPE.
    q = rmsNorm(q, get(w, `${p}.self_attn.q_norm.weight`), cfg.rmsNormEps);
    k = rmsNorm(k, get(w, `${p}.self_attn.k_norm.weight`), cfg.rmsNormEps);
  }
  let v = heads(linear(hIn, w, `${p}.self_attn.v_proj`, cfg.qkvBias), kv);
  q = tf.add(tf.mul(q, cos), tf.mul(rotateHalf(q), sin));
  k = tf.add(tf.mul(k, cos), tf.mul(rotateHalf(k), sin));
  if (past && past.keys[l]) {
    k = tf.concat([past.keys[l] as tf.Tensor4D, k], 2);
    v = tf.concat([past.values[l] as tf.Tensor4D, v], 2);
  }
  if (out) {
    out.keys.push(k);
    out.values.push(v);
  }
  const tk = k.shape[2];
  // GQA without copying K/V: fold the `rep` query heads that share a KV head into the query axis.
  // The 1/√d scale goes on q ([T, hd]) rather than on the scores ([T, Tk]).
  const qg = tf.reshape(tf.mul(q, 1 / Math.sqrt(hd)), [b, kv, rep * t, hd]);
  const scores = tf.reshape(tf.matMul(qg, k, false, true), [b, h, t, tk]);
  const probs = tf.softmax(tf.add(scores, c.mask));
  const ctx = tf.matMul(tf.reshape(probs, [b, kv, rep * t, tk]), v);
  const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [b, h, t, hd]), [0, 2, 1, 3]), [b * t, h * hd]) as tf.Tensor2D;
  const x1 = tf.add<tf.Tensor2D>(x, linear(merged, w, `${p}.self_attn.o_proj`, cfg.oBias));
  const hMid = rmsNorm(x1, get(w, `${p}.post_attention_layernorm.weight`), cfg.rmsNormEps);
  const gate = linear(hMid, w, `${p}.mlp.gate_proj`, cfg.mlpBias);
  const up = linear(hMid, w, `${p}.mlp.up_proj`, cfg.mlpBias);
  return tf.add<tf.Tensor2D>(x1, linear(tf.mul(tf.mul(gate, tf.sigmoid(gate)), up), w, `${p}.mlp.down_proj`, cfg.mlpBias));
}

/**
 * `decoderLayer` as one recorded op whose backward pass recomputes the layer (gradient
 * checkpointing): the tape holds the layer's input (and the shared RoPE tables and mask), not its
 * activations. The recomputation runs a nested `tf.grads`; tfjs's engine clears its active tape
 * when a top-level gradient ends, so the outer tape is put back afterwards.
 */
function checkpointedLayer(w: Weights, cfg: DecoderConfig, l: number, x: tf.Tensor2D, c: LayerContext): tf.Tensor2D {
  const names = layerWeightNames(w, l);
  const run = (args: tf.Tensor[], ctx: LayerContext): tf.Tensor2D => {
    const local: Weights = new Map(names.map((n, i) => [n, args[i + 1] as tf.Tensor]));
    return decoderLayer(local, cfg, l, args[0] as tf.Tensor2D, ctx);
  };
  const op = tf.customGrad((...inputs: unknown[]) => {
    const save = inputs.pop() as tf.GradSaveFunc;
    const args = inputs as tf.Tensor[];
    save([args[0] as tf.Tensor, c.cos, c.sin, c.mask]);
    const value = tf.tidy(() => run(args, c));
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, cos, sin, mask] = saved as [tf.Tensor2D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const ctx: LayerContext = { b: c.b, t: c.t, cos, sin, mask };
        const engine = tf.engine() as unknown as { state: { activeTape: unknown } };
        const outerTape = engine.state.activeTape;
        try {
          return tf.grads((...a: tf.Tensor[]) => run(a, ctx))([xs, ...args.slice(1)], dy);
        } finally {
          engine.state.activeTape = outerTape;
        }
      },
    };
  }) as (...t: tf.Tensor[]) => tf.Tensor2D;
  return op(x, ...names.map((n) => get(w, n)));
}

/**
 * The decoder body: embedding, every layer, final norm. Returns `[B·T, d]` (or `[B, d]` with
 * `lastOnly`). Call inside `tf.tidy` or a gradient tape.
 */
export function forwardHidden(w: Weights, cfg: DecoderConfig, invFreq: tf.Tensor1D, input: ForwardInput): { hidden: tf.Tensor2D; cache?: KvCache } {
  const [b, t] = input.ids.shape;
  const d = cfg.hiddenSize;
  const { cos, sin } = ropeTables(input.positions, invFreq);
  const ctx: LayerContext = { b, t, cos, sin, mask: input.mask };
  let x = tf.reshape(tf.gather(get(w, 'model.embed_tokens.weight'), tf.reshape(input.ids, [-1])), [b * t, d]) as tf.Tensor2D;
  const newCache: KvCache | undefined = input.cache ? { keys: [], values: [] } : undefined;
  for (let l = 0; l < cfg.numLayers; l++) {
    x = input.checkpoint && !input.cache ? checkpointedLayer(w, cfg, l, x, ctx) : decoderLayer(w, cfg, l, x, ctx, input.cache, newCache);
  }
  let last = rmsNorm(x, get(w, 'model.norm.weight'), cfg.rmsNormEps);
  if (input.lastOnly) last = tf.reshape(tf.slice(tf.reshape(last, [b, t, d]), [0, t - 1, 0], [b, 1, d]), [b, d]);
  return newCache ? { hidden: last, cache: newCache } : { hidden: last };
}

/** The output head `[V, d]` (the embedding when tied). */
export function outputHead(w: Weights, cfg: DecoderConfig): tf.Tensor2D {
  return (cfg.tieWordEmbeddings ? get(w, 'model.embed_tokens.weight') : get(w, 'lm_head.weight')) as tf.Tensor2D;
}

/**
 * One forward pass to logits. Call inside `tf.tidy` (or a gradient tape): intermediates are not
 * disposed here; the caller keeps only what it returns.
 */
export function forward(w: Weights, cfg: DecoderConfig, invFreq: tf.Tensor1D, input: ForwardInput): ForwardOutput {
  const [b, t] = input.ids.shape;
  const { hidden, cache } = forwardHidden(w, cfg, invFreq, input);
  const tOut = input.lastOnly ? 1 : t;
  const headT = w.get(`head${TRANSPOSED}`);
  const logits = tf.reshape(headT ? tf.matMul(hidden, headT as tf.Tensor2D) : tf.matMul(hidden, outputHead(w, cfg), false, true), [b, tOut, cfg.vocabSize]) as tf.Tensor3D;
  return cache ? { logits, cache } : { logits };
}

/** Large enough to zero a softmax weight in float32, small enough not to overflow when added. */
export const MASKED = -1e9;

/**
 * Positions and the additive causal mask for a left-padded batch: row `i` has `pad[i]` padding
 * tokens first. `pastLen` tokens are already cached (their padding is the same `pad[i]`).
 */
export function causalInputs(pad: readonly number[], pastLen: number, t: number): { positions: Int32Array; mask: Float32Array } {
  const b = pad.length;
  const tk = pastLen + t;
  const positions = new Int32Array(b * t);
  const mask = new Float32Array(b * t * tk);
  for (let i = 0; i < b; i++) {
    const p = pad[i] as number;
    for (let q = 0; q < t; q++) {
      const abs = pastLen + q;
      positions[i * t + q] = Math.max(0, abs - p);
      for (let k = 0; k < tk; k++) {
        const allowed = k <= abs && k >= p;
        // A padding query attends to itself only, so its row stays finite (its output is ignored).
        mask[(i * t + q) * tk + k] = allowed || (abs < p && k === abs) ? 0 : MASKED;
      }
    }
  }
  return { positions, mask };
}
