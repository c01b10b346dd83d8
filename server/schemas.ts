/**
 * JSON Schemas of every request and response of the env server (exported for client authors and
 * served as an OpenAPI document at `GET /v1/schema`). Requests are checked against these with ajv
 * before anything runs; the tests check every response against its schema.
 */
import type { Schema } from 'ajv';
import { startStateSchema, turnSchema } from '../core/start-state.js';

const messageSchema = { type: 'object', required: ['role', 'content'], properties: { role: { type: 'string' }, content: { type: 'string' } } };
const messagesSchema = { type: 'array', items: messageSchema };
export const traceSchema: Schema = { type: 'array', items: turnSchema };
/** A client's id for one call; a retried call with the same id is answered, not repeated. */
const requestIdSchema = { type: 'string', minLength: 1, maxLength: 128 };
const idSchema = { type: 'string', minLength: 1, maxLength: 128 };
const optionsSchema = { type: 'object', description: "The env's HTTP options (GET /v1/envs lists them per env)." };

/** An OpenAI-format tool call (`choices[0].message.tool_calls[i]`). */
export const openAIToolCallSchema: Schema = {
  type: 'object',
  required: ['function'],
  properties: {
    id: { type: 'string' },
    type: { const: 'function' },
    function: {
      type: 'object',
      required: ['name', 'arguments'],
      properties: { name: { type: 'string', maxLength: 256 }, arguments: { type: 'string', description: 'The arguments as a JSON object text.' } },
    },
  },
};

/** An OpenAI function tool spec (`tools[i]` of a chat completion request). */
export const openAIToolSchema: Schema = {
  type: 'object',
  required: ['type', 'function'],
  properties: {
    type: { const: 'function' },
    function: { type: 'object', required: ['name', 'parameters'], properties: { name: { type: 'string' }, description: { type: 'string' }, parameters: { type: 'object' } } },
  },
};

export const errorSchema: Schema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } }, additionalProperties: false } },
  additionalProperties: false,
};

export const createSessionSchema: Schema = {
  type: 'object',
  required: ['env'],
  properties: { env: { type: 'string', minLength: 1, maxLength: 256 }, options: optionsSchema },
  additionalProperties: false,
};
export const createSessionResponseSchema: Schema = {
  type: 'object',
  required: ['session', 'spec'],
  properties: { session: { type: 'string' }, spec: { type: 'object', required: ['id', 'domain', 'budgets'] } },
};

export const resetSchema: Schema = {
  type: 'object',
  required: ['start'],
  properties: { start: startStateSchema, seed: { type: 'integer' }, requestId: requestIdSchema },
  additionalProperties: false,
};
export const resetResponseSchema: Schema = {
  type: 'object',
  required: ['observation', 'info'],
  properties: { observation: messagesSchema, info: { type: 'object' }, tools: { type: 'array', items: openAIToolSchema } },
};

/**
 * A step's `autoReset`: when the step ends the episode, reset in the same call (Gymnasium/EnvPool
 * autoreset). `true` repeats the episode's start; an object may name the next `start` and `seed`;
 * `false` is off.
 */
export const autoResetSchema: Schema = {
  description:
    "When this step ends the episode (terminated or truncated), reset the session in the same call and answer the new episode's first observation as `reset` ({observation, info, seed, tools?}), or `resetError` if that reset failed (the step's result stands). false: off (the default); true: the same start again; {start?, seed?}: that start and/or seed. Seed default: the previous episode's seed + 1 (an explicit reset without seed counts as 0), so the same reset seed and actions replay the same episodes.",
  // One schema for both forms (object keywords do not apply to a boolean), so an error names the field, not a branch.
  type: ['boolean', 'object'],
  properties: { start: startStateSchema, seed: { type: 'integer' } },
  additionalProperties: false,
};

