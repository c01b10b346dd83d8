/**
 * Grading time of the TypeScript graders at real submission sizes: the largest is jigsaw
 * (153,164 rows × 7 columns, 63,978 scored). Prints one line per case: rows, CSV size, median
 * parse+grade wall and CPU time of 5 runs (CPU time is the steadier number on a shared machine),
 * and the score (as a sanity check).
 *
 * Run: node --import tsx bench/mlebench-grade.ts
 */
import { gradeSubmission, parseAnswers } from '../envs/mlebench/grading/index.js';
import { auc, jigsawFull, spooky } from './mlebench-cases.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

for (const c of [jigsawFull(), spooky(1958), auc(3325), auc(153_164)]) {
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
