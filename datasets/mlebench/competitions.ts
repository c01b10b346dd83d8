/**
 * The MLE-bench competition registry: the facts exitgym needs about each competition (files,
 * columns, metric and its validation rules, medal thresholds, normalisation range, how to prepare
 * a Kaggle download, how to synthesise stand-in data). Adding a competition is one entry here
 * (plus, optionally, a synthetic generator). Facts follow `data/mlebench/SPEC.md` §3–§5.
 */
import { UnknownIdError } from '../../core/errors.js';

/** How a competition's submission is validated and scored (SPEC.md §2.4, §3). */
export type GraderSpec =
  /** Binary ROC AUC through MLE-bench's AUC helper: ids re-sorted, extra columns ignored. */
  | { kind: 'auc'; idColumn: string; targetColumn: string }
  /** Multi-class log loss (spooky): exactly id + classes, id first, rows sum to 1. */
  | { kind: 'logloss'; idColumn: string; classes: string[] }
  /** Mean column-wise RMSLE (nomad): rows compared by position, ids never read. */
  | { kind: 'rmsle'; targetColumns: string[] }
  /** Mean column-wise ROC AUC over scored rows (jigsaw): answers rows of all -1 are skipped. */
  | { kind: 'columnwise-auc'; idColumn: string; classes: string[] };

/** Medal thresholds from the leaderboard (SPEC.md §2.3). */
export interface MedalThresholds {
  gold: number;
  silver: number;
  bronze: number;
  median: number;
}

/** A worst → best range for normalising a score to [0, 1]. */
export interface ScoreRange {
  worst: number;
  best: number;
}

/** How `exitgym datasets prepare mlebench` turns a Kaggle download into public/private files. */
export type PrepareRecipe =
  | { kind: 'random-split'; testSize: number }
  | { kind: 'kaggle-test' };

export interface Competition {
  id: string;
  name: string;
  /** Train or test split of the paper. */
  split: 'train' | 'test';
  lowerIsBetter: boolean;
  grader: GraderSpec;
  /** Answers file relative to `prepared/private/`. */
  answersFile: string;
  /** Sample submission relative to `prepared/public/`. */
  sampleSubmissionFile: string;
  /** Score of the sample submission on the real answers (SPEC.md). */
  sampleSubmissionScore: number;
  publicFiles: string[];
  medals: MedalThresholds;
  /** The default normalisation range (SPEC.md §5; spooky uses the sane range SPEC recommends). */
  range: ScoreRange;
  /** The range printed in the paper's Table 3 (differs from `range` for spooky only). */
  paperRange: ScoreRange;
  prepare: PrepareRecipe;
}

const AUC_RANGE: ScoreRange = { worst: 0, best: 1 };

