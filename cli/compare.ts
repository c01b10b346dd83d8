import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic-write.js';
import { comparisonSvg, comparisonTable, loadComparison } from '../eval/compare.js';
import { helpText, parseFlags, UsageError } from './args.js';
import type { Command } from './command.js';

const flags = {
  output: { type: 'string', value: 'DIR', description: 'Also write compare.json, compare.md and compare.svg (the overlaid K-step curves) here.' },
} as const;

export const command: Command = {
  path: ['compare'],
  summary: 'Overlay the K-step curves of several eval runs: one table, one plot.',
  flags,
  usage: 'exitgym compare RUN_DIR RUN_DIR… [--output DIR]   (eval output folders; an `exitgym train` run folder gives one curve per validation)',
  async run(argv, io) {
    const name = 'exitgym compare';
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(name, this.summary, flags, this.usage));
      return 0;
    }
    const { flags: f, positionals } = parseFlags(name, argv, flags);
    if (positionals.length === 0) throw new UsageError(`${name}: give the eval output folders to compare, e.g. \`${name} runs/eval/a runs/eval/b\`.`);
    const runs = await loadComparison(positionals);
    const table = comparisonTable(runs);
    io.stdout(table.trimEnd());
    if (f.output) {
      await writeJsonAtomic(join(f.output, 'compare.json'), { runs });
      await writeFileAtomic(join(f.output, 'compare.md'), table);
      await writeFileAtomic(join(f.output, 'compare.svg'), await comparisonSvg(runs));
      io.stdout(`written to ${f.output}/ (compare.json, compare.md, compare.svg)`);
    }
    return 0;
  },
};
