import type { Schema } from 'ajv';
import { ValidationError } from '../core/errors.js';
import { validate } from '../core/schema.js';
import type { StartState } from '../core/types.js';

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

/** A base start state for a task. */
export function baseStart(taskId: string): StartState {
  return { taskId, turns: [], mode: 'base', depth: 0 };
}

/**
 * Validates a start state's shape and its mode rules: improve/diverge need a last turn with an
 * iterate to act on. Throws `ValidationError` naming the env and the field.
 */
export function validateStartState(value: unknown, where: string): StartState {
  const start = validate<StartState>(startStateSchema, value, `${where}: start state`);
  if (start.mode !== 'base') {
    const last = start.turns[start.turns.length - 1];
    if (!last || last.iterates.length === 0) {
      throw new ValidationError(
        `${where}: start state with mode "${start.mode}" needs a partial history whose last turn has at least one iterate; ` +
          `got ${start.turns.length} turn(s)${last ? ' and no iterate on the last one' : ''}. Use mode "base" for a plain task.`,
      );
    }
  }
  return start;
}
