/**
 * Submission validation and scoring per grader kind, with MLE-bench's checks in MLE-bench's
 * order (SPEC.md §2.4, §3, §4). Every failure is data: a kind from SPEC.md §4 and a one-line
 * message that tells the author of the script what to fix.
 */
import type { GraderSpec } from '../../../datasets/mlebench/competitions.js';
import { ValidationError } from '../../../core/errors.js';
import { assertNever } from '../../../core/result.js';
import { MetricError, multiclassLogLoss, rmsle, rocAuc } from './metrics.js';
import { columnIndex, numericColumn, type Table } from './table.js';

/** Why a submission is invalid (SPEC.md §4). */
export type GradeErrorKind =
  | 'no_submission'
  | 'unreadable_csv'
  | 'missing_column'
  | 'wrong_row_count'
  | 'wrong_shape'
  | 'non_numeric'
  | 'out_of_range'
  | 'rows_not_normalised'
  | 'id_mismatch'
  | 'nan_or_inf'
  | 'extra_columns'
  | 'metric_error';

export type ScoreOutcome = { ok: true; score: number } | { ok: false; kind: GradeErrorKind; message: string };

const fail = (kind: GradeErrorKind, message: string): ScoreOutcome => ({ ok: false, kind, message });

/** A broken answers file is our fault, not the submission's: throw. */
class AnswersError extends Error {}

function answersColumn(answers: Table, name: string): Float64Array {
  const i = columnIndex(answers, name);
  if (i < 0) throw new AnswersError(`answers file has no "${name}" column (columns: ${answers.columns.join(', ')})`);
  const col = numericColumn(answers, i);
  if (!col.ok) throw new AnswersError(`answers column "${name}" row ${col.reason.row + 1} is not numeric: "${col.reason.cell}"`);
  return col.value;
}

function answersIndex(answers: Table, name: string): number {
  const i = columnIndex(answers, name);
  if (i < 0) throw new AnswersError(`answers file has no "${name}" column (columns: ${answers.columns.join(', ')})`);
  return i;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Row pairs (submission row, answers row) matched by id. */
interface Alignment {
  sub: Uint32Array;
  ans: Uint32Array;
}

/**
 * Matches submission rows to answer rows by id. Upstream sorts both tables by id and requires the
 * sorted id lists to be identical, i.e. the same multiset of ids; a hash join decides the same
 * thing in linear time. On a mismatch it says where the sorted lists first differ.
 */
function alignById(sub: Table, subId: number, answers: Table, ansId: number): Alignment | string {
  const n = answers.rows.length;
  const byId = new Map<string, number | number[]>();
  for (let i = 0; i < n; i++) {
    const id = (answers.rows[i] as string[])[ansId] as string;
    const seen = byId.get(id);
    if (seen === undefined) byId.set(id, i);
    else if (typeof seen === 'number') byId.set(id, [seen, i]);
    else seen.push(i);
  }
  const out: Alignment = { sub: new Uint32Array(n), ans: new Uint32Array(n) };
  let k = 0;
  for (let i = 0; i < sub.rows.length && k <= n; i++) {
    const id = (sub.rows[i] as string[])[subId] as string;
    const hit = byId.get(id);
    if (hit === undefined) return firstIdDifference(sub, subId, answers, ansId);
    let row: number;
    if (typeof hit === 'number') {
      row = hit;
      byId.delete(id);
    } else {
      row = hit.pop() as number;
      if (hit.length === 0) byId.delete(id);
    }
    out.sub[k] = i;
    out.ans[k] = row;
    k++;
  }
  if (k !== n || sub.rows.length !== n) return firstIdDifference(sub, subId, answers, ansId);
  return out;
}

function firstIdDifference(sub: Table, subId: number, answers: Table, ansId: number): string {
  const s = sub.rows.map((r) => r[subId] as string).sort(cmp);
  const a = answers.rows.map((r) => r[ansId] as string).sort(cmp);
  for (let i = 0; i < Math.max(s.length, a.length); i++) {
    if (s[i] !== a[i]) return `after sorting, row ${i + 1} has id ${quote(s[i] ?? '(none)')} where the answers have ${quote(a[i] ?? '(none)')}`;
  }
  return 'the ids differ';
}

/**
 * A cell or column name from the submission, quoted for a message: the text is the script's, so
 * it is cut short and JSON-escaped (no raw newline or backtick run can leave the message's line).
 */
const quote = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s).replaceAll('`', '\\u0060');

