/**
 * The session operations, shared by the single routes and the batch route: each validates its
 * body, runs, and returns the response body or throws an error with its status.
 */
import type { Schema } from 'ajv';
import { validate } from '../core/schema.js';
import type { StartState } from '../core/types.js';
import { loadBfcl } from '../datasets/bfcl.js';
import { openAIToolsForTask, toolCallsToAction, type OpenAITool, type OpenAIToolCall } from '../envs/bfcl/openai-tools.js';
import { envEntry } from '../envs/registry.js';
import { validateStartState } from '../core/start-state.js';
import type { RecurrentEnv, ResetResult, StepResult } from '../envs/types.js';
import { autoReset, checkAutoReset, currentTaskId, recordEpisode, type AutoResetOutcome, type AutoResetRequest } from './auto-reset.js';
import { checkHttpOptions } from './env-options.js';
import { traceOf } from './env-workers.js';
import { HttpError } from './errors.js';
import { createSessionSchema, resetSchema, stepSchema } from './schemas.js';
import type { SessionTable } from './sessions.js';

/** Tool specs per task, built once per loaded dataset (every reset of a BFCL session answers them). */
const toolCache = new WeakMap<object, Map<string, OpenAITool[]>>();

/** The OpenAI tool specs of a task, for envs that have them (BFCL); undefined otherwise. Shared: never mutate. */
export async function toolsFor(env: RecurrentEnv, taskId: string): Promise<OpenAITool[] | undefined> {
  if (env.spec.domain !== 'bfcl') return undefined;
  const data = await loadBfcl();
  let byTask = toolCache.get(data);
  if (!byTask) toolCache.set(data, (byTask = new Map()));
  const hit = byTask.get(taskId);
  if (hit) return hit;
  // Only real tasks are kept, so the cache is bounded by the dataset, whatever ids clients send.
  const tools = openAIToolsForTask(data, taskId);
  if (tools) byTask.set(taskId, tools);
  return tools;
}

function check<T>(schema: Schema, body: unknown, where: string): T {
  return validate<T>(schema, body ?? {}, where);
}

export async function createSession(sessions: SessionTable, body: unknown): Promise<{ session: string; spec: RecurrentEnv['spec'] }> {
  const b = check<{ env: string; options?: Record<string, unknown> }>(createSessionSchema, body, 'POST /v1/sessions body');
  const entry = envEntry(b.env);
  const options = checkHttpOptions(entry, b.options ?? {}, 'POST /v1/sessions body');
  const { id, env } = await sessions.createEnv(b.env, options);
  return { session: id, spec: env.spec };
}

export async function resetSession(sessions: SessionTable, id: string, body: unknown): Promise<ResetResult & { tools?: OpenAITool[] }> {
  const b = check<{ start: StartState; seed?: number; requestId?: string }>(resetSchema, body, 'reset body');
  const start = validateStartState(b.start, 'reset body');
  return sessions.use(
    id,
    async (env) => {
      const out = await env.reset(start, b.seed === undefined ? {} : { seed: b.seed });
      recordEpisode(env, start, b.seed);
      const tools = await toolsFor(env, start.taskId);
      return tools ? { ...out, tools } : out;
    },
    b.requestId,
  );
}

/**
 * One step. With `autoReset`, a step that ends the episode also resets the session (see
 * `auto-reset.ts` for the start and seed rule) and answers `reset` (or `resetError`) too.
 */
export async function stepSession(sessions: SessionTable, id: string, body: unknown): Promise<StepResult | (StepResult & AutoResetOutcome)> {
  const b = check<{ action?: string; tool_calls?: OpenAIToolCall[]; content?: string | null; requestId?: string; autoReset?: AutoResetRequest }>(stepSchema, body, 'step body');
  const again = b.autoReset === undefined ? undefined : checkAutoReset(b.autoReset, 'step body');
  let action = b.action;
  if (b.tool_calls) {
    const envId = sessions.envIdOf(id);
    if (envEntry(envId).domain !== 'bfcl') {
      throw new HttpError(400, 'validation', `step body: tool_calls are accepted by BFCL sessions only; session "${id}" runs "${envId}", send its text as "action".`);
    }
    action = toolCallsToAction(b.tool_calls, b.content);
  }
  const text = action as string;
  if (again === undefined) return sessions.use(id, (env) => env.step(text), b.requestId);
  return sessions.use(
    id,
    async (env) => {
      const result = await env.step(text);
      const extra = await autoReset(env, result, again, toolsFor);
      return extra ? { ...result, ...extra } : result;
    },
    b.requestId,
  );
}

export async function traceSession(sessions: SessionTable, id: string): Promise<{ turns: ReturnType<RecurrentEnv['trace']> }> {
  return { turns: await sessions.use(id, traceOf) };
}

export async function sessionTools(sessions: SessionTable, id: string): Promise<{ tools: OpenAITool[] }> {
  const tools = await sessions.use(id, async (env) => {
    const taskId = currentTaskId(env);
    return taskId === undefined ? undefined : toolsFor(env, taskId);
  });
  if (!tools) throw new HttpError(409, 'no_tools', `session "${id}" has no tool specs: only BFCL sessions have them, after reset.`);
  return { tools };
}

/** Closes a session; `afterQueued` (the batch route) lets the calls queued on it finish first. */
export async function deleteSession(sessions: SessionTable, id: string, afterQueued = false): Promise<{ closed: string }> {
  if (!(await sessions.close(id, afterQueued))) throw new HttpError(404, 'unknown_id', `no session "${id}"; it was already closed or expired.`);
  return { closed: id };
}
