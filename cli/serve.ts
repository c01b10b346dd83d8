import { helpText, numberFlag, parseFlags } from './args.js';
import type { Command } from './command.js';

const flags = {
  port: { type: 'string', value: 'P', description: 'Port to listen on.', default: '8765' },
  host: { type: 'string', value: 'HOST', description: 'Address to bind (use 0.0.0.0 to accept remote trainers).', default: '127.0.0.1' },
  'idle-seconds': { type: 'string', value: 'S', description: 'Close sessions idle this long.', default: '900' },
  'max-sessions': { type: 'string', value: 'N', description: 'Live sessions at most.', default: '256' },
} as const;

export const command: Command = {
  path: ['serve'],
  summary: 'Serve the envs over HTTP for external RL code (sessions: create, reset, step, trace).',
  flags,
  async run(argv, io) {
    const name = 'exitgym serve';
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(name, this.summary, flags));
      return 0;
    }
    const { flags: f } = parseFlags(name, argv, flags);
    const { startEnvServer } = await import('../server/app.js');
    const server = await startEnvServer({
      port: numberFlag(name, 'port', f.port, { integer: true, min: 0, max: 65535 }) as number,
      host: f.host,
      idleSeconds: numberFlag(name, 'idle-seconds', f['idle-seconds'], { min: 1 }) as number,
      maxSessions: numberFlag(name, 'max-sessions', f['max-sessions'], { integer: true, min: 1 }) as number,
    });
    io.stderr(`exitgym env server on ${server.url} (GET /v1/envs to list envs); Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
