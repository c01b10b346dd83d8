/**
 * Turns `--model` into a policy client: an http(s) URL is an OpenAI-compatible endpoint; a folder
 * is a local checkpoint run by the tfjs policy (loaded lazily, so URL users never load
 * TensorFlow.js); an `owner/name` id is downloaded from the Hugging Face Hub into the cache first;
 * no `--model` means the default local model.
 */
import { existsSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_MODEL, ensureHubModel } from '../datasets/hub-model.js';
import { OpenAIPolicyClient } from '../rollout/openai-client.js';
import type { PolicyClient } from '../rollout/types.js';

export interface ResolvedModel {
  client: PolicyClient;
  /** What results record as the model. */
  label: string;
  /** Fails fast, with one line, when the model cannot answer at all. */
  preflight(): Promise<void>;
  close(): Promise<void>;
}

export interface ModelArgOptions {
  modelName?: string;
  apiKey?: string;
  concurrency?: number;
  timeoutMs?: number;
  /** Retries per call of an OpenAI-compatible endpoint (429, 5xx, timeouts). */
  maxRetries?: number;
  log?: (line: string) => void;
}

export async function resolveModel(model: string | undefined, opts: ModelArgOptions = {}): Promise<ResolvedModel> {
  if (model === undefined) {
    opts.log?.(`no --model given: using the default local model ${DEFAULT_MODEL} (downloaded once into the cache; pass --model URL|DIR to use another)`);
    model = DEFAULT_MODEL;
  }
  if (/^https?:\/\//.test(model)) {
    const client = new OpenAIPolicyClient({
      baseURL: model,
      ...(opts.modelName ? { model: opts.modelName } : {}),
      ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
    });
    return {
      client,
      get label() {
        return `${model}${opts.modelName ? `#${opts.modelName}` : ''}`;
      },
      preflight: async () => {
        await client.resolveModel();
      },
      close: async () => {},
    };
  }
  if (!existsSync(model)) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(model)) {
      throw new ConfigError(`--model "${model}" is neither an http(s) URL, an existing folder nor a Hugging Face id (owner/name).`);
    }
    let last = 0;
    model = await ensureHubModel(model, {
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < 2000 && p.received !== p.total) return;
        last = now;
        opts.log?.(`downloading ${p.file}: ${(p.received / 1e6).toFixed(1)}${p.total ? `/${(p.total / 1e6).toFixed(1)}` : ''} MB`);
      },
    });
  }
  const { loadPolicy } = await import('../trainer/policy/policy.js');
  const { LocalPolicyClient } = await import('../trainer/policy-client.js');
  const { readSamplingDefaults } = await import('../trainer/generation-defaults.js');
  const samplingDefaults = await readSamplingDefaults(model);
  const policy = await loadPolicy(model, { trainable: false, ...(opts.log ? { log: opts.log } : {}) });
  return {
    client: new LocalPolicyClient(policy, { name: model, samplingDefaults }),
    label: `local:${model}`,
    preflight: async () => {},
    close: async () => policy.dispose(),
  };
}