/** The six competitions of the paper, in SPEC.md order. */
export const COMPETITIONS: readonly Competition[] = [
  {
    id: 'random-acts-of-pizza',
    name: 'Random Acts of Pizza',
    split: 'train',
    lowerIsBetter: false,
    grader: { kind: 'auc', idColumn: 'request_id', targetColumn: 'requester_received_pizza' },
    answersFile: 'test.csv',
    sampleSubmissionFile: 'sampleSubmission.csv',
    sampleSubmissionScore: 0.5,
    publicFiles: ['train.json', 'test.json', 'train.zip', 'test.zip', 'sampleSubmission.csv', 'description.md'],
    medals: { gold: 0.97908, silver: 0.76482, bronze: 0.6921, median: 0.5996 },
    range: AUC_RANGE,
    paperRange: AUC_RANGE,
    prepare: { kind: 'random-split', testSize: 1631 / 5671 },
  },
  {
    id: 'spooky-author-identification',
    name: 'Spooky Author Identification',
    split: 'train',
    lowerIsBetter: true,
    grader: { kind: 'logloss', idColumn: 'id', classes: ['EAP', 'HPL', 'MWS'] },
    answersFile: 'test.csv',
    sampleSubmissionFile: 'sample_submission.csv',
    sampleSubmissionScore: 1.08468,
    publicFiles: ['train.csv', 'test.csv', 'sample_submission.csv', 'description.md'],
    medals: { gold: 0.16506, silver: 0.26996, bronze: 0.29381, median: 0.418785 },
    // The paper prints 1.5 → 1.0, which saturates at anything better than the prior (SPEC.md §5).
    range: { worst: 1.5, best: 0 },
    paperRange: { worst: 1.5, best: 1.0 },
    prepare: { kind: 'random-split', testSize: 0.1 },
  },
  {
    id: 'detecting-insults-in-social-commentary',
    name: 'Detecting Insults in Social Commentary',
    split: 'train',
    lowerIsBetter: false,
    grader: { kind: 'auc', idColumn: 'Comment', targetColumn: 'Insult' },
    answersFile: 'test.csv',
    sampleSubmissionFile: 'sample_submission_null.csv',
    sampleSubmissionScore: 0.5,
    publicFiles: ['train.csv', 'test.csv', 'sample_submission_null.csv', 'description.md'],
    medals: { gold: 0.83321, silver: 0.82307, bronze: 0.79111, median: 0.77842 },
    range: AUC_RANGE,
    paperRange: AUC_RANGE,
    prepare: { kind: 'kaggle-test' },
  },
  {
    id: 'nomad2018-predict-transparent-conductors',
    name: 'Nomad2018 Predicting Transparent Conductors',
    split: 'test',
    lowerIsBetter: true,
    grader: { kind: 'rmsle', targetColumns: ['formation_energy_ev_natom', 'bandgap_energy_ev'] },
    answersFile: 'test.csv',
    sampleSubmissionFile: 'sample_submission.csv',
    sampleSubmissionScore: 0.21174,
    publicFiles: ['train.csv', 'test.csv', 'sample_submission.csv', 'train/', 'test/', 'description.md'],
    medals: { gold: 0.05589, silver: 0.06229, bronze: 0.06582, median: 0.06988 },
    range: { worst: 1, best: 0 },
    paperRange: { worst: 1, best: 0 },
    prepare: { kind: 'random-split', testSize: 0.1 },
  },
  {
    id: 'jigsaw-toxic-comment-classification-challenge',
    name: 'Toxic Comment Classification Challenge',
    split: 'test',
    lowerIsBetter: false,
    grader: { kind: 'columnwise-auc', idColumn: 'id', classes: ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'] },
    answersFile: 'test.csv',
    sampleSubmissionFile: 'sample_submission.csv',
    sampleSubmissionScore: 0.5,
    publicFiles: ['train.csv', 'test.csv', 'sample_submission.csv', 'description.md'],
    medals: { gold: 0.9874, silver: 0.98668, bronze: 0.98639, median: 0.98079 },
    range: AUC_RANGE,
    paperRange: AUC_RANGE,
    prepare: { kind: 'kaggle-test' },
  },
  {
    id: 'aerial-cactus-identification',
    name: 'Aerial Cactus Identification',
    split: 'test',
    lowerIsBetter: false,
    grader: { kind: 'auc', idColumn: 'id', targetColumn: 'has_cactus' },
    answersFile: 'test.csv',
    sampleSubmissionFile: 'sample_submission.csv',
    sampleSubmissionScore: 0.5,
    publicFiles: ['train.csv', 'sample_submission.csv', 'train.zip', 'test.zip', 'description.md'],
    medals: { gold: 1, silver: 1, bronze: 1, median: 0.9991 },
    range: AUC_RANGE,
    paperRange: AUC_RANGE,
    prepare: { kind: 'random-split', testSize: 0.19 },
  },
];

/** Registered competition ids. */
export function competitionIds(): string[] {
  return COMPETITIONS.map((c) => c.id);
}

/** The competition with this id, or an `UnknownIdError` listing the known ones. */
export function competition(id: string): Competition {
  const found = COMPETITIONS.find((c) => c.id === id);
  if (!found) throw new UnknownIdError('MLE-bench competition', id, competitionIds());
  return found;
}

/** The normalisation range in force (`paper: true` selects the paper's printed Table 3 range). */
export function scoreRange(c: Competition, opts: { paper?: boolean } = {}): ScoreRange {
  return opts.paper ? c.paperRange : c.range;
}
