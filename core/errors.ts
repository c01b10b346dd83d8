/**
 * The error vocabulary. Only programmer, configuration and infrastructure errors throw; bad model
 * output is data (reward 0 with feedback). Every message says what was wrong, where, and what to do.
 */

/** Stable, machine-readable error codes (also used by the HTTP server and the CLI). */
export type ErrorCode =
  | 'config'
  | 'unknown_id'
  | 'reset_needed'
  | 'episode_ended'
  | 'validation'
  | 'dataset_missing'
  | 'download'
  | 'sandbox'
  | 'provider'
  | 'timeout'
  | 'env_check'
  | 'io'
  | 'internal';

export class ExitgymError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A bad option or config value; the message names the field, the value and what is accepted. */
export class ConfigError extends ExitgymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

/** An id (env, dataset, competition, strategy) that is not known; the message lists the known ones. */
export class UnknownIdError extends ExitgymError {
  readonly id: string;
  readonly known: readonly string[];
  constructor(kind: string, id: string, known: readonly string[], suggestion?: string) {
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
    super('unknown_id', `unknown ${kind} "${id}".${hint} Known ${kind}s: ${known.join(', ')}.`);
    this.id = id;
    this.known = known;
  }
}

/** `step` was called before `reset`. */
export class ResetNeededError extends ExitgymError {
  constructor(envId: string) {
    super('reset_needed', `${envId}: step() called before reset(); call reset(start) first to begin an episode.`);
  }
}

/** `step` was called after the episode terminated or was truncated. */
export class EpisodeEndedError extends ExitgymError {
  constructor(envId: string) {
    super(
      'episode_ended',
      `${envId}: step() called after the episode ended (terminated or truncated); call reset(start) to begin a new one.`,
    );
  }
}

/** A value crossing a boundary (file row, CLI flag, HTTP body, start state) failed its schema. */
export class ValidationError extends ExitgymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('validation', message, options);
  }
}

/** Benchmark data that is neither in EXITGYM_DATA_DIR nor in the cache. */
export class DatasetMissingError extends ExitgymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('dataset_missing', message, options);
  }
}

/** A sandbox could not be started or managed (not: the user's code failed, which is data). */
export class SandboxError extends ExitgymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('sandbox', message, options);
  }
}

/** Why a model endpoint failed; `unreachable`, `auth`, `not_found` and `garbage` end a run. */
export type ProviderFailure = 'unreachable' | 'auth' | 'not_found' | 'timeout' | 'rate_limit' | 'server' | 'bad_request' | 'garbage';

/** A model endpoint failed (unreachable, auth, timeout, garbage). Never scored as a wrong answer. */
export class ProviderError extends ExitgymError {
  readonly failure: ProviderFailure;
  constructor(message: string, options?: { cause?: unknown; failure?: ProviderFailure }) {
    super('provider', message, options);
    this.failure = options?.failure ?? 'server';
  }

  /** Failures that will repeat on every call, so a run should stop instead of recording them. */
  get fatal(): boolean {
    return this.failure === 'unreachable' || this.failure === 'auth' || this.failure === 'not_found' || this.failure === 'garbage';
  }
}

/** A failed conformance check; the message names the check and says expected vs found. */
export class EnvCheckError extends ExitgymError {
  readonly check: string;
  constructor(check: string, message: string, options?: { cause?: unknown }) {
    super('env_check', `checkEnv [${check}]: ${message}`, options);
    this.check = check;
  }
}

/** One-line description of any thrown value, for logs and feedback. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
