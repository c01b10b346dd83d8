/**
 * The grader error catalogue of SPEC.md §4, checked mechanically: every (error kind, competition)
 * pair the catalogue lists has a submission here that produces exactly that kind, and the pairs
 * are read back from SPEC.md itself when the data dir is available, so the catalogue and the tests
 * cannot drift apart.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gradeSubmission } from './grade.js';
import type { GradeErrorKind } from './validate.js';

const SHORT = {
  pizza: 'random-acts-of-pizza',
  spooky: 'spooky-author-identification',
  insults: 'detecting-insults-in-social-commentary',
  nomad: 'nomad2018-predict-transparent-conductors',
  jigsaw: 'jigsaw-toxic-comment-classification-challenge',
  cactus: 'aerial-cactus-identification',
} as const;
type Short = keyof typeof SHORT;
const ALL = Object.keys(SHORT) as Short[];
const AUC_COMPS: Short[] = ['pizza', 'insults', 'cactus'];

const KINDS = [
  'no_submission',
  'unreadable_csv',
  'missing_column',
  'wrong_row_count',
  'wrong_shape',
  'non_numeric',
  'out_of_range',
  'rows_not_normalised',
  'id_mismatch',
  'nan_or_inf',
  'extra_columns',
  'metric_error',
] as const satisfies readonly GradeErrorKind[];
// Fails to compile when GradeErrorKind gains a kind this list (and so the catalogue check) misses.
const _exhaustive: GradeErrorKind extends (typeof KINDS)[number] ? true : never = true;
void _exhaustive;

/** SPEC.md §4 as data: the competitions each kind is raised for. */
const CATALOGUE: Record<GradeErrorKind, Short[]> = {
  no_submission: ALL,
  unreadable_csv: ALL,
  missing_column: ALL,
  wrong_row_count: ALL,
  wrong_shape: ['spooky'],
  non_numeric: AUC_COMPS,
  out_of_range: ['pizza', 'insults', 'cactus', 'spooky', 'nomad'],
  rows_not_normalised: ['spooky'],
  id_mismatch: ['pizza', 'insults', 'cactus', 'spooky', 'jigsaw'],
  nan_or_inf: ALL,
  extra_columns: ['jigsaw'],
  metric_error: ALL,
};

/**
 * Where the implementation reports a listed pair under another kind, and why. SPEC.md §4 itself
 * says spooky's row-count check is its shape check (`wrong_shape`: "columns ≠ 4 or rows ≠ N").
 */
const REPORTED_AS: Partial<Record<`${GradeErrorKind}:${Short}`, GradeErrorKind>> = {
  'wrong_row_count:spooky': 'wrong_shape',
};

/**
 * Pairs beyond the catalogue, on purpose: a non-numeric cell is named as such in every competition
 * (upstream it surfaces as a scikit-learn error, `metric_error`, outside the AUC helper), because
 * the feedback is then about the actual mistake.
 */
const EXTRA: Array<[GradeErrorKind, Short]> = [
  ['non_numeric', 'spooky'],
  ['non_numeric', 'nomad'],
  ['non_numeric', 'jigsaw'],
];

const csv = (header: string[], rows: Array<Array<string | number>>): string => `${[header, ...rows].map((r) => r.join(',')).join('\n')}\n`;
const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];

interface Fixture {
  answers: string;
  header: string[];
  /** A valid submission's rows. */
  rows: Array<Array<string | number>>;
  /** Index of the id column and of the first prediction column in `header`. */
  id: number;
  target: number;
  /** Answers that make the metric undefined (single class, or no rows). */
  degenerate: string;
}