/** The submission's columns for a message: the first few, each quoted. */
const found = (cols: readonly string[]): string => `${cols.slice(0, 12).map(quote).join(', ')}${cols.length > 12 ? `, … (${cols.length} in all)` : ''}`;

function nonFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return i;
  return -1;
}

function metric(compute: () => number): ScoreOutcome {
  try {
    return { ok: true, score: compute() };
  } catch (e) {
    if (e instanceof MetricError) return fail('metric_error', e.message);
    throw e;
  }
}

/** MLE-bench's AUC helper: pizza, insults, cactus. */
function gradeAuc(spec: { idColumn: string; targetColumn: string }, sub: Table, answers: Table): ScoreOutcome {
  const { idColumn, targetColumn } = spec;
  const ansId = answersIndex(answers, idColumn);
  const truthRaw = answersColumn(answers, targetColumn);
  const subId = columnIndex(sub, idColumn);
  if (subId < 0) return fail('missing_column', `submission should have an "${idColumn}" column (found: ${found(sub.columns)})`);
  const subTarget = columnIndex(sub, targetColumn);
  if (subTarget < 0) return fail('missing_column', `submission should have a "${targetColumn}" column (found: ${found(sub.columns)})`);
  if (sub.rows.length !== answers.rows.length) {
    return fail('wrong_row_count', `submission should have the same number of rows as the test set: expected ${answers.rows.length}, got ${sub.rows.length}`);
  }
  const pred = numericColumn(sub, subTarget);
  if (!pred.ok) return fail('non_numeric', `"${targetColumn}" must be numeric; row ${pred.reason.row + 1} has ${quote(pred.reason.cell)}`);
  // pandas' min/max skip NaN, so NaN passes the range check and fails later in scikit-learn.
  for (let i = 0; i < pred.value.length; i++) {
    const v = pred.value[i] as number;
    if (v < 0 || v > 1) return fail('out_of_range', `"${targetColumn}" should contain probabilities between 0 and 1 inclusive; row ${i + 1} has ${v}`);
  }
  const al = alignById(sub, subId, answers, ansId);
  if (typeof al === 'string') return fail('id_mismatch', `submission should have the same "${idColumn}" values as the test set; ${al}`);
  const scores = Float64Array.from(al.sub, (i) => pred.value[i] as number);
  const truth = Float64Array.from(al.ans, (i) => truthRaw[i] as number);
  const bad = nonFinite(scores);
  if (bad >= 0) return fail('nan_or_inf', `"${targetColumn}" contains NaN or infinity (${scores[bad]}); every row needs a probability`);
  return metric(() => rocAuc(truth, scores));
}

