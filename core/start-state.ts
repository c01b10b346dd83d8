/**
 * Start states and histories: their constructors, their JSON schemas and the small readings every
 * layer needs (the latest iterate, the previous answer as text, the iterate kind a mode makes).
 * One home, next to the types in `types.ts`, so the envs, the curriculum, the eval and the server
 * build and read them the same way.
 */
import type { Schema } from 'ajv';
import { ValidationError } from './errors.js';
import { validate } from './schema.js';
import type { Iterate, IterateKind, Message, StartMode, StartState, Turn } from './types.js';

/**
 * A task's history without a plan for the next step: what the ExIt buffer stores. The mode of a
 * replay is drawn at selection time and its depth follows from the turns, so neither is part of a
 * history (and neither is hashed into its key). `turns: []` is the base task itself.
 */
export interface History {
  taskId: string;
  turns: Turn[];
}

/** The two self-iteration modes. */
export type IterationMode = Exclude<StartMode, 'base'>;

const messageSchema = {
  type: 'object',
  required: ['role', 'content'],
  properties: {
    role: { enum: ['system', 'user', 'assistant', 'tool'] },
    content: { type: 'string' },
    toolCallId: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const iterateSchema = {
  type: 'object',
  required: ['response', 'quality', 'kind'],
  properties: {
    response: { type: 'array', items: messageSchema },
    quality: { type: 'number', minimum: 0, maximum: 1 },
    feedback: { type: 'string' },
    kind: { enum: ['initial', 'improve', 'diverge'] },
  },
  additionalProperties: false,
} as const;

/** JSON schema of a `Turn`. */
export const turnSchema = {
  type: 'object',
  required: ['input', 'iterates'],
  properties: {
    input: { type: 'array', items: messageSchema },
    iterates: { type: 'array', items: iterateSchema },
  },
  additionalProperties: false,
} as const;

/** JSON schema of `StartState` (also served to HTTP clients). */
export const startStateSchema: Schema = {
  type: 'object',
  required: ['taskId', 'turns', 'mode', 'depth'],
  properties: {
    taskId: { type: 'string', minLength: 1 },
    turns: { type: 'array', items: turnSchema },
    mode: { enum: ['base', 'improve', 'diverge'] },
    depth: { type: 'integer', minimum: 0 },
  },
  additionalProperties: false,
};

/** JSON schema of `History` (buffer entries in checkpoints). */
export const historySchema: Schema = {
  type: 'object',
  required: ['taskId', 'turns'],
  properties: {
    taskId: { type: 'string', minLength: 1 },
    turns: { type: 'array', items: turnSchema },
  },
  additionalProperties: false,
};

/** A base start state: the plain task. */
export function baseStart(taskId: string): StartState {
  return { taskId, turns: [], mode: 'base', depth: 0 };
}

/**
 * A base start after a history: the env replays every turn of it and the episode goes on after
 * the last one (what the K-step eval of a multi-turn task uses between turns).
 */
export function continueStart(history: History): StartState {
  return { taskId: history.taskId, turns: history.turns, mode: 'base', depth: 0 };
}

/**
 * An iterate-on-history start: the next step improves (or diverges from) the latest iterate of
 * the history's last turn. `depth` defaults to the self-iteration steps already taken on that
 * turn (its iterates − 1); callers with their own count (a search's step) pass it.
 */
export function iterateStart(mode: IterationMode, history: History, depth = historyDepth(history)): StartState {
  return { taskId: history.taskId, turns: history.turns, mode, depth };
}

/** `iterateStart('improve', …)`: improve the latest iterate of the history's last turn. */
export function improveStart(history: History, depth?: number): StartState {
  return iterateStart('improve', history, depth);
}

/** `iterateStart('diverge', …)`: answer the history's last turn with a different approach. */
export function divergeStart(history: History, depth?: number): StartState {
  return iterateStart('diverge', history, depth);
}

/** The history a start state acts on (shares its turns; copy before changing them). */
export function historyOf(start: StartState): History {
  return { taskId: start.taskId, turns: start.turns };
}

/** Self-iteration steps already taken on a history's last turn (0 for none or one iterate). */
export function historyDepth(history: History): number {
  const last = history.turns[history.turns.length - 1];
  return last ? Math.max(0, last.iterates.length - 1) : 0;
}

/** The last turn of a history or start state, if any. */
export function lastTurn(history: { turns: readonly Turn[] }): Turn | undefined {
  return history.turns[history.turns.length - 1];
}

const isTurnList = (x: unknown): x is readonly Turn[] => Array.isArray(x);

/**
 * The iterate that counts on a turn (its last), or on a history, start state or trace (the last
 * turn's last).
 */
export function latestIterate(of: Turn | readonly Turn[] | { turns: readonly Turn[] } | undefined): Iterate | undefined {
  if (!of) return undefined;
  const turn: Turn | undefined = isTurnList(of) ? of[of.length - 1] : 'iterates' in of ? of : lastTurn(of);
  return turn?.iterates[turn.iterates.length - 1];
}

/** The iterate kind a step in this mode produces: a base step gives the turn's initial answer. */
export function iterateKind(mode: StartMode): IterateKind {
  return mode === 'base' ? 'initial' : mode;
}

/**
 * Which messages of an attempt make up "the previous answer" as text, chosen per domain:
 * - `assistant`: the assistant messages only, joined by a blank line. Math (the answer is the
 *   model's text; there are no tool results) and MLE-bench (the solution is the code the model
 *   wrote; the run's output goes to the debug prompt as the error trace, not into the answer).
 * - `transcript`: every message of the attempt, joined by a blank line. BFCL, where an attempt is
 *   a call and the tool result it produced: improving a call needs what the call did. The K-step
 *   eval's `response` field uses it too, so a reader sees the whole attempt.
 */
export type AnswerView = 'assistant' | 'transcript';

/** An attempt's messages as one text, in the given view (see `AnswerView`). */
export function answerText(response: readonly Message[], view: AnswerView): string {
  const shown = view === 'assistant' ? response.filter((m) => m.role === 'assistant') : response;
  return shown.map((m) => m.content).join('\n\n');
}

const preview = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);

/**
 * Refuses a start state whose history was recorded on another task (graded against the wrong gold,
 * or replayed inside the wrong world). `belongs` decides from the first turn's input, which every
 * domain fills with the task's own request; `expected` is that request, for the message. A start
 * with no turns passes.
 *
 * @example
 * checkHistoryTask('math', start, (input) => input.some((m) => m.content === prompt), prompt);
 */
export function checkHistoryTask(where: string, start: StartState, belongs: (firstInput: readonly Message[]) => boolean, expected: string): void {
  const first = start.turns[0];
  if (!first || belongs(first.input)) return;
  const asked = first.input.find((m) => m.role === 'user')?.content;
  throw new ValidationError(
    `${where}: the start state's history does not belong to task "${start.taskId}": its first turn asks ${asked === undefined ? 'nothing' : preview(asked)}, ` +
      `the task asks ${preview(expected)}. A history can only be continued on the task it was recorded on: pass that task's id, or start from baseStart("${start.taskId}").`,
  );
}

/**
 * Validates a start state's shape and its mode rules: improve/diverge need a last turn with an
 * iterate to act on. Throws `ValidationError` naming the env and the field.
 */
export function validateStartState(value: unknown, where: string): StartState {
  const start = validate<StartState>(startStateSchema, value, `${where}: start state`);
  if (start.mode !== 'base') {
    const last = lastTurn(start);
    if (!last || last.iterates.length === 0) {
      throw new ValidationError(
        `${where}: start state with mode "${start.mode}" needs a partial history whose last turn has at least one iterate; ` +
          `got ${start.turns.length} turn(s)${last ? ' and no iterate on the last one' : ''}. Use mode "base" for a plain task.`,
      );
    }
  }
  return start;
}