/** `action` (the assistant's text) or, for BFCL, `tool_calls` (OpenAI format) with optional `content`. */
export const stepSchema: Schema = {
  type: 'object',
  properties: {
    action: { type: 'string' },
    tool_calls: { type: 'array', items: openAIToolCallSchema, maxItems: 64 },
    content: { type: ['string', 'null'] },
    requestId: requestIdSchema,
    autoReset: autoResetSchema,
  },
  oneOf: [{ required: ['action'], not: { required: ['tool_calls'] } }, { required: ['tool_calls'], not: { required: ['action'] } }],
  additionalProperties: false,
};
export const stepResponseSchema: Schema = {
  type: 'object',
  required: ['observation', 'reward', 'terminated', 'truncated', 'info'],
  properties: {
    observation: messagesSchema,
    reward: { type: 'number' },
    terminated: { type: 'boolean' },
    truncated: { type: 'boolean' },
    info: { type: 'object', required: ['turn'] },
    reset: {
      type: 'object',
      required: ['observation', 'info', 'seed'],
      description: 'With autoReset, when this step ended the episode: the next episode, already started.',
      properties: { observation: messagesSchema, info: { type: 'object' }, seed: { type: 'integer' }, tools: { type: 'array', items: openAIToolSchema } },
    },
    resetError: { type: 'object', required: ['code', 'message'], description: 'With autoReset: why the reset after this step failed; call reset.', properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
  not: { required: ['reset', 'resetError'] },
};

export const traceResponseSchema: Schema = { type: 'object', required: ['turns'], properties: { turns: traceSchema } };
export const toolsResponseSchema: Schema = { type: 'object', required: ['tools'], properties: { tools: { type: 'array', items: openAIToolSchema } } };
export const deleteResponseSchema: Schema = { type: 'object', required: ['closed'], properties: { closed: { type: 'string' } } };

/** One operation of a batch: the same bodies as the single routes, plus `op` and `session`. */
export const batchOpSchema: Schema = {
  type: 'object',
  required: ['op'],
  properties: {
    op: { enum: ['create', 'reset', 'step', 'trace', 'tools', 'delete'] },
    session: idSchema,
    env: { type: 'string' },
    options: optionsSchema,
    start: { type: 'object' },
    seed: { type: 'integer' },
    action: { type: 'string' },
    tool_calls: { type: 'array' },
    content: { type: ['string', 'null'] },
    requestId: requestIdSchema,
    autoReset: autoResetSchema,
  },
  additionalProperties: false,
};
export const MAX_BATCH = 1024;
export const batchSchema: Schema = { type: 'object', required: ['ops'], properties: { ops: { type: 'array', items: { type: 'object' }, minItems: 1, maxItems: MAX_BATCH } }, additionalProperties: false };
export const batchResponseSchema: Schema = {
  type: 'object',
  required: ['results'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['status'],
        properties: { status: { type: 'integer' }, result: { type: 'object' }, error: { type: 'object', required: ['code', 'message'] } },
        oneOf: [{ required: ['result'] }, { required: ['error'] }],
      },
    },
  },
};

const overridesSchema = {
  type: 'object',
  properties: {
    capacity: { type: 'integer', minimum: 1, maximum: 100_000 },
    minSize: { type: 'integer', minimum: 1 },
    replayProb: { type: 'number', minimum: 0, maximum: 1 },
    divergeProb: { type: 'number', minimum: 0, maximum: 1 },
    prioritisation: { enum: ['softmax', 'rank'] },
    kappa: { type: 'number', minimum: 0 },
    rankTemperature: { type: 'number', exclusiveMinimum: 0 },
    staleness: { type: 'number', minimum: 0, maximum: 1 },
    baseSampling: { enum: ['uniform', 'epoch'] },
  },
  additionalProperties: false,
};

export const createCurriculumSchema: Schema = {
  type: 'object',
  required: ['env'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'Default: a new UUID. Also the folder name of its saves.' },
    env: { type: 'string', minLength: 1, maxLength: 256 },
    options: optionsSchema,
    strategy: { enum: ['grpo', 'curriculum', 'improve', 'diverge', 'exit'], description: 'Preset of curriculumPreset (default exit).' },
    domain: { enum: ['math', 'bfcl', 'mlebench'], description: "The preset's domain (default: the env's domain)." },
    overrides: overridesSchema,
    seed: { type: 'integer', minimum: 0, maximum: 2 ** 53 - 1 },
    leaseSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 86_400, description: 'A group not complete this long after its last call is scored with what arrived (default 600).' },
    tasks: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 1_000_000, description: 'Base task ids (default: the split of the options).' },
  },
  additionalProperties: false,
};
export const curriculumInfoSchema: Schema = {
  type: 'object',
  required: ['curriculum', 'env', 'config'],
  properties: { curriculum: { type: 'string' }, env: { type: 'string' }, options: { type: 'object' }, config: { type: 'object' }, seed: { type: 'integer' } },
};

