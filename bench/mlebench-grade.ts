/**
 * Grading time of the TypeScript graders at real submission sizes: the largest is jigsaw
 * (153,164 rows × 7 columns, 63,978 scored). Prints one line per case: rows, CSV size, median
 * parse+grade wall and CPU time of 5 runs (CPU time is the steadier number on a shared machine),
 * and the score (as a sanity check).
 *
 * Run: node --import tsx bench/mlebench-grade.ts
 */
import { Rng } from '../core/rng.js';
import { toCsv } from '../datasets/mlebench/synthetic/common.js';
import { gradeSubmission, parseAnswers } from '../envs/mlebench/grading/index.js';

const rng = Rng.fromSeed(1);
const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');

interface Case {
  name: string;
  competition: string;
  answers: string;
  submission: string;
  rows: number;
}

function jigsaw(n: number, scoredShare: number): Case {
  const labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];
  const ids = Array.from({ length: n }, () => hex(16));
  const truth = ids.map(() => (rng.bool(scoredShare) ? labels.map(() => (rng.bool(0.1) ? 1 : 0)) : labels.map(() => -1)));
  const answers = toCsv(['id', ...labels], ids.map((id, i) => [id, ...(truth[i] as number[])]));
  const order = rng.shuffle(ids.map((_, i) => i));
  const submission = toCsv(['id', ...labels], order.map((i) => [ids[i] as string, ...(truth[i] as number[]).map((y) => Math.min(1, Math.max(0, 0.3 * y + rng.next() * 0.7)))]));
  return { name: 'jigsaw (column-wise AUC)', competition: 'jigsaw-toxic-comment-classification-challenge', answers, submission, rows: n };
}

function spooky(n: number): Case {
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

function auc(n: number): Case {
  const ids = Array.from({ length: n }, () => `${hex(32)}.jpg`);
  const y = ids.map(() => (rng.bool(0.75) ? 1 : 0));
  const answers = toCsv(['id', 'has_cactus'], ids.map((id, i) => [id, y[i] as number]));
  const submission = toCsv(['id', 'has_cactus'], ids.map((id, i) => [id, Math.round((0.4 * (y[i] as number) + 0.6 * rng.next()) * 100) / 100]));
  return { name: 'cactus (AUC, many ties)', competition: 'aerial-cactus-identification', answers, submission, rows: n };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

for (const c of [jigsaw(153_164, 63_978 / 153_164), spooky(1958), auc(3325), auc(153_164)]) {
  const times: number[] = [];
  const cpu: number[] = [];
  const parseOnly: number[] = [];
  let score: number | null = null;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const answers = parseAnswers(c.answers, c.competition);
    const t1 = performance.now();
    const c0 = process.cpuUsage();
    score = gradeSubmission(c.competition, c.submission, answers).score;
    const c1 = process.cpuUsage(c0);
    const t2 = performance.now();
    cpu.push((c1.user + c1.system) / 1000);
    parseOnly.push(t1 - t0);
    times.push(t2 - t1);
  }
  const mb = (Buffer.byteLength(c.submission) / 1024 ** 2).toFixed(1);
  console.log(`${c.name.padEnd(26)} rows ${String(c.rows).padStart(7)}  submission ${mb.padStart(5)} MB  grade ${median(times).toFixed(0).padStart(5)} ms wall, ${median(cpu).toFixed(0).padStart(5)} ms CPU (parse answers ${median(parseOnly).toFixed(0)} ms)  score ${score}`);
}
