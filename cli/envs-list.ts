import '../envs/builtin.js';
import { envEntries } from '../envs/registry.js';
import { helpText, parseFlags } from './args.js';
import type { Command } from './command.js';

const flags = {
  json: { type: 'boolean', description: 'Print JSON instead of a table.' },
} as const;

export const command: Command = {
  path: ['envs', 'list'],
  summary: 'List the registered envs: id, domain, quality range, budgets.',
  flags,
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText('exitgym envs list', this.summary, flags));
      return 0;
    }
    const { flags: f } = parseFlags('exitgym envs list', argv, flags);
    const rows = envEntries().map((e) => ({
      id: e.id,
      domain: e.domain,
      qualityRange: e.qualityRange,
      budgets: e.budgets,
      description: e.description,
      options: e.optionsSchema,
    }));
    if (f.json) {
      io.stdout(JSON.stringify(rows, null, 2));
      return 0;
    }
    const table = rows.map((r) => [
      r.id,
      String(r.domain),
      `[${r.qualityRange.join(', ')}]`,
      Object.entries(r.budgets)
        .map(([k, b]) => `${k}: ${b.maxSteps} steps${b.maxSeconds ? `/${b.maxSeconds}s` : ''}`)
        .join('; '),
    ]);
    const head = ['ID', 'DOMAIN', 'QUALITY', 'BUDGETS'];
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
    const formatRow = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
    io.stdout([formatRow(head), ...table.map(formatRow)].join('\n'));
    return 0;
  },
};
