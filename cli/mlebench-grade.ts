/**
 * `exitgym mlebench grade`: grades one submission.csv against the answers with exitgym's
 * TypeScript graders and prints `{score, normalized, valid, error, medal}` (plus the rest of the
 * report) as JSON. An invalid or missing submission is a result (valid: false), not an error.
 */
import { access, readFile } from 'node:fs/promises';
import { writeJsonAtomic } from '../core/atomic-write.js';
import { competitionIds, competition } from '../datasets/mlebench/competitions.js';
import { gradeSubmission } from '../envs/mlebench/grading/index.js';
import { helpText, parseFlags, UsageError } from './args.js';
import type { Command } from './command.js';

const NAME = 'exitgym mlebench grade';
const flags = {
  competition: { type: 'string', value: 'ID', required: true, description: `Competition id (${competitionIds().join(', ')}).` },
  submission: { type: 'string', value: 'FILE', required: true, description: 'The submission CSV to grade.' },
  answers: { type: 'string', value: 'FILE', required: true, description: "The private answers CSV (prepared/private/<answers file>)." },
  'paper-range': { type: 'boolean', description: "Normalise with the paper's printed Table 3 range (differs for spooky only)." },
  output: { type: 'string', value: 'FILE', description: 'Also write the full report as JSON to FILE.' },
} as const;

export const command: Command = {
  path: ['mlebench', 'grade'],
  summary: 'Grade a submission.csv against the answers: score, normalised quality, validity, medal.',
  flags,
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(NAME, this.summary, flags));
      return 0;
    }
    const { flags: f, positionals } = parseFlags(NAME, argv, flags);
    if (positionals.length > 0) throw new UsageError(`${NAME}: unexpected argument "${positionals[0]}"; see \`${NAME} --help\`.`);
    if (!competitionIds().includes(f.competition)) {
      throw new UsageError(`${NAME}: unknown --competition "${f.competition}"; known: ${competitionIds().join(', ')}.`);
    }
    const c = competition(f.competition);
    let answers: Buffer;
    try {
      answers = await readFile(f.answers);
    } catch (e) {
      throw new UsageError(`${NAME}: cannot read --answers ${f.answers} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    const exists = await access(f.submission).then(() => true, () => false);
    const report = gradeSubmission(c, exists ? await readFile(f.submission) : undefined, answers, { paperRange: f['paper-range'] });
    if (!exists) report.error = `submission file ${f.submission} does not exist`;
    if (f.output) await writeJsonAtomic(f.output, report);
    const { score, normalized, valid, error, medal } = report;
    io.stdout(JSON.stringify({ score, normalized, valid, error, medal, errorKind: report.errorKind, aboveMedian: report.aboveMedian }));
    return 0;
  },
};
