/**
 * The tfjs decoder against a plain-number reference written from transformers'
 * `modeling_llama.py` / `modeling_qwen2.py` / `modeling_qwen3.py` and `modeling_rope_utils.py`
 * (RMSNorm, rotate-half RoPE with the default and llama3 frequencies, `repeat_kv` grouping of
 * query heads, Qwen3's per-head q/k norm, SwiGLU, tied or untied head). The reference shares no
 * code with `model.ts` or `config.ts`: it is given θ and the scaling by the test, not parsed from
 * config.json, so a config key the parser misses shows up as a logit mismatch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel, type TinyModelOptions } from '../../testing/tiny-model.js';
import { tf } from '../backend.js';
import { loadSafetensorsDir, type TensorMap } from '../safetensors.js';
import { causalInputs } from './model.js';
import { loadPolicy, type Policy } from './policy.js';

interface RefShape {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  layers: number;
  eps: number;
  theta: number;
  /** transformers' `_compute_llama3_parameters` inputs, or a linear factor. */
  llama3?: { factor: number; low: number; high: number; original: number };
  linear?: number;
  qkvBias: boolean;
  qkNorm: boolean;
  tied: boolean;
}

function w(t: TensorMap, name: string): Float32Array {
  const x = t.get(name);
  assert.ok(x, `reference: tensor ${name} missing`);
  return x.data;
}

/** y = W x (+ b) for an HF weight `[out, in]`. */
function lin(W: Float32Array, x: Float64Array, out: number, b?: Float32Array): Float64Array {
  const n = x.length;
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = b ? (b[o] as number) : 0;
    for (let i = 0; i < n; i++) s += (W[o * n + i] as number) * (x[i] as number);
    y[o] = s;
  }
  return y;
}

/** `weight * x / sqrt(mean(x²) + eps)`. */
function rms(x: Float64Array, weight: Float32Array, eps: number): Float64Array {
  let ms = 0;
  for (const v of x) ms += v * v;
  const r = 1 / Math.sqrt(ms / x.length + eps);
  return x.map((v, i) => v * r * (weight[i] as number));
}

/** `inv_freq` as `_compute_default_rope_parameters`, then `_compute_llama3_parameters` / linear. */
function invFreq(s: RefShape): number[] {
  const dim = s.headDim;
  let inv = Array.from({ length: dim / 2 }, (_, k) => 1 / s.theta ** ((2 * k) / dim));
  if (s.linear) inv = inv.map((f) => f / (s.linear as number));
  if (s.llama3) {
    const { factor, low, high, original } = s.llama3;
    const lowWavelen = original / low;
    const highWavelen = original / high;
    inv = inv.map((f) => {
      const wavelen = (2 * Math.PI) / f;
      const llama = wavelen > lowWavelen ? f / factor : f;
      const smooth = (original / wavelen - low) / (high - low);
      const medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
      return medium ? ((1 - smooth) * llama) / factor + smooth * llama : llama;
    });
  }
  return inv;
}

/** `q * cos + rotate_half(q) * sin` for one head vector at position `pos`. */
function rope(x: Float64Array, pos: number, inv: number[]): Float64Array {
  const half = x.length / 2;
  const out = new Float64Array(x.length);
  for (let i = 0; i < half; i++) {
    const a = pos * (inv[i] as number);
    const c = Math.cos(a);
    const sn = Math.sin(a);
    out[i] = (x[i] as number) * c - (x[i + half] as number) * sn;
    out[i + half] = (x[i + half] as number) * c + (x[i] as number) * sn;
  }
  return out;
}