export const nextSchema: Schema = {
  type: 'object',
  properties: {
    n: { type: 'integer', minimum: 1, maximum: 1024 },
    groupKeys: { type: 'array', items: idSchema, minItems: 1, maxItems: 1024, description: 'One start per key; the same key gets the same start (verl: the uid).' },
    requestId: requestIdSchema,
  },
  additionalProperties: false,
};
export const startItemSchema: Schema = {
  type: 'object',
  required: ['group', 'start', 'observation', 'source', 'leaseExpiresAt'],
  properties: {
    group: { type: 'string', description: 'The id to report this start’s rollouts under.' },
    groupKey: { type: 'string' },
    start: startStateSchema,
    observation: messagesSchema,
    tools: { type: 'array', items: openAIToolSchema },
    source: { enum: ['base', 'replay'] },
    leaseExpiresAt: { type: 'number', description: 'Unix ms; reports after this may find the group scored.' },
  },
};
export const nextResponseSchema: Schema = { type: 'object', required: ['starts'], properties: { starts: { type: 'array', items: startItemSchema } } };

const qualitySchema = { type: ['number', 'null'], minimum: 0, maximum: 1 };
/** A whole group, or one sample with its group size (the server assembles the group). */
export const reportSchema: Schema = {
  type: 'object',
  required: ['group'],
  properties: {
    group: idSchema,
    qualities: { type: 'array', items: qualitySchema, minItems: 1, maxItems: 1024 },
    traces: { type: 'array', items: { anyOf: [traceSchema, { type: 'null' }] }, maxItems: 1024 },
    sample: {
      type: 'object',
      required: ['id', 'quality'],
      properties: { id: idSchema, quality: qualitySchema, trace: { anyOf: [traceSchema, { type: 'null' }] } },
      additionalProperties: false,
    },
    groupSize: { type: 'integer', minimum: 1, maximum: 1024 },
  },
  oneOf: [{ required: ['qualities'], not: { anyOf: [{ required: ['sample'] }, { required: ['groupSize'] }] } }, { required: ['sample', 'groupSize'], not: { required: ['qualities'] } }],
  additionalProperties: false,
};
export const reportResponseSchema: Schema = {
  type: 'object',
  required: ['complete', 'received', 'groupSize'],
  properties: { complete: { type: 'boolean' }, received: { type: 'integer' }, groupSize: { type: 'integer' }, score: { type: ['number', 'null'] }, inserted: { type: 'integer' } },
};
export const metricsResponseSchema: Schema = { type: 'object', required: ['metrics'], properties: { metrics: { type: 'object', additionalProperties: { type: 'number' } } } };

export const rolloutsSchema: Schema = {
  type: 'object',
  required: ['endpoint', 'groupSize'],
  properties: {
    curriculum: idSchema,
    env: { type: 'string' },
    options: optionsSchema,
    start: startStateSchema,
    groupSize: { type: 'integer', minimum: 1, maximum: 64 },
    seed: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 },
    logprobs: { type: 'boolean' },
    endpoint: {
      type: 'object',
      required: ['baseURL', 'model'],
      properties: { baseURL: { type: 'string', pattern: '^https?://' }, model: { type: 'string', minLength: 1 }, apiKey: { type: 'string' }, timeoutSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600 } },
      additionalProperties: false,
    },
    sampling: {
      type: 'object',
      properties: { temperature: { type: 'number', minimum: 0, maximum: 10 }, topP: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, maxTokens: { type: 'integer', minimum: 1, maximum: 131_072 } },
      additionalProperties: false,
    },
  },
  oneOf: [{ required: ['curriculum'], not: { anyOf: [{ required: ['env'] }, { required: ['start'] }] } }, { required: ['env', 'start'], not: { required: ['curriculum'] } }],
  additionalProperties: false,
};
export const rolloutsResponseSchema: Schema = {
  type: 'object',
  required: ['start', 'episodes'],
  properties: {
    group: { type: 'string' },
    start: startStateSchema,
    score: { type: ['number', 'null'] },
    episodes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['return', 'quality', 'trace', 'steps'],
        properties: {
          return: { type: 'number' },
          quality: { type: ['number', 'null'] },
          terminated: { type: 'boolean' },
          truncated: { type: 'boolean' },
          failure: { type: 'object' },
          trace: traceSchema,
          steps: {
            type: 'array',
            items: {
              type: 'object',
              required: ['text', 'reward'],
              properties: {
                text: { type: 'string' },
                reward: { type: 'number' },
                finishReason: { type: 'string' },
                stopString: { type: 'string', description: 'The stop string that ended the completion; the env saw text + stopString.' },
                promptIds: { type: 'array', items: { type: 'integer' } },
                tokenIds: { type: 'array', items: { type: 'integer' }, description: 'Sampled token ids, where the endpoint returns them.' },
                logprobs: { type: 'array', items: { type: 'number' }, description: 'Their logprobs, where the endpoint returns them.' },
                weightsVersion: { type: 'integer' },
              },
            },
          },
        },
      },
    },
  },
};
