/** JSON schemas of the env server's request bodies (exported for client authors). */
import type { Schema } from 'ajv';
import { startStateSchema } from '../core/start-state.js';

export const createSessionSchema: Schema = {
  type: 'object',
  required: ['env'],
  properties: { env: { type: 'string', minLength: 1 }, options: { type: 'object' } },
  additionalProperties: false,
};

export const resetSchema: Schema = {
  type: 'object',
  required: ['start'],
  properties: { start: startStateSchema, seed: { type: 'integer' } },
  additionalProperties: false,
};

export const stepSchema: Schema = {
  type: 'object',
  required: ['action'],
  properties: { action: { type: 'string' } },
  additionalProperties: false,
};
