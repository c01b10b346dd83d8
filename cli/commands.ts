/**
 * The command table. Each command lives in its own module, imported only when run, so
 * `exitgym --help` never loads TensorFlow.js or a sandbox. Add a line per command.
 */
import type { CommandEntry } from './command.js';

export const COMMANDS: CommandEntry[] = [
  { path: ['envs', 'list'], summary: 'List the registered envs: id, domain, quality range, budgets.', load: async () => (await import('./envs-list.js')).command },
];