/** Logits `[T][V]` of one unpadded sequence (positions 0..T-1), in float64 loops. */
function referenceLogits(t: TensorMap, s: RefShape, ids: readonly number[]): Float64Array[] {
  const { hidden: d, heads: h, kvHeads: kv, headDim: hd } = s;
  const E = w(t, 'model.embed_tokens.weight');
  const vocab = E.length / d;
  const inv = invFreq(s);
  const T = ids.length;
  let x: Float64Array[] = ids.map((id) => Float64Array.from(E.subarray(id * d, id * d + d)));
  const head = (v: Float64Array, j: number): Float64Array => v.slice(j * hd, j * hd + hd);
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}`;
    const bias = (n: string): Float32Array | undefined => (s.qkvBias ? w(t, `${p}.self_attn.${n}.bias`) : undefined);
    const qs: Float64Array[][] = [];
    const ks: Float64Array[][] = [];
    const vs: Float64Array[][] = [];
    for (let i = 0; i < T; i++) {
      const hIn = rms(x[i] as Float64Array, w(t, `${p}.input_layernorm.weight`), s.eps);
      const q = lin(w(t, `${p}.self_attn.q_proj.weight`), hIn, h * hd, bias('q_proj'));
      const k = lin(w(t, `${p}.self_attn.k_proj.weight`), hIn, kv * hd, bias('k_proj'));
      const v = lin(w(t, `${p}.self_attn.v_proj.weight`), hIn, kv * hd, bias('v_proj'));
      const norm = (vec: Float64Array, which: string): Float64Array => (s.qkNorm ? rms(vec, w(t, `${p}.self_attn.${which}.weight`), s.eps) : vec);
      qs.push(Array.from({ length: h }, (_, j) => rope(norm(head(q, j), 'q_norm'), i, inv)));
      ks.push(Array.from({ length: kv }, (_, j) => rope(norm(head(k, j), 'k_norm'), i, inv)));
      vs.push(Array.from({ length: kv }, (_, j) => head(v, j)));
    }
    const next: Float64Array[] = [];
    for (let i = 0; i < T; i++) {
      const ctx = new Float64Array(h * hd);
      for (let j = 0; j < h; j++) {
        // repeat_kv: query head j reads key/value head floor(j / (h / kv)).
        const g = Math.floor(j / (h / kv));
        const q = qs[i]?.[j] as Float64Array;
        const scores = Array.from({ length: i + 1 }, (_, k2) => {
          const key = ks[k2]?.[g] as Float64Array;
          let dot = 0;
          for (let e = 0; e < hd; e++) dot += (q[e] as number) * (key[e] as number);
          return dot / Math.sqrt(hd);
        });
        const m = Math.max(...scores);
        const ex = scores.map((z) => Math.exp(z - m));
        const z = ex.reduce((a, b) => a + b, 0);
        ex.forEach((e, k2) => {
          const val = vs[k2]?.[g] as Float64Array;
          for (let c = 0; c < hd; c++) ctx[j * hd + c] = (ctx[j * hd + c] as number) + (e / z) * (val[c] as number);
        });
      }
      const attn = lin(w(t, `${p}.self_attn.o_proj.weight`), ctx, d);
      const mid = (x[i] as Float64Array).map((v, c) => v + (attn[c] as number));
      const hMid = rms(mid, w(t, `${p}.post_attention_layernorm.weight`), s.eps);
      const inter = w(t, `${p}.mlp.up_proj.weight`).length / d;
      const gate = lin(w(t, `${p}.mlp.gate_proj.weight`), hMid, inter);
      const up = lin(w(t, `${p}.mlp.up_proj.weight`), hMid, inter);
      const act = gate.map((g, c) => (g / (1 + Math.exp(-g))) * (up[c] as number));
      const down = lin(w(t, `${p}.mlp.down_proj.weight`), act, d);
      next.push(mid.map((v, c) => v + (down[c] as number)));
    }
    x = next;
  }
  const headW = s.tied ? E : w(t, 'lm_head.weight');
  return x.map((xi) => lin(headW, rms(xi, w(t, 'model.norm.weight'), s.eps), vocab));
}

/** tfjs logits `[B][T][V]` of a left-padded batch, through the same forward as scoring/generation. */
function policyLogits(p: Policy, rows: readonly (readonly number[])[], padId = 0): { logits: Float32Array; t: number; pad: number[] } {
  const t = Math.max(...rows.map((r) => r.length));
  const pad = rows.map((r) => t - r.length);
  const flat = new Int32Array(rows.length * t).fill(padId);
  rows.forEach((r, i) => flat.set(r, i * t + (pad[i] as number)));
  const inp = causalInputs(pad, 0, t);
  const b = rows.length;
  const logits = tf.tidy(() =>
    p.forward({ ids: tf.tensor2d(flat, [b, t], 'int32'), positions: tf.tensor2d(inp.positions, [b, t], 'int32'), mask: tf.tensor4d(inp.mask, [b, 1, t, t]) }).logits,
  );
  const data = logits.dataSync() as Float32Array;
  logits.dispose();
  return { logits: data, t, pad };
}

const ROWS = [
  [269, 117, 260, 32, 99, 97, 116, 270, 10, 104, 101, 108, 108, 111],
  [116, 263, 115, 10],
  [97, 98, 99, 100, 101, 102, 103],
];

const cases: { name: string; opts: TinyModelOptions; shape: Omit<RefShape, 'hidden' | 'layers' | 'eps'> }[] = [
  {
    name: 'qwen2: q/k/v biases, tied head, 4 query heads on 2 KV heads',
    opts: { modelType: 'qwen2', seed: 21, numHeads: 4, numKvHeads: 2 },
    shape: { heads: 4, kvHeads: 2, headDim: 8, theta: 10000, qkvBias: true, qkNorm: false, tied: true },
  },
  {
    name: 'llama: untied head, θ = 500000, llama3 scaling with all three frequency bands, 4 heads on 1 KV head',
    opts: {
      modelType: 'llama',
      seed: 22,
      numHeads: 4,
      numKvHeads: 1,
      tieWordEmbeddings: false,
      ropeTheta: 500000,
      // headDim 8 at θ 5e5: wavelengths 6.3, 167 (kept), 4443 (smoothed), 118k (÷ factor).
      ropeScaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 },
      extraConfig: { max_position_embeddings: 131072 },
    },
    shape: { heads: 4, kvHeads: 1, headDim: 8, theta: 500000, llama3: { factor: 8, low: 1, high: 4, original: 8192 }, qkvBias: false, qkNorm: false, tied: false },
  },
  {
    name: 'qwen3: per-head q/k norm, head_dim 16 ≠ hidden/heads, transformers v5 rope_parameters (θ 1e6, linear ×2)',
    opts: {
      modelType: 'qwen3',
      seed: 23,
      numHeads: 4,
      numKvHeads: 2,
      headDim: 16,
      extraConfig: { rope_theta: undefined, rope_scaling: undefined, rope_parameters: { rope_type: 'linear', factor: 2, rope_theta: 1000000 } },
    },
    shape: { heads: 4, kvHeads: 2, headDim: 16, theta: 1000000, linear: 2, qkvBias: false, qkNorm: true, tied: true },
  },
];

for (const c of cases) {
  test(`tfjs forward equals the plain-number transformers reference: ${c.name}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exitgym-ref-'));
    await writeTinyModel(dir, { embedStd: 0.5, ...c.opts });
    const policy = await loadPolicy(dir, { backend: 'wasm', trainable: false, log: () => {} });
    const tensors = await loadSafetensorsDir(dir);
    const shape: RefShape = { ...c.shape, hidden: 32, layers: 2, eps: 1e-6 };
    try {
      const { logits, t, pad } = policyLogits(policy, ROWS);
      const V = policy.config.vocabSize;
      let worst = 0;
      let scale = 0;
      ROWS.forEach((row, b) => {
        const ref = referenceLogits(tensors, shape, row);
        ref.forEach((r, i) => {
          const base = (b * t + (pad[b] as number) + i) * V;
          for (let v = 0; v < V; v++) {
            worst = Math.max(worst, Math.abs((logits[base + v] as number) - (r[v] as number)));
            scale = Math.max(scale, Math.abs(r[v] as number));
          }
        });
      });
      assert.ok(scale > 1, `logits should be O(1) or larger to be a meaningful check; max |logit| ${scale}`);
      assert.ok(worst < 2e-5 * scale + 2e-5, `max |tfjs − reference| = ${worst} (max |logit| ${scale})`);
    } finally {
      policy.dispose();
    }
  });
}

test('the reference catches a wrong θ: same weights, θ read as the default 10000', async () => {
  // Guards the check above: if θ did not matter at these positions, a parser ignoring
  // rope_parameters would pass unnoticed.
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-ref-'));
  const c = cases[2] as (typeof cases)[number];
  await writeTinyModel(dir, { embedStd: 0.5, ...c.opts });
  const tensors = await loadSafetensorsDir(dir);
  const shape: RefShape = { ...c.shape, hidden: 32, layers: 2, eps: 1e-6 };
  const row = ROWS[0] as number[];
  const right = referenceLogits(tensors, shape, row);
  const wrong = referenceLogits(tensors, { ...shape, theta: 10000 }, row);
  const diff = Math.max(...right.flatMap((r, i) => Array.from(r, (x, v) => Math.abs(x - (wrong[i]?.[v] as number)))));
  assert.ok(diff > 1e-2, `θ should change the logits; max difference ${diff}`);
});