/** Spooky: shape, row sums, range, then the log-loss helper (SPEC.md §3.2). */
function gradeLogLoss(spec: { idColumn: string; classes: string[] }, sub: Table, answers: Table): ScoreOutcome {
  const { idColumn, classes } = spec;
  const k = classes.length;
  const ansId = answersIndex(answers, idColumn);
  const ansCols = classes.map((c) => answersIndex(answers, c));
  const n = answers.rows.length;
  if (sub.columns.length !== k + 1 || sub.rows.length !== n) {
    return fail('wrong_shape', `submission must have exactly ${n} rows and ${k + 1} columns (${[idColumn, ...classes].join(',')}); got ${sub.rows.length} rows and ${sub.columns.length} columns (${found(sub.columns)})`);
  }
  // Upstream fails here too (a string column among the probabilities, or the helper's id check);
  // an absent id column is named as such, a misplaced one as a shape problem.
  if (!sub.columns.includes(idColumn)) return fail('missing_column', `submission should have an "${idColumn}" column first (found: ${found(sub.columns)})`);
  if (sub.columns[0] !== idColumn) {
    return fail('wrong_shape', `the first column must be "${idColumn}" (the probability columns follow it); got ${quote(sub.columns[0] as string)}`);
  }
  const probCols: Float64Array[] = [];
  for (let j = 1; j <= k; j++) {
    const col = numericColumn(sub, j);
    if (!col.ok) return fail('non_numeric', `${quote(sub.columns[j] as string)} must be numeric; row ${col.reason.row + 1} has ${quote(col.reason.cell)}`);
    probCols.push(col.value);
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const col of probCols) sum += col[i] as number;
    if (Number.isNaN(sum)) return fail('nan_or_inf', `row ${i + 1} contains NaN; every row needs ${k} probabilities`);
    // numpy isclose(sum, 1, atol=1e-6) with its default rtol 1e-5.
    if (!(Math.abs(sum - 1) <= 1e-6 + 1e-5)) return fail('rows_not_normalised', `each row's probabilities must sum to 1; row ${i + 1} sums to ${sum}`);
  }
  for (let j = 0; j < k; j++) {
    const col = probCols[j] as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = col[i] as number;
      if (!(v >= 0 && v <= 1)) return fail('out_of_range', `probabilities must be within [0, 1]; ${quote(sub.columns[j + 1] as string)} row ${i + 1} has ${v}`);
    }
  }
  const missing = classes.filter((c) => columnIndex(sub, c) < 0);
  if (missing.length > 0) return fail('missing_column', `submission is missing the class column(s) ${missing.join(', ')}`);
  const al = alignById(sub, 0, answers, ansId);
  if (typeof al === 'string') return fail('id_mismatch', `submission should have the same "${idColumn}" values as the test set; ${al}`);
  // Class columns in the answers' order, whatever their order in the file.
  const subByClass = classes.map((c) => probCols[columnIndex(sub, c) - 1] as Float64Array);
  const truthCols = ansCols.map((j) => answersColumn(answers, answers.columns[j] as string));
  const probs = new Float64Array(n * k);
  const truth = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) {
      probs[r * k + j] = (subByClass[j] as Float64Array)[al.sub[r] as number] as number;
      truth[r * k + j] = (truthCols[j] as Float64Array)[al.ans[r] as number] as number;
    }
  }
  return metric(() => multiclassLogLoss(truth, probs, k));
}

/** Nomad: targets present, row count, then positional RMSLE (ids never read; SPEC.md §3.4). */
function gradeRmsle(spec: { targetColumns: string[] }, sub: Table, answers: Table): ScoreOutcome {
  const missing = spec.targetColumns.filter((c) => columnIndex(sub, c) < 0);
  if (missing.length > 0) return fail('missing_column', `submission is missing the target column(s) ${missing.join(', ')} (found: ${found(sub.columns)})`);
  if (sub.rows.length !== answers.rows.length) {
    return fail('wrong_row_count', `submission should have ${answers.rows.length} rows (one per test row, in test.csv order); got ${sub.rows.length}`);
  }
  const parts: number[] = [];
  const cols: Float64Array[] = [];
  for (const name of spec.targetColumns) {
    const col = numericColumn(sub, columnIndex(sub, name));
    if (!col.ok) return fail('non_numeric', `"${name}" must be numeric; row ${col.reason.row + 1} has ${quote(col.reason.cell)}`);
    const bad = nonFinite(col.value);
    if (bad >= 0) return fail('nan_or_inf', `"${name}" row ${bad + 1} is ${col.value[bad]}; every row needs a finite prediction`);
    for (let i = 0; i < col.value.length; i++) {
      if ((col.value[i] as number) < 0) return fail('out_of_range', `"${name}" row ${i + 1} is ${col.value[i]}; predictions must be >= 0 (RMSLE takes log(1 + p))`);
    }
    cols.push(col.value);
  }
  return metric(() => {
    spec.targetColumns.forEach((name, j) => parts.push(rmsle(answersColumn(answers, name), cols[j] as Float64Array)));
    return parts.reduce((x, y) => x + y, 0) / parts.length;
  });
}

