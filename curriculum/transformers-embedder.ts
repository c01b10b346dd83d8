/**
 * A real embedding model through @huggingface/transformers' `feature-extraction` pipeline
 * (ONNX Runtime on CPU): a BERT-style encoder, mean-pooled and L2-normalised, like the paper's
 * math BERT and CodeXEmbed. The library is imported on first load, so the curriculum costs
 * nothing when the default embedder is used.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, describeError } from '../core/errors.js';
import type { Embedder } from './embedder.js';

export interface TransformersEmbedderOptions {
  /** A local model folder (config.json, tokenizer.json, onnx/model.onnx) or a Hub id such as `Xenova/all-MiniLM-L6-v2`. */
  model: string;
  /**
   * Allow downloads from the Hub for a Hub id. Default false: exitgym never reaches the network
   * unless asked (CI and clusters are often offline).
   */
  allowRemote?: boolean;
  /** `mean` (default) or `cls` pooling. */
  pooling?: 'mean' | 'cls';
  /** Texts per forward pass. Default 16. */
  batchSize?: number;
}

type Extractor = ((texts: string[], opts: { pooling: 'mean' | 'cls'; normalize: boolean }) => Promise<{ data: ArrayLike<number>; dims: number[] }>) & {
  dispose?: () => Promise<void>;
};

/**
 * @example
 * const embedder = await TransformersEmbedder.load({ model: '/models/math-bert' });
 * const vectors = await embedder.embed(['\\frac{1}{2}', '0.5']);
 * await embedder.dispose();
 */
export class TransformersEmbedder implements Embedder {
  private constructor(
    readonly id: string,
    readonly dim: number,
    private readonly extractor: Extractor,
    private readonly pooling: 'mean' | 'cls',
    private readonly batchSize: number,
  ) {}

  static async load(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const pooling = options.pooling ?? 'mean';
    const batchSize = options.batchSize ?? 16;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError(`TransformersEmbedder: batchSize must be an integer >= 1; got ${batchSize}.`);
    const looksLocal = isAbsolute(options.model) || options.model.startsWith('.') || existsSync(options.model);
    const model = looksLocal ? resolve(options.model) : options.model;
    if (looksLocal && !existsSync(model)) {
      throw new ConfigError(`TransformersEmbedder: model folder ${model} does not exist; pass a folder with config.json, tokenizer.json and onnx/model.onnx, or a Hub id with allowRemote: true.`);
    }
    if (!looksLocal && !options.allowRemote) {
      throw new ConfigError(`TransformersEmbedder: "${options.model}" is not a local folder and allowRemote is false; download the model to a folder first, or pass allowRemote: true to fetch it from the Hub.`);
    }
    const transformers = await import('@huggingface/transformers');
    transformers.env.allowRemoteModels = Boolean(options.allowRemote);
    let extractor: Extractor;
    try {
      extractor = (await transformers.pipeline('feature-extraction', model)) as unknown as Extractor;
    } catch (e) {
      throw new ConfigError(`TransformersEmbedder: could not load feature-extraction model "${model}": ${describeError(e)}. It needs config.json, tokenizer.json (+ tokenizer_config.json) and onnx/model.onnx.`, { cause: e });
    }
    const probe = await extractor(['probe'], { pooling, normalize: true });
    const dim = probe.dims[probe.dims.length - 1] as number;
    return new TransformersEmbedder(`transformers:${options.model}`, dim, extractor, pooling, batchSize);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const t = await this.extractor(batch, { pooling: this.pooling, normalize: true });
      for (let b = 0; b < batch.length; b++) {
        const v = new Float32Array(this.dim);
        for (let k = 0; k < this.dim; k++) v[k] = t.data[b * this.dim + k] as number;
        out.push(v);
      }
    }
    return out;
  }

  /** Frees the ONNX session. */
  async dispose(): Promise<void> {
    await this.extractor.dispose?.();
  }
}
