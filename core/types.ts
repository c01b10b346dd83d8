/**
 * Shared value types. Everything here is plain JSON so start states, traces and buffer entries
 * can be hashed, checkpointed and sent over HTTP as they are.
 */

/** Who wrote a message. `tool` carries a tool's result back to the policy. */
export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** One chat message. */
export interface Message {
  role: Role;
  content: string;
  /** Links a `tool` message to the call it answers, where the domain has call ids. */
  toolCallId?: string;
}

/** How an iterate came about: the first answer of a turn, or a self-iteration step on it. */
export type IterateKind = 'initial' | 'improve' | 'diverge';

/** One attempt at one turn, with what the env made of it. */
export interface Iterate {
  /** The messages of the attempt: assistant messages and the tool results between them. */
  response: Message[];
  /**
   * Quality in [0, 1] of the completed episode this iterate belongs to (the paper's G of the
   * complete history); this is what the buffer's learnability is computed from.
   */
  quality: number;
  /** What the env said about the attempt (verifier verdict, error trace, grader message). */
  feedback?: string;
  kind: IterateKind;
}

/** A turn: what the user/env said, then the attempts; the last iterate is the one that counts. */
export interface Turn {
  input: Message[];
  iterates: Iterate[];
}

/** What an episode does with its start state. */
export type StartMode = 'base' | 'improve' | 'diverge';

/**
 * A start state: a base task, or a partial history to iterate on (an ExIt task instance).
 * `turns: []` with `mode: 'base'` is the plain task.
 */
export interface StartState {
  /** The base task's id in its env's task set. */
  taskId: string;
  /** Partial history; the last turn's last iterate is the one the next step acts on. */
  turns: Turn[];
  mode: StartMode;
  /** Self-iteration steps already taken on the last turn (0 for a base task). */
  depth: number;
}

/** The full history of an episode, as `RecurrentEnv.trace()` returns it. */
export type Trace = Turn[];

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