/** Jigsaw: mean ROC AUC over the classes on the scored rows (SPEC.md §3.5). */
function gradeColumnwiseAuc(spec: { idColumn: string; classes: string[] }, sub: Table, answers: Table): ScoreOutcome {
  const { idColumn, classes } = spec;
  const ansId = answersIndex(answers, idColumn);
  const truthCols = classes.map((c) => answersColumn(answers, c));
  const subId = columnIndex(sub, idColumn);
  if (subId < 0) return fail('missing_column', `submission should have an "${idColumn}" column (found: ${found(sub.columns)})`);
  const missing = classes.filter((c) => columnIndex(sub, c) < 0);
  if (missing.length > 0) return fail('missing_column', `submission is missing the class column(s) ${missing.join(', ')}`);
  const extra = sub.columns.filter((c) => c !== idColumn && !classes.includes(c));
  if (extra.length > 0 || sub.columns.length !== classes.length + 1) {
    return fail('extra_columns', `submission must have exactly the columns ${[idColumn, ...classes].join(',')}; remove ${extra.length > 0 ? found(extra) : 'the duplicated columns'}`);
  }
  if (sub.rows.length !== answers.rows.length) {
    return fail('wrong_row_count', `submission should have one row per test id (${answers.rows.length}, scored or not); got ${sub.rows.length}`);
  }
  const al = alignById(sub, subId, answers, ansId);
  if (typeof al === 'string') return fail('id_mismatch', `submission should have the same "${idColumn}" values as the test set; ${al}`);
  // Upstream scores the submission's columns in the submission's order (a reordered file
  // is scored against the wrong labels, silently); we keep that fidelity.
  const predCols: Float64Array[] = [];
  for (let j = 0; j < sub.columns.length; j++) {
    if (j === subId) continue;
    const col = numericColumn(sub, j);
    if (!col.ok) return fail('non_numeric', `${quote(sub.columns[j] as string)} must be numeric; row ${col.reason.row + 1} has ${quote(col.reason.cell)}`);
    const bad = nonFinite(col.value);
    if (bad >= 0) return fail('nan_or_inf', `${quote(sub.columns[j] as string)} row ${bad + 1} is ${col.value[bad]}; every row needs a finite score`);
    predCols.push(col.value);
  }
  const scored: number[] = [];
  for (let r = 0; r < al.ans.length; r++) {
    let sum = 0;
    for (const col of truthCols) sum += col[al.ans[r] as number] as number;
    if (sum >= 0) scored.push(r);
  }
  return metric(() => {
    let total = 0;
    classes.forEach((name, j) => {
      const truth = Float64Array.from(scored, (r) => (truthCols[j] as Float64Array)[al.ans[r] as number] as number);
      const pred = Float64Array.from(scored, (r) => (predCols[j] as Float64Array)[al.sub[r] as number] as number);
      try {
        total += rocAuc(truth, pred);
      } catch (e) {
        if (e instanceof MetricError) throw new MetricError(`class "${name}": ${e.message}`);
        throw e;
      }
    });
    return total / classes.length;
  });
}

/**
 * Validates and scores a parsed submission against parsed answers. Throws only when the
 * answers themselves are broken (that is a data problem, not the submission's).
 */
export function scoreSubmission(spec: GraderSpec, submission: Table, answers: Table): ScoreOutcome {
  try {
    switch (spec.kind) {
      case 'auc':
        return gradeAuc(spec, submission, answers);
      case 'logloss':
        return gradeLogLoss(spec, submission, answers);
      case 'rmsle':
        return gradeRmsle(spec, submission, answers);
      case 'columnwise-auc':
        return gradeColumnwiseAuc(spec, submission, answers);
      default:
        return assertNever(spec, 'grader kind');
    }
  } catch (e) {
    if (e instanceof AnswersError) throw new ValidationError(`the answers file is broken: ${e.message}; re-run \`exitgym datasets prepare mlebench\` or regenerate the synthetic data.`);
    throw e;
  }
}
