import { availableParallelism } from 'node:os';
import { helpText, numberFlag, parseFlags } from './args.js';
import type { Command } from './command.js';

const flags = {
  port: { type: 'string', value: 'P', description: 'Port to listen on.', default: '8765' },
  host: { type: 'string', value: 'HOST', description: 'Address to bind; beyond loopback (e.g. 0.0.0.0) needs --token.', default: '127.0.0.1' },
  token: { type: 'string', value: 'T', description: 'Bearer token every request must carry (default: $EXITGYM_SERVE_TOKEN; none on loopback).' },
  'idle-seconds': { type: 'string', value: 'S', description: 'Close sessions idle this long (a session running a call is never idle).', default: '900' },
  'max-sessions': { type: 'string', value: 'N', description: 'Live sessions at most (more answer 429 with Retry-After).', default: '256' },
  'max-body-bytes': { type: 'string', value: 'B', description: 'Largest request body (larger answer 413).', default: String(4 * 1024 * 1024) },
  'state-dir': { type: 'string', value: 'DIR', description: 'Save curricula here (atomically) and restore them at start.' },
  'autosave-seconds': { type: 'string', value: 'S', description: 'Save changed curricula this often (0: on request and at shutdown only).', default: '60' },
  'env-workers': { type: 'string', value: 'N', description: 'Worker threads holding the sessions of exitgym\'s own envs, beside the HTTP thread (0: envs in the HTTP thread). Default: cores − 1, at most 8.' },
  'drain-seconds': { type: 'string', value: 'S', description: 'On SIGTERM/SIGINT, let running requests finish this long.', default: '30' },
} as const;

export const command: Command = {
  path: ['serve'],
  summary: 'Serve the envs and the ExIt curriculum over HTTP for external RL code (GET /v1/schema lists the routes).',
  flags,
  async run(argv, io) {
    const name = 'exitgym serve';
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(name, this.summary, flags));
      return 0;
    }
    const { flags: f } = parseFlags(name, argv, flags);
    const token = f.token ?? process.env.EXITGYM_SERVE_TOKEN;
    const { startEnvServer } = await import('../server/app.js');
    const { sweepStaleSandboxes } = await import('../server/stale.js');
    // A killed earlier server leaves sandbox run folders behind; remove those of dead processes.
    await sweepStaleSandboxes().then(
      (n) => n > 0 && io.stderr(`exitgym serve: swept ${n} stale sandbox folder(s) left by dead processes`),
      (e: unknown) => io.stderr(`exitgym serve: could not sweep stale sandbox folders (${(e as Error).message}); going on`),
    );
    const server = await startEnvServer({
      port: numberFlag(name, 'port', f.port, { integer: true, min: 0, max: 65535 }) as number,
      host: f.host,
      ...(token ? { token } : {}),
      idleSeconds: numberFlag(name, 'idle-seconds', f['idle-seconds'], { min: 1 }) as number,
      maxSessions: numberFlag(name, 'max-sessions', f['max-sessions'], { integer: true, min: 1 }) as number,
      maxBodyBytes: numberFlag(name, 'max-body-bytes', f['max-body-bytes'], { integer: true, min: 1024 }) as number,
      ...(f['state-dir'] ? { stateDir: f['state-dir'] } : {}),
      autosaveSeconds: numberFlag(name, 'autosave-seconds', f['autosave-seconds'], { min: 0 }) as number,
      drainSeconds: numberFlag(name, 'drain-seconds', f['drain-seconds'], { min: 0 }) as number,
      envWorkers: numberFlag(name, 'env-workers', f['env-workers'], { integer: true, min: 0, max: 256 }) ?? Math.min(8, Math.max(0, availableParallelism() - 1)),
      log: (line) => io.stderr(`exitgym serve: ${line}`),
    });
    const threads = server.envWorkers ? `${server.envWorkers} env worker thread${server.envWorkers === 1 ? '' : 's'}` : 'envs in the HTTP thread';
    io.stderr(`exitgym env server on ${server.url}${token ? ' (bearer token required)' : ''}; ${threads}; GET /v1/schema for the API; Ctrl-C to stop`);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    io.stderr(`exitgym serve: ${signal}: finishing ${server.inFlight()} request(s) in flight, then saving curricula and closing ${server.sessions.size} session(s)`);
    await server.close();
    io.stderr('exitgym serve: stopped');
    return 0;
  },
};
