/**
 * Grading one submission the way `mlebench grade` does, in TypeScript: parse, validate, score,
 * round to 5 decimals, medal flags, and the normalised quality in [0, 1] (SPEC.md §2, §5).
 */
import { competition as competitionById, scoreRange, type Competition, type MedalThresholds } from '../../../datasets/mlebench/competitions.js';
import { ValidationError } from '../../../core/errors.js';
import { normaliseQuality } from '../../reward.js';
import { medalFor, type MedalFlags } from './medals.js';
import { roundScore } from './metrics.js';
import { parseTable, type Table } from './table.js';
import { scoreSubmission, type GradeErrorKind } from './validate.js';

/** The grade of one submission: MLE-bench's report fields plus exitgym's normalised quality. */
/** A graded submission: its score, validity and the medal flags of that score. */
export interface GradeReport extends MedalFlags {
  competitionId: string;
  /** Raw metric value rounded to 5 decimals, or null when the submission is missing or invalid. */
  score: number | null;
  /** Quality in [0, 1]: `(score − worst)/(best − worst)` clipped; 0 when invalid. */
  normalized: number;
  valid: boolean;
  submissionExists: boolean;
  /** One line saying what was wrong, or null. */
  error: string | null;
  errorKind: GradeErrorKind | null;
  isLowerBetter: boolean;
  thresholds: MedalThresholds;
}

export interface GradeOptions {
  /** Normalise with the paper's printed Table 3 range (differs for spooky only). */
  paperRange?: boolean;
}

/** Parses answers text, throwing (answers are our data, not the model's). */
export function parseAnswers(text: string | Uint8Array, where: string): Table {
  const t = parseTable(text);
  if (!t.ok) throw new ValidationError(`${where}: answers file ${t.reason}; re-run \`exitgym datasets prepare mlebench\` or regenerate the synthetic data.`);
  return t.value;
}

/**
 * Grades a submission (CSV text or bytes; `undefined` = no submission.csv was written) against
 * the competition's answers (text, bytes or an already parsed table).
 *
 * @example
 * const report = gradeSubmission('random-acts-of-pizza', submissionCsv, answersCsv);
 * report.score; report.normalized; report.medal;
 */
export function gradeSubmission(
  competitionOrId: Competition | string,
  submission: string | Uint8Array | undefined,
  answers: string | Uint8Array | Table,
  opts: GradeOptions = {},
): GradeReport {
  const c = typeof competitionOrId === 'string' ? competitionById(competitionOrId) : competitionOrId;
  const answersTable = typeof answers === 'string' || answers instanceof Uint8Array ? parseAnswers(answers, c.id) : answers;
  let score: number | null = null;
  let error: string | null = null;
  let errorKind: GradeErrorKind | null = null;
  if (submission === undefined) {
    errorKind = 'no_submission';
    error = 'no submission.csv was written; the script must write submission.csv in the current directory';
  } else {
    try {
      // Row-bounded: a file with more rows than the test set is refused without building them all.
      // A real row is a few hundred characters at most; 1 MiB leaves room for long text cells.
      const table = parseTable(submission, { maxRows: answersTable.rows.length, maxLineChars: 1024 * 1024 });
      if (!table.ok) {
        errorKind = table.tooManyRows !== undefined ? 'wrong_row_count' : 'unreadable_csv';
        error = table.tooManyRows !== undefined ? `submission.csv has more than ${table.tooManyRows} rows; the test set has ${table.tooManyRows}` : `submission.csv is unreadable: ${table.reason}`;
      } else {
        const outcome = scoreSubmission(c.grader, table.value, answersTable);
        if (outcome.ok) score = roundScore(outcome.score);
        else {
          errorKind = outcome.kind;
          error = outcome.message;
        }
      }
    } catch (e) {
      // Broken answers are our data's fault and stay an error; anything else the submission
      // provoked in the grader is an unreadable submission (SPEC.md §4 has no other kind for it),
      // never a crash of the caller.
      if (e instanceof ValidationError) throw e;
      score = null;
      errorKind = 'unreadable_csv';
      error = `the grader could not process submission.csv (${e instanceof Error ? e.name : 'error'}); write a plain CSV in the sample submission's format`;
    }
  }
  const range = scoreRange(c, { paper: opts.paperRange });
  const normalized = score === null ? 0 : normaliseQuality(score, range.worst, range.best);
  return {
    competitionId: c.id,
    score,
    normalized,
    valid: score !== null,
    submissionExists: submission !== undefined,
    error,
    errorKind,
    ...medalFor(score, c.medals, c.lowerIsBetter),
    isLowerBetter: c.lowerIsBetter,
    thresholds: { ...c.medals },
  };
}