const FIXTURES: Record<Short, Fixture> = {
  pizza: {
    answers: csv(['request_id', 'requester_received_pizza'], [['t3_a', 0], ['t3_b', 1], ['t3_c', 0], ['t3_d', 1]]),
    header: ['request_id', 'requester_received_pizza'],
    rows: [['t3_a', 0.1], ['t3_b', 0.9], ['t3_c', 0.2], ['t3_d', 0.8]],
    id: 0,
    target: 1,
    degenerate: csv(['request_id', 'requester_received_pizza'], [['t3_a', 1], ['t3_b', 1], ['t3_c', 1], ['t3_d', 1]]),
  },
  insults: {
    answers: csv(['Insult', 'Date', 'Comment', 'Usage'], [[1, '', '"""you idiot"""', 'PublicTest'], [0, '20120618192155Z', '"""nice point"""', 'PrivateTest'], [0, '', '"""fair"""', 'PublicTest']]),
    header: ['Insult', 'Date', 'Comment'],
    rows: [[0.9, '', '"""you idiot"""'], [0.1, '20120618192155Z', '"""nice point"""'], [0.2, '', '"""fair"""']],
    id: 2,
    target: 0,
    degenerate: csv(['Insult', 'Date', 'Comment', 'Usage'], [[0, '', '"""you idiot"""', 'PublicTest'], [0, '', '"""nice point"""', 'PrivateTest'], [0, '', '"""fair"""', 'PublicTest']]),
  },
  cactus: {
    answers: csv(['id', 'has_cactus'], [['aa.jpg', 1], ['bb.jpg', 0], ['cc.jpg', 1]]),
    header: ['id', 'has_cactus'],
    rows: [['aa.jpg', 0.7], ['bb.jpg', 0.2], ['cc.jpg', 0.9]],
    id: 0,
    target: 1,
    degenerate: csv(['id', 'has_cactus'], [['aa.jpg', 1], ['bb.jpg', 1], ['cc.jpg', 1]]),
  },
  spooky: {
    answers: csv(['id', 'EAP', 'HPL', 'MWS'], [['id00001', 1, 0, 0], ['id00002', 0, 1, 0], ['id00003', 0, 0, 1]]),
    header: ['id', 'EAP', 'HPL', 'MWS'],
    rows: [['id00001', 0.5, 0.25, 0.25], ['id00002', 0.2, 0.6, 0.2], ['id00003', 0.1, 0.1, 0.8]],
    id: 0,
    target: 1,
    degenerate: csv(['id', 'EAP', 'HPL', 'MWS'], []),
  },
  nomad: {
    answers: csv(['id', 'spacegroup', 'formation_energy_ev_natom', 'bandgap_energy_ev'], [[1, 12, 0.1, 2.0], [2, 33, 0.2, 3.1], [3, 227, 0.05, 1.2]]),
    header: ['id', 'formation_energy_ev_natom', 'bandgap_energy_ev'],
    rows: [[1, 0.12, 2.1], [2, 0.18, 3.0], [3, 0.07, 1.4]],
    id: 0,
    target: 1,
    degenerate: csv(['id', 'spacegroup', 'formation_energy_ev_natom', 'bandgap_energy_ev'], []),
  },
  jigsaw: {
    answers: csv(['id', ...LABELS], [['a', 1, 1, 1, 1, 1, 1], ['b', 0, 0, 0, 0, 0, 0], ['c', -1, -1, -1, -1, -1, -1], ['d', 1, 0, 1, 0, 1, 0]]),
    header: ['id', ...LABELS],
    rows: [['a', 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], ['b', 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], ['c', 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], ['d', 0.8, 0.2, 0.8, 0.2, 0.8, 0.2]],
    id: 0,
    target: 1,
    // "threat" has no positive among the scored rows.
    degenerate: csv(['id', ...LABELS], [['a', 1, 1, 1, 0, 1, 1], ['b', 0, 0, 0, 0, 0, 0], ['c', -1, -1, -1, -1, -1, -1], ['d', 1, 0, 1, 0, 1, 0]]),
  },
};

const setCell = (f: Fixture, row: number, col: number, value: string | number): string => csv(f.header, f.rows.map((r, i) => (i === row ? r.map((v, j) => (j === col ? value : v)) : r)));
const dropColumn = (f: Fixture, col: number): string => csv(f.header.filter((_, j) => j !== col), f.rows.map((r) => r.filter((_, j) => j !== col)));

/** A submission (and, where needed, answers) that must produce `kind` for competition `s`. */
function makeCase(kind: GradeErrorKind, s: Short): { submission: string | undefined; answers?: string } {
  const f = FIXTURES[s];
  switch (kind) {
    case 'no_submission':
      return { submission: undefined };
    case 'unreadable_csv':
      return { submission: `${f.header.join(',')}\n"${f.rows[0]?.join(',')}\n` };
    case 'missing_column':
      // Nomad never reads ids, so only a target can be missing there. Spooky checks its shape
      // first, so its id column is renamed rather than dropped.
      if (s === 'spooky') return { submission: csv(['ID', ...f.header.slice(1)], f.rows) };
      return { submission: dropColumn(f, s === 'nomad' ? f.target : f.id) };
    case 'wrong_row_count':
      return { submission: csv(f.header, f.rows.slice(0, -1)) };
    case 'wrong_shape':
      return { submission: csv([...f.header, 'extra'], f.rows.map((r) => [...r, 0])) };
    case 'non_numeric':
      return { submission: setCell(f, 1, f.target, 'high') };
    case 'out_of_range':
      // Spooky: the row still sums to 1, so the range check is what fails.
      if (s === 'spooky') return { submission: csv(f.header, [['id00001', 1.5, -0.5, 0], ...f.rows.slice(1)]) };
      return { submission: setCell(f, 1, f.target, s === 'nomad' ? -0.1 : 1.5) };
    case 'rows_not_normalised':
      return { submission: setCell(f, 0, f.target, 0.9) };
    case 'id_mismatch':
      return { submission: setCell(f, 1, f.id, s === 'insults' ? '"""someone else"""' : 'zz-not-an-answer-id') };
    case 'nan_or_inf':
      return { submission: setCell(f, 1, f.target, s === 'nomad' || s === 'jigsaw' ? 'inf' : '') };
    case 'extra_columns':
      return { submission: csv([...f.header, 'comment_text'], f.rows.map((r) => [...r, 'text'])) };
    case 'metric_error':
      return { submission: csv(f.header, f.degenerate.trim().split('\n').length > 1 ? f.rows : []), answers: f.degenerate };
    default:
      throw new Error(`no case for ${String(kind)}`);
  }
}

