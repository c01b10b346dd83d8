/**
 * The body of an env worker thread (see env-workers.ts): it builds exitgym's own envs and runs
 * their calls, so env work (answer checking, BFCL's simulated APIs, sandbox bookkeeping) runs on
 * another core than the HTTP thread. Each message is one call; each gets exactly one answer.
 */
import { parentPort } from 'node:worker_threads';
import { ExitgymError } from '../core/errors.js';
import '../envs/builtin.js';
import { makeEnv } from '../envs/registry.js';
import type { RecurrentEnv } from '../envs/types.js';
import type { WorkerCall, WorkerAnswer } from './env-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('server/env-worker runs as a worker thread (EnvWorkerPool starts it).');
const envs = new Map<number, RecurrentEnv>();
let nextHandle = 0;

function envOf(handle: number): RecurrentEnv {
  const env = envs.get(handle);
  if (!env) throw new ExitgymError('internal', `env worker: no env with handle ${handle} (closed already)`);
  return env;
}

async function run(call: WorkerCall): Promise<unknown> {
  switch (call.op) {
    case 'create': {
      const env = await makeEnv(call.envId, call.options);
      const handle = nextHandle++;
      envs.set(handle, env);
      return { handle, spec: env.spec };
    }
    case 'reset':
      return envOf(call.handle).reset(call.start, call.opts);
    case 'step':
      return envOf(call.handle).step(call.action);
    case 'trace':
      return envOf(call.handle).trace();
    case 'close': {
      const env = envs.get(call.handle);
      envs.delete(call.handle);
      await env?.close();
      return null;
    }
    case 'shutdown': {
      await Promise.allSettled([...envs.values()].map((env) => env.close()));
      envs.clear();
      process.exit(0);
    }
  }
}

port.on('message', (call: WorkerCall) => {
  void run(call).then(
    (value) => {
      try {
        port.postMessage({ id: call.id, ok: true, value } satisfies WorkerAnswer);
      } catch (e) {
        // A result that cannot be cloned is the env's bug, answered as such rather than lost.
        port.postMessage({ id: call.id, ok: false, code: 'internal', message: `env worker: the ${call.op} result cannot be sent (${(e as Error).message})` } satisfies WorkerAnswer);
      }
    },
    (e: unknown) => {
      const code = e instanceof ExitgymError ? e.code : 'internal';
      port.postMessage({ id: call.id, ok: false, code, message: e instanceof Error ? e.message : String(e) } satisfies WorkerAnswer);
    },
  );
});
port.postMessage({ ready: true });
