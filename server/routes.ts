/**
 * The route table: method, path, what it does, its request and response schemas, and the
 * handler. `app.ts` registers it with Fastify and `openapi.ts` documents it, so the served schema
 * and the server cannot drift apart.
 */
import type { Schema } from 'ajv';
import '../envs/builtin.js';
import { envEntries } from '../envs/registry.js';
import { runBatch } from './batch.js';
import type { CurriculumService } from './curriculum-service.js';
import { curriculumInfo, curriculumMetrics, nextStarts, report } from './curricula.js';
import { httpOptionSchema } from './env-options.js';
import { createSession, deleteSession, resetSession, sessionTools, stepSession, traceSession } from './operations.js';
import { runRollouts } from './rollouts.js';
import * as S from './schemas.js';
import type { SessionTable } from './sessions.js';

/** What a handler can use. */
export interface RouteContext {
  sessions: SessionTable;
  curricula: CurriculumService;
  /** Requests being answered now. */
  inFlight(): number;
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify path syntax (`:id`). */
  path: string;
  summary: string;
  body?: Schema;
  response: Schema;
  /** Status of a success (default 200). */
  status?: number;
  handler(ctx: RouteContext, params: Record<string, string>, body: unknown): Promise<unknown> | unknown;
}

const anyObject: Schema = { type: 'object' };

export const ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness: sessions, curricula and requests in flight.',
    response: { type: 'object', required: ['ok'], properties: { ok: { const: true }, sessions: { type: 'integer' }, curricula: { type: 'integer' }, inFlight: { type: 'integer' } } },
    handler: (ctx) => ({ ok: true, sessions: ctx.sessions.size, curricula: ctx.curricula.size, inFlight: ctx.inFlight() }),
  },
  {
    method: 'GET',
    path: '/v1/envs',
    summary: 'The registered envs, their specs, and the options each accepts over HTTP.',
    response: { type: 'object', required: ['envs'], properties: { envs: { type: 'array', items: { type: 'object', required: ['id', 'domain', 'options'] } } } },
    handler: () => ({
      envs: envEntries().map((e) => ({ id: e.id, domain: e.domain, description: e.description, qualityRange: e.qualityRange, budgets: e.budgets, options: httpOptionSchema(e) })),
    }),
  },
  { method: 'POST', path: '/v1/sessions', summary: 'Create an env session.', body: S.createSessionSchema, response: S.createSessionResponseSchema, status: 201, handler: (ctx, _p, b) => createSession(ctx.sessions, b) },
  {
    method: 'POST',
    path: '/v1/sessions/:id/reset',
    summary: 'Start an episode from a start state (BFCL answers the OpenAI tool specs too).',
    body: S.resetSchema,
    response: S.resetResponseSchema,
    handler: (ctx, p, b) => resetSession(ctx.sessions, p.id as string, b),
  },
  {
    method: 'POST',
    path: '/v1/sessions/:id/step',
    summary: 'One assistant action: text, or (BFCL) an OpenAI tool_calls list. A repeated requestId answers the first call’s result; autoReset starts the next episode when this one ends.',
    body: S.stepSchema,
    response: S.stepResponseSchema,
    handler: (ctx, p, b) => stepSession(ctx.sessions, p.id as string, b),
  },
  { method: 'GET', path: '/v1/sessions/:id/trace', summary: 'The history so far.', response: S.traceResponseSchema, handler: (ctx, p) => traceSession(ctx.sessions, p.id as string) },
  { method: 'GET', path: '/v1/sessions/:id/tools', summary: 'The current task’s OpenAI tool specs (BFCL).', response: S.toolsResponseSchema, handler: (ctx, p) => sessionTools(ctx.sessions, p.id as string) },
  { method: 'DELETE', path: '/v1/sessions/:id', summary: 'Close a session; a call running on it answers 410.', response: S.deleteResponseSchema, handler: (ctx, p) => deleteSession(ctx.sessions, p.id as string) },
  { method: 'POST', path: '/v1/batch', summary: 'Many session operations; a status and result or error per item.', body: S.batchSchema, response: S.batchResponseSchema, handler: (ctx, _p, b) => runBatch(ctx.sessions, b) },
  {
    method: 'POST',
    path: '/v1/curricula',
    summary: 'Create a curriculum: env + options, strategy preset + overrides, seed.',
    body: S.createCurriculumSchema,
    response: S.curriculumInfoSchema,
    status: 201,
    handler: async (ctx, _p, b) => curriculumInfo(await ctx.curricula.create(b)),
  },
  {
    method: 'GET',
    path: '/v1/curricula',
    summary: 'The curricula.',
    response: { type: 'object', required: ['curricula'], properties: { curricula: { type: 'array', items: S.curriculumInfoSchema } } },
    handler: (ctx) => ({ curricula: ctx.curricula.list().map(curriculumInfo) }),
  },
  { method: 'GET', path: '/v1/curricula/:id', summary: 'One curriculum.', response: S.curriculumInfoSchema, handler: (ctx, p) => curriculumInfo(ctx.curricula.get(p.id as string)) },
  {
    method: 'POST',
    path: '/v1/curricula/:id/next',
    summary: 'Start states (with first observation and BFCL tool specs); the same group key gets the same start.',
    body: S.nextSchema,
    response: S.nextResponseSchema,
    handler: (ctx, p, b) => nextStarts(ctx.curricula.get(p.id as string), b),
  },
  {
    method: 'POST',
    path: '/v1/curricula/:id/report',
    summary: 'Report a whole group, or one sample with the group size; the buffer updates when a group is complete.',
    body: S.reportSchema,
    response: S.reportResponseSchema,
    handler: (ctx, p, b) => report(ctx.curricula.get(p.id as string), b),
  },
  {
    method: 'GET',
    path: '/v1/curricula/:id/metrics',
    summary: 'Buffer, run and service metrics (curriculum/… keys).',
    response: S.metricsResponseSchema,
    handler: (ctx, p) => ({ metrics: curriculumMetrics(ctx.curricula.get(p.id as string)) }),
  },
  {
    method: 'POST',
    path: '/v1/curricula/:id/save',
    summary: 'Save to the server’s state folder now (atomic).',
    response: { type: 'object', required: ['saved'], properties: { saved: { type: 'string' } } },
    handler: async (ctx, p) => ({ saved: await ctx.curricula.save(p.id as string) }),
  },
  {
    method: 'DELETE',
    path: '/v1/curricula/:id',
    summary: 'Forget a curriculum (its last save stays on disk).',
    response: { type: 'object', required: ['deleted'], properties: { deleted: { type: 'string' } } },
    handler: async (ctx, p) => {
      await ctx.curricula.delete(p.id as string);
      return { deleted: p.id };
    },
  },
  {
    method: 'POST',
    path: '/v1/rollouts',
    summary: 'Play G episodes from a start (or a curriculum’s next start) against an OpenAI-compatible endpoint; reported to the curriculum.',
    body: S.rolloutsSchema,
    response: S.rolloutsResponseSchema,
    handler: (ctx, _p, b) => runRollouts(ctx.curricula, b),
  },
  { method: 'GET', path: '/v1/schema', summary: 'This API as an OpenAPI 3.1 document.', response: anyObject, handler: () => ({}) },
];
