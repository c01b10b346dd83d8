/**
 * Turns `--model` into a policy client: an http(s) URL is an OpenAI-compatible endpoint; anything
 * else is a local checkpoint folder run by the tfjs policy (loaded lazily, so URL users never load
 * TensorFlow.js).
 */
import { existsSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
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
  log?: (line: string) => void;
}

export async function resolveModel(model: string | undefined, opts: ModelArgOptions = {}): Promise<ResolvedModel> {
  if (model === undefined) {
    throw new ConfigError('no --model given: pass an OpenAI-compatible base URL (e.g. http://localhost:8000/v1) or a local checkpoint folder.');
  }
  if (/^https?:\/\//.test(model)) {
    const client = new OpenAIPolicyClient({
      baseURL: model,
      ...(opts.modelName ? { model: opts.modelName } : {}),
      ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
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
    throw new ConfigError(`--model "${model}" is neither an http(s) URL nor an existing folder; pass an OpenAI-compatible base URL or a checkpoint folder.`);
  }
  const { loadPolicy } = await import('../trainer/policy/policy.js');
  const { LocalPolicyClient } = await import('../trainer/policy-client.js');
  const policy = await loadPolicy(model, { trainable: false, ...(opts.log ? { log: opts.log } : {}) });
  return {
    client: new LocalPolicyClient(policy, { name: model }),
    label: `local:${model}`,
    preflight: async () => {},
    close: async () => policy.dispose(),
  };
}
