/**
 * Per-token log-probability and entropy from the decoder's last hidden states, computed through
 * the output head in chunks of tokens, forward and backward: at most `[chunk, V]` logits (and their
 * gradient) exist at once, never `[T, V]`. At a 150k vocabulary, 1,024 tokens of float32 logits
 * are 620 MB, and autodiff would keep them, their softmax and their gradient alive together; here
 * the backward pass recomputes each chunk's logits from the hidden states instead.
 */
import { tf } from '../backend.js';
import { ConfigError } from '../../core/errors.js';

/** Tokens per head chunk when the caller does not say (≈ 150 MB of logits at V = 152k). */
export const DEFAULT_HEAD_CHUNK = 256;

/** Float one-hot rows. (tfjs-backend-wasm 4.22's OneHot writes int32 bits when asked for float32.) */
function oneHotF32(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

/** Vocabulary rows per block when multiplying by the head in the backward pass. */
const VOCAB_BLOCK = 16384;

/**
 * `h · Wᵀ` `[m, V]`, computed as `(W · hᵀ)ᵀ` so the big head `W` `[V, d]` is never copied or
 * repacked: backends transpose or pack the second operand of a product (XNNPACK on wasm packs it,
 * a full copy), and here that is the small `hᵀ`.
 */
function headLogits(h: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(tf.matMul(w, h, false, true)) as tf.Tensor2D;
}

/** `dLogits · W` `[m, d]` in vocabulary blocks, so at most a block of `W` is copied (packed) at once. */
function headInputGrad(dLogits: tf.Tensor2D, w: tf.Tensor2D, block: number): tf.Tensor2D {
  const [m, v] = dLogits.shape;
  if (v <= block) return tf.matMul(dLogits, w);
  let acc: tf.Tensor2D | undefined;
  for (let s = 0; s < v; s += block) {
    const n = Math.min(block, v - s);
    const part = tf.tidy(() => tf.matMul(tf.slice(dLogits, [0, s], [m, n]), tf.slice(w, [s, 0], [n, w.shape[1]]))) as tf.Tensor2D;
    if (!acc) acc = part;
    else {
      const sum = tf.add<tf.Tensor2D>(acc, part);
      tf.dispose([acc, part]);
      acc = sum;
    }
  }
  return acc as tf.Tensor2D;
}

/** `log softmax(h·Wᵀ)[target]` and the entropy of `softmax(h·Wᵀ)`, for one chunk of rows. */
function chunkForward(h: tf.Tensor2D, w: tf.Tensor2D, targets: Int32Array): { logits: tf.Tensor2D; lse: tf.Tensor1D; stats: tf.Tensor2D } {
  const [m] = h.shape;
  const v = w.shape[0];
  const logits = headLogits(h, w);
  const lse = tf.logSumExp(logits, 1) as tf.Tensor1D;
  // Flat gather of each row's target logit (row i, column targets[i]).
  const flatIdx = new Int32Array(m);
  for (let i = 0; i < m; i++) flatIdx[i] = i * v + (targets[i] as number);
  const picked = tf.gather(tf.reshape(logits, [-1]), tf.tensor1d(flatIdx, 'int32'));
  const p = tf.exp(tf.sub(logits, tf.expandDims(lse, 1)));
  const entropy = tf.sub(lse, tf.sum(tf.mul(p, logits), 1));
  return { logits, lse, stats: tf.stack([tf.sub(picked, lse), entropy], 1) as tf.Tensor2D };
}

/**
 * `[N, 2]`: column 0 the log-probability of `targets[i]` under `softmax(hidden[i]·headᵀ)`,
 * column 1 that distribution's entropy. Differentiable in `hidden` and `head` (both columns),
 * with the backward pass also chunked.
 *
 * @param hidden `[N, d]` final hidden states (after the last norm).
 * @param head `[V, d]` output head (the embedding when tied).
 * @param targets N token ids in `[0, V)`.
 * @param chunk rows per chunk.
 * @param vocabBlock head rows per product in the backward pass.
 */
export function headTokenStats(hidden: tf.Tensor2D, head: tf.Tensor2D, targets: Int32Array, chunk = DEFAULT_HEAD_CHUNK, vocabBlock = VOCAB_BLOCK): tf.Tensor2D {
  const [n, d] = hidden.shape;
  const v = head.shape[0];
  if (targets.length !== n) throw new ConfigError(`headTokenStats: ${n} hidden rows but ${targets.length} targets; give one target per row.`);
  if (!Number.isInteger(chunk) || chunk < 1) throw new ConfigError(`headTokenStats: chunk must be a positive integer; got ${chunk}.`);
  for (const t of targets) if (t < 0 || t >= v) throw new ConfigError(`headTokenStats: target id ${t} is outside the vocabulary [0, ${v}).`);
  if (n === 0) return tf.zeros([0, 2]);
  const spans: [number, number][] = [];
  for (let s = 0; s < n; s += chunk) spans.push([s, Math.min(chunk, n - s)]);
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [h, w, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([h, w]);
    const parts = spans.map(([s, m]) => tf.tidy(() => chunkForward(tf.slice(h as tf.Tensor2D, [s, 0], [m, d]), w as tf.Tensor2D, targets.subarray(s, s + m)).stats));
    const value = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
    if (parts.length > 1) tf.dispose(parts);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [hs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dhParts: tf.Tensor[] = [];
        let dw: tf.Tensor | undefined;
        for (const [s, m] of spans) {
          const [dh, dwc] = tf.tidy(() => {
            const hc = tf.slice(hs, [s, 0], [m, d]);
            const tg = targets.subarray(s, s + m);
            const { logits, lse, stats } = chunkForward(hc, ws, tg);
            const g = tf.slice(dy as tf.Tensor2D, [s, 0], [m, 2]);
            const gLp = tf.slice(g, [0, 0], [m, 1]);
            const gH = tf.slice(g, [0, 1], [m, 1]);
            const logp = tf.sub(logits, tf.expandDims(lse, 1));
            const p = tf.exp(logp);
            const ent = tf.slice(stats, [0, 1], [m, 1]);
            // d logp[y]/d logits = onehot(y) − p;  d H/d logits = −p·(log p + H).
            const perRow = tf.add(gLp, tf.mul(gH, tf.add(logp, ent)));
            const dLogits = tf.add<tf.Tensor2D>(tf.neg(tf.mul(p, perRow)), tf.mul(oneHotF32(tf.tensor1d(tg, 'int32'), v), gLp));
            return [headInputGrad(dLogits, ws, vocabBlock), tf.matMul(dLogits, hc, true, false)];
          });
          dhParts.push(dh as tf.Tensor);
          if (!dw) dw = dwc;
          else {
            const sum = tf.add(dw, dwc as tf.Tensor);
            tf.dispose([dw, dwc as tf.Tensor]);
            dw = sum;
          }
        }
        const dhAll = dhParts.length === 1 ? (dhParts[0] as tf.Tensor) : tf.concat(dhParts, 0);
        if (dhParts.length > 1) tf.dispose(dhParts);
        return [dhAll, dw as tf.Tensor];
      },
    };
  });
  return op(hidden, head) as tf.Tensor2D;
}
