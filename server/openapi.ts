/** The route table as an OpenAPI 3.1 document (JSON Schema 2020-12 compatible bodies), served at `GET /v1/schema`. */
import { errorSchema } from './schemas.js';
import type { RouteSpec } from './routes.js';

const ERRORS: Record<string, string> = {
  '400': 'Fix the request (the message names the field).',
  '401': 'Missing or wrong bearer token.',
  '404': 'Unknown session, curriculum, group, env or route.',
  '409': 'Wrong state for this call (step before reset, group already reported, …).',
  '410': 'The session or group was closed while the call ran; its result is void.',
  '413': 'Body over the server limit.',
  '429': 'Capacity (sessions, curricula); retry after `Retry-After` seconds.',
  '503': 'Shutting down or infrastructure unavailable; retry after `Retry-After` seconds.',
};

/** The version of the HTTP API described (the `/v1` routes), not of the package. */
export const API_VERSION = '1.0.0';

export function openApiDocument(routes: readonly RouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const responses: Record<string, unknown> = { [String(r.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: r.response } } } };
    for (const [code, description] of Object.entries(ERRORS)) responses[code] = { description, content: { 'application/json': { schema: errorSchema } } };
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'exitgym env server', version: API_VERSION, description: 'Envs and the ExIt curriculum over HTTP. Errors are {error: {code, message}}.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
