/**
 * The recurrent-task interface. An env is a task family whose episodes can start either from a
 * base task or from a partial history (an earlier answer becomes the starting point of a new task).
 */
import type { Message, StartState, Turn } from '../core/types.js';

export type { Message, Role, Iterate, IterateKind, Turn, StartState, StartMode, Trace } from '../core/types.js';

/** The domain families exitgym ships; user-registered envs may use their own names. */
export type Domain = 'math' | 'bfcl' | 'mlebench' | (string & {});

/**
 * How `exitgym eval` runs a chain on an env: `self-improve` (an initial answer, then K improve
 * steps per turn; math, BFCL) or `greedy` (greedy search over N steps, improving the best
 * solution or debugging the latest; MLE-bench, SPEC.md §7).
 */
export type EvalScaffold = 'self-improve' | 'greedy';

/**
 * The number `exitgym eval` reports first for an env: `accuracy` (share of answers at full
 * quality; verified domains such as math and BFCL) or `score` (mean normalised quality; graded
 * domains such as MLE-bench, where full quality is rare and accuracy would sit near 0).
 */
export type EvalMetric = 'accuracy' | 'score';

/** Limits that end an episode with `truncated: true`. */
export interface Budgets {
  /** Assistant calls (steps) per episode. */
  maxSteps: number;
  /** Wall-clock seconds per episode, measured from reset; absent = no limit. */
  maxSeconds?: number;
}

/** Static description of an env: what it is and what to expect from its numbers. */
export interface EnvSpec {
  /** Registry id, e.g. `math`, `bfcl`, `mlebench-spooky-author-identification`. */
  id: string;
  domain: Domain;
  /** The range of `info.quality` (always [0, 1] for exitgym's envs; quality is normalised). */
  qualityRange: [number, number];
  /** The range of `StepResult.reward`. */
  rewardRange: [number, number];
  budgets: Budgets;
  /**
   * Stop strings the policy should sample with (e.g. BFCL's `</tool>`). Servers strip the matched
   * stop string; envs must accept actions with or without it.
   */
  stop?: string[];
  /** One line for `exitgym envs list`. */
  description?: string;
}

/** What `reset` returns. */
export interface ResetResult {
  /** The messages the policy sees first (the task, or the improve/diverge prompt). */
  observation: Message[];
  info: Record<string, unknown>;
}

/** What `step` returns (Gymnasium's 5-tuple as an object). */
export interface StepResult {
  /** Messages to append for the policy's next call (tool results, the next user request). */
  observation: Message[];
  /** See DESIGN.md "Rewards": q for base/diverge steps, the domain's improve reward otherwise. */
  reward: number;
  /** The task ended inside the task (finished, answered, failed for good). */
  terminated: boolean;
  /** Cut off from outside the task by a budget (steps, time). */
  truncated: boolean;
  info: StepInfo;
}

/** `StepResult.info`: fixed fields plus domain extras. */
export interface StepInfo {
  /** Normalised quality of the episode, set when it is known (usually at the end). */
  quality?: number;
  /** Words for the model about what happened. */
  feedback?: string;
  /** Set when the action was bad output (unparsable, invalid call, crashing code). */
  error?: string;
  /** Index of the user turn this step belonged to. */
  turn: number;
  [key: string]: unknown;
}

/** Options every env's `reset` accepts. */
export interface ResetOptions {
  /** Seeds the episode's randomness; the same start and seed give the same episode. */
  seed?: number;
}

/**
 * A task family behind the recurrent-task interface.
 *
 * Call order: `reset(start)` → `step(action)` until `terminated || truncated` → `trace()` →
 * `reset(...)` again or `close()`. `step` before `reset` throws `ResetNeededError`; `step` after
 * the episode ended throws `EpisodeEndedError`. Bad model output never throws.
 */
export interface RecurrentEnv {
  readonly spec: EnvSpec;
  /**
   * Starts an episode from a base task (`turns: []`, mode `base`) or rebuilds the exact world
   * state at the start of the iterated turn of a partial history (mode `improve`/`diverge`).
   */
  reset(start: StartState, opts?: ResetOptions): Promise<ResetResult>;
  /** `action` is the assistant's text for this call. */
  step(action: string): Promise<StepResult>;
  /** The full history so far: the start state's turns plus this episode's iterates. */
  trace(): Turn[];
  close(): Promise<void>;
}
