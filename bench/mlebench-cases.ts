/**
 * Submissions at real MLE-bench sizes for the grading benches: answers and a shuffled, noisy but
 * informative submission per case, from a seeded stream (the same bytes every run).
 */
import { Rng } from '../core/rng.js';
import { toCsv } from '../datasets/mlebench/synthetic/common.js';

const rng = Rng.fromSeed(1);
const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');

export interface Case {
  name: string;
  competition: string;
  answers: string;
  submission: string;
  rows: number;
}

export function jigsaw(n: number, scoredShare: number): Case {
  const labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];
  const ids = Array.from({ length: n }, () => hex(16));
  const truth = ids.map(() => (rng.bool(scoredShare) ? labels.map(() => (rng.bool(0.1) ? 1 : 0)) : labels.map(() => -1)));
  const answers = toCsv(['id', ...labels], ids.map((id, i) => [id, ...(truth[i] as number[])]));
  const order = rng.shuffle(ids.map((_, i) => i));
  const submission = toCsv(['id', ...labels], order.map((i) => [ids[i] as string, ...(truth[i] as number[]).map((y) => Math.min(1, Math.max(0, 0.3 * y + rng.next() * 0.7)))]));
  return { name: 'jigsaw (column-wise AUC)', competition: 'jigsaw-toxic-comment-classification-challenge', answers, submission, rows: n };
}

export function spooky(n: number): Case {
  const ids = Array.from({ length: n }, (_, i) => `id${String(i).padStart(5, '0')}`);
  const author = ids.map(() => rng.int(3));
  const answers = toCsv(['id', 'EAP', 'HPL', 'MWS'], ids.map((id, i) => [id, ...[0, 1, 2].map((k) => (k === author[i] ? 1 : 0))]));
  const submission = toCsv(['id', 'EAP', 'HPL', 'MWS'], ids.map((id, i) => {
    const p = [0, 1, 2].map((k) => (k === author[i] ? 2 : 1) * rng.next() + 0.01);
    const s = p.reduce((a, b) => a + b, 0);
    return [id, ...p.map((x) => x / s)];
  }));
  return { name: 'spooky (log loss)', competition: 'spooky-author-identification', answers, submission, rows: n };
}

export function auc(n: number): Case {
  const ids = Array.from({ length: n }, () => `${hex(32)}.jpg`);
  const y = ids.map(() => (rng.bool(0.75) ? 1 : 0));
  const answers = toCsv(['id', 'has_cactus'], ids.map((id, i) => [id, y[i] as number]));
  const submission = toCsv(['id', 'has_cactus'], ids.map((id, i) => [id, Math.round((0.4 * (y[i] as number) + 0.6 * rng.next()) * 100) / 100]));
  return { name: 'cactus (AUC, many ties)', competition: 'aerial-cactus-identification', answers, submission, rows: n };
}

/** The largest submission of the six: jigsaw's 153,164 test rows (63,978 scored). */
export const jigsawFull = (): Case => jigsaw(153_164, 63_978 / 153_164);
