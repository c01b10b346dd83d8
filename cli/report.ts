/**
 * `exitgym report RUN_DIR`: writes the training report of a run directory (`RUN_DIR/report.html`
 * by default), a self-contained page of the run's curves that opens offline. Works on a run that
 * is still training: run it again to refresh.
 */
import { writeReport } from '../trainer/report.js';
import { helpText, parseFlags, UsageError } from './args.js';
import type { Command } from './command.js';

const NAME = 'exitgym report';

const flags = {
  output: { type: 'string', value: 'FILE', description: 'Write the page here instead of RUN_DIR/report.html (atomically).' },
} as const;

export const command: Command = {
  path: ['report'],
  summary: 'Write the HTML training report (curves of metrics.jsonl) of an `exitgym train` run directory.',
  flags,
  usage: `${NAME} RUN_DIR [--output FILE]`,
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(NAME, this.summary, flags, this.usage));
      return 0;
    }
    const { flags: f, positionals } = parseFlags(NAME, argv, flags);
    if (positionals.length !== 1) {
      throw new UsageError(`${NAME}: expected one RUN_DIR (the folder given to \`exitgym train --run-dir\`), got ${positionals.length ? positionals.map((p) => `"${p}"`).join(' ') : 'none'}; see \`${NAME} --help\`.`);
    }
    const report = await writeReport(positionals[0] as string, f.output);
    const skipped = report.skipped.length ? `; not drawn: ${report.skipped.map((s) => s.id).join(', ')}` : '';
    io.stdout(`wrote ${report.path} (${report.charts.length} charts${skipped})`);
    return 0;
  },
};