/** Parses the §4 table of SPEC.md into kind → competitions. */
function parseCatalogue(spec: string): Record<string, Short[]> {
  const section = spec.slice(spec.indexOf('## 4.'), spec.indexOf('## 5.'));
  const out: Record<string, Short[]> = {};
  for (const line of section.split('\n')) {
    const m = /^\| `(\w+)` \| .* \| ([^|]+) \|$/.exec(line.trim());
    if (!m) continue;
    const who = (m[2] as string).trim();
    if (who.startsWith('all')) out[m[1] as string] = ALL;
    else if (who.startsWith('AUC comps')) out[m[1] as string] = AUC_COMPS;
    else {
      out[m[1] as string] = who.split(',').map((w) => {
        const name = w.trim();
        assert.ok(name in SHORT, `SPEC.md §4 names an unknown competition "${name}"`);
        return name as Short;
      });
    }
  }
  return out;
}

test('sanity: every fixture submission is valid as written', () => {
  for (const s of ALL) {
    const f = FIXTURES[s];
    const r = gradeSubmission(SHORT[s], csv(f.header, f.rows), f.answers);
    assert.equal(r.valid, true, `${s}: ${r.error}`);
  }
});

describe('SPEC.md §4: every error kind, for every competition it lists', () => {
  const pairs: Array<[GradeErrorKind, Short]> = [...KINDS.flatMap((k) => CATALOGUE[k].map((s) => [k, s] as [GradeErrorKind, Short])), ...EXTRA];
  for (const [kind, s] of pairs) {
    const expected = REPORTED_AS[`${kind}:${s}`] ?? kind;
    test(`${kind} / ${s}${expected !== kind ? ` (reported as ${expected})` : ''}`, () => {
      const c = makeCase(kind, s);
      const r = gradeSubmission(SHORT[s], c.submission, c.answers ?? FIXTURES[s].answers);
      assert.equal(r.errorKind, expected, r.error ?? 'valid');
      assert.equal(r.valid, false);
      assert.equal(r.score, null);
      assert.equal(r.normalized, 0);
      assert.equal(r.medal, null);
      assert.ok(r.error && r.error.length > 0 && !r.error.includes('\n'), `one line: ${r.error}`);
    });
  }

  test('the upstream quirks around ids: nomad ignores them, spooky wants id first', () => {
    const nomad = FIXTURES.nomad;
    assert.equal(gradeSubmission(SHORT.nomad, dropColumn(nomad, nomad.id), nomad.answers).valid, true, 'nomad without ids is valid (rows by position)');
    const sp = FIXTURES.spooky;
    const idLast = csv(['EAP', 'HPL', 'MWS', 'id'], sp.rows.map((r) => [...r.slice(1), r[0] as string]));
    assert.equal(gradeSubmission(SHORT.spooky, idLast, sp.answers).errorKind, 'wrong_shape');
  });
});

test('the catalogue above is SPEC.md §4, pair for pair', async (t) => {
  const dir = process.env.EXITGYM_DATA_DIR;
  if (!dir) return t.skip('EXITGYM_DATA_DIR not set');
  const spec = parseCatalogue(await readFile(join(dir, 'mlebench', 'SPEC.md'), 'utf8'));
  assert.deepEqual(Object.keys(spec).sort(), [...KINDS].sort(), 'the same kinds');
  for (const k of KINDS) assert.deepEqual([...(spec[k] ?? [])].sort(), [...CATALOGUE[k]].sort(), `competitions of ${k}`);
});
