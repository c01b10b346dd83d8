/** `exitgym/server`: the HTTP env server (sessions, batch, curriculum service, rollouts) and its JSON Schemas. */
export { startEnvServer, type EnvServer, type EnvServerOptions } from './app.js';
export * from './schemas.js';
export { ROUTES, type RouteSpec } from './routes.js';
export { openApiDocument } from './openapi.js';
export { httpOptionSchema } from './env-options.js';
export { HttpError } from './errors.js';
