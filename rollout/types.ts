/** The policy-client interface: chat messages in; text, token ids and logprobs out. */
import type { Message } from '../core/types.js';

/** Sampling settings; unset fields use the client's defaults. */
export interface SamplingOptions {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
}

export interface CompletionRequest extends SamplingOptions {
  messages: Message[];
  /** Seeds the sampling where the backend supports it (vLLM and exitgym's server do). */
  seed?: number;
  /** Ask for per-token logprobs (and token ids where the backend returns them). */
  logprobs?: boolean;
}

export interface Completion {
  text: string;
  /** `stop` (natural end or a stop string), `length` (max tokens), or the backend's own word. */
  finishReason: string;
  /** Sampled token ids, when the backend returns them (exitgym's local client and server do). */
  tokenIds?: number[];
  /**
   * The stop string that ended the completion when `text` was cut before it (OpenAI servers strip
   * it; vLLM reports it as `stop_reason`). The episode runner appends it, so the env sees the
   * completion as sampled (vLLM's `include_stop_str_in_output`) and the trained ids describe the same text.
   */
  stopString?: string;
  /** Token ids of the prompt as the sampler fed them, when known (the in-process trainer's sampler). */
  promptIds?: number[];
  /** Per-token logprobs of the sampled tokens, when asked for and available. */
  logprobs?: number[];
  usage?: { promptTokens: number; completionTokens: number };
  /** The weights version that served it, when the server says (`exitgym serve-model` does). */
  weightsVersion?: number;
  /**
   * The sampling parameters the backend applied (its defaults filled in), when it reports them
   * (exitgym's serve-model and local client do; vLLM and hosted APIs do not).
   */
  effectiveSampling?: Record<string, number | string | null>;
}

/**
 * Anything that answers chat requests: an OpenAI-compatible endpoint, exitgym's local tfjs
 * policy, or a scripted policy in tests. Throws `ProviderError` for infrastructure failures;
 * whatever text comes back is data for the env to judge.
 */
export interface PolicyClient {
  /** Names the backend in logs and errors (e.g. the endpoint URL and model). */
  readonly id: string;
  complete(request: CompletionRequest): Promise<Completion>;
  /**
   * `n` samples of one request at once (one OpenAI request with `n`, one batch locally). Sample
   * `j` is seeded from the request seed, so the same request gives the same samples.
   */
  completeMany?(request: CompletionRequest, n: number): Promise<Completion[]>;
  close?(): Promise<void>;
}
