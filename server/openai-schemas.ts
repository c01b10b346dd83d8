/**
 * JSON schemas of the OpenAI-compatible requests `exitgym serve-model` accepts. Every object is
 * closed (`additionalProperties: false`): a parameter the server does not implement is refused
 * with a 400 naming it, never silently ignored. Parameters accepted only at their no-op value
 * (`presence_penalty: 0`) say so in the error.
 */
import type { Schema } from 'ajv';

/** Most sequences one request generates (n × prompts), and most prompts per completions request: bounds one request's memory. */
export const MAX_N = 64;
export const MAX_PROMPTS = 64;

const stop = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 16 }, { type: 'null' }] };
const noOp = { enum: [0, null] };
const sampling = {
  model: { type: 'string' },
  max_tokens: { type: ['integer', 'null'], minimum: 0 },
  temperature: { type: ['number', 'null'], minimum: 0 },
  top_p: { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 1 },
  top_k: { type: ['integer', 'null'], minimum: -1 },
  n: { type: ['integer', 'null'], minimum: 1, maximum: MAX_N },
  stop,
  seed: { type: ['integer', 'null'] },
  stream: { type: ['boolean', 'null'] },
  stream_options: { type: ['object', 'null'], additionalProperties: false, properties: { include_usage: { type: 'boolean' } } },
  user: { type: 'string' },
  presence_penalty: noOp,
  frequency_penalty: noOp,
} as const;

const toolCall = {
  type: 'object',
  required: ['id', 'type', 'function'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    type: { const: 'function' },
    function: { type: 'object', required: ['name', 'arguments'], additionalProperties: false, properties: { name: { type: 'string' }, arguments: { type: 'string' } } },
  },
} as const;

const message = {
  type: 'object',
  required: ['role'],
  additionalProperties: false,
  properties: {
    role: { enum: ['system', 'developer', 'user', 'assistant', 'tool'] },
    content: {
      anyOf: [
        { type: 'string' },
        { type: 'null' },
        { type: 'array', items: { type: 'object', required: ['type', 'text'], additionalProperties: false, properties: { type: { const: 'text' }, text: { type: 'string' } } } },
      ],
    },
    name: { type: 'string' },
    tool_calls: { type: 'array', items: toolCall, maxItems: 128 },
    tool_call_id: { type: 'string' },
    // Clients send a returned assistant message back as it came; these fields are then empty.
    refusal: { type: 'null' },
    annotations: { type: 'array', maxItems: 0 },
  },
} as const;

const tool = {
  type: 'object',
  required: ['type', 'function'],
  additionalProperties: false,
  properties: {
    type: { const: 'function' },
    function: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, description: { type: 'string' }, parameters: { type: 'object' }, strict: { type: ['boolean', 'null'] } },
    },
  },
} as const;

export const chatRequestSchema: Schema = {
  type: 'object',
  required: ['messages'],
  additionalProperties: false,
  properties: {
    ...sampling,
    messages: { type: 'array', minItems: 1, items: message },
    max_completion_tokens: { type: ['integer', 'null'], minimum: 1 },
    logprobs: { type: ['boolean', 'null'] },
    top_logprobs: { type: ['integer', 'null'], minimum: 0, maximum: 20 },
    tools: { type: 'array', items: tool, maxItems: 128 },
    tool_choice: {
      anyOf: [
        { enum: ['none', 'auto', 'required'] },
        { type: 'object', required: ['type', 'function'], additionalProperties: false, properties: { type: { const: 'function' }, function: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
      ],
    },
    parallel_tool_calls: { type: 'boolean' },
    response_format: { type: 'object', required: ['type'], additionalProperties: false, properties: { type: { const: 'text' } } },
  },
};

export const completionRequestSchema: Schema = {
  type: 'object',
  required: ['prompt'],
  additionalProperties: false,
  properties: {
    ...sampling,
    prompt: {
      anyOf: [
        { type: 'string' },
        { type: 'array', minItems: 1, maxItems: MAX_PROMPTS, items: { type: 'string' } },
        { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } },
        { type: 'array', minItems: 1, maxItems: MAX_PROMPTS, items: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } } },
      ],
    },
    echo: { type: ['boolean', 'null'] },
    logprobs: { type: ['integer', 'null'], minimum: 0, maximum: 20 },
  },
};

export const weightsRequestSchema: Schema = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: { path: { type: 'string', minLength: 1 } },
};

/** The request bodies, as the schemas admit them. */
export interface SamplingBody {
  model?: string;
  max_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  top_k?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
}

export interface ChatBody extends SamplingBody {
  messages: {
    role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
    content?: string | { type: 'text'; text: string }[] | null;
    name?: string;
    tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
    tool_call_id?: string;
  }[];
  max_completion_tokens?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[];
  tool_choice?: 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };
  parallel_tool_calls?: boolean;
}

export interface CompletionBody extends SamplingBody {
  prompt: string | string[] | number[] | number[][];
  echo?: boolean | null;
  logprobs?: number | null;
}
