/** `exitgym/server`: the HTTP env server for external trainers. */
export { startEnvServer, type EnvServer, type EnvServerOptions } from './app.js';
export { createSessionSchema, resetSchema, stepSchema } from './schemas.js';
