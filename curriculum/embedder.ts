/**
 * Text embedders for the diversity bonus and the task-diversity metrics, behind one interface.
 * The default needs nothing downloaded: hashed character n-grams (deterministic, ~µs per text).
 * `TransformersEmbedder` (transformers-embedder.ts) runs a real feature-extraction model.
 */
import { ConfigError } from '../core/errors.js';
import { diversityCoefficients, DIVERSITY_EPSILON } from './diversity.js';

/** Turns texts into fixed-size vectors; one embedder per group so vectors are comparable. */
export interface Embedder {
  /** A stable name for logs and metrics (e.g. `hashed-ngrams-512`). */
  readonly id: string;
  /** Vector length. */
  readonly dim: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface HashedNgramOptions {
  /** Buckets (vector length). Default 512. */
  dim?: number;
  /** Character n-gram sizes. Default [2, 3, 4]. */
  ngrams?: readonly number[];
}

/** FNV-1a over a string: the bucket hash; a second seed gives the sign. */
function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Bag of hashed character n-grams: lower-cased, whitespace collapsed, counts damped with
 * 1 + ln(tf), a ±1 sign hash so bucket collisions cancel on average instead of piling up
 * (feature hashing), L2-normalised. Texts sharing many substrings land close in cosine.
 *
 * @example
 * const [a, b] = await new HashedNgramEmbedder().embed(['x = 2', 'x = 3']);
 */
export class HashedNgramEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  private readonly ngrams: readonly number[];

  constructor(options: HashedNgramOptions = {}) {
    this.dim = options.dim ?? 512;
    this.ngrams = options.ngrams ?? [2, 3, 4];
    if (!Number.isInteger(this.dim) || this.dim < 1) throw new ConfigError(`HashedNgramEmbedder: dim must be an integer >= 1; got ${this.dim}.`);
    if (this.ngrams.length === 0 || !this.ngrams.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new ConfigError(`HashedNgramEmbedder: ngrams must be a non-empty list of integers >= 1; got ${JSON.stringify(this.ngrams)}.`);
    }
    this.id = `hashed-ngrams-${this.dim}`;
  }

  embedOne(text: string): Float32Array {
    const norm = ` ${text.toLowerCase().replace(/\s+/g, ' ').trim()} `;
    const counts = new Map<string, number>();
    for (const n of this.ngrams) {
      for (let i = 0; i + n <= norm.length; i++) {
        const g = norm.slice(i, i + n);
        counts.set(g, (counts.get(g) ?? 0) + 1);
      }
    }
    const v = new Float64Array(this.dim);
    for (const [g, tf] of counts) {
      const bucket = fnv1a(g, 0x811c9dc5) % this.dim;
      const sign = fnv1a(g, 0x9747b28c) & 1 ? 1 : -1;
      v[bucket] = (v[bucket] as number) + sign * (1 + Math.log(tf));
    }
    let sq = 0;
    for (const x of v) sq += x * x;
    const out = new Float32Array(this.dim);
    if (sq > 0) {
      const inv = 1 / Math.sqrt(sq);
      for (let k = 0; k < this.dim; k++) out[k] = (v[k] as number) * inv;
    }
    return out;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }
}

/**
 * The diversity coefficients d_i of one GRPO group's responses (paper Eq. 6), embedded with
 * `embedder`; multiply them into the group's advantages with `applyDiversityBonus`.
 *
 * @example
 * const d = await groupDiversity(new HashedNgramEmbedder(), completions);
 * const advantages = applyDiversityBonus(groupAdvantages(rewards), d);
 */
export async function groupDiversity(embedder: Embedder, texts: readonly string[], epsilon = DIVERSITY_EPSILON): Promise<number[]> {
  return diversityCoefficients(await embedder.embed(texts), epsilon);
}
