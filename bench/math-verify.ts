/**
 * Math checker speed: checks per second and p50/p99/max latency over a fixed case file
 * (test/fixtures/math/verify-cases.jsonl, or --cases FILE), then over dataset-derived checks when
 * EXITGYM_DATA_DIR is set, then on inputs built to be pathological (which must end quickly, refused
 * by a size cap or stopped by the time limit). The last line checks the target: p99 under 5 ms and no
 * ordinary check over the time limit.
 *
 *   node --import tsx bench/math-verify.ts [--cases FILE] [--rounds N] [--timeout-ms MS]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadMathSplit, MATH_TEST_SPLITS } from '../datasets/math.js';
import { warmUp } from '../envs/math/latex-engine.js';
import { equivalentRewrite, modelStyle } from '../envs/math/rewrite.js';
import { verify } from '../envs/math/verify.js';

const { values } = parseArgs({
  options: { cases: { type: 'string' }, rounds: { type: 'string', default: '5' }, 'timeout-ms': { type: 'string', default: '2000' } },
});
const rounds = Number(values.rounds);
const timeoutMs = Number(values['timeout-ms']);
const casesPath = values.cases ?? new URL('../test/fixtures/math/verify-cases.jsonl', import.meta.url).pathname;

interface Check { gold: string | string[]; pred: string }

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

interface Stats { p99: number; cpuP99: number; overLimit: number }

function run(label: string, checks: Check[], passes: number): Stats {
  const lat: number[] = [];
  const cpu: number[] = [];
  let overLimit = 0;
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) {
    for (const c of checks) {
      const t = performance.now();
      const u = process.cpuUsage();
      const v = verify(c.gold, c.pred, { timeoutMs });
      const du = process.cpuUsage(u);
      lat.push(performance.now() - t);
      cpu.push((du.user + du.system) / 1000);
      if (v.reason.startsWith('time limit')) overLimit++;
    }
  }
  const total = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const f = (x: number): string => x.toFixed(2);
  // Wall time includes preemption by other processes on a shared machine; CPU time is the check's own work.
  console.log(
    `${label.padEnd(32)} n=${String(lat.length).padStart(5)} ${(lat.length / total).toFixed(0).padStart(5)}/s  ` +
      `wall p50=${f(quantile(lat, 0.5))} p99=${f(quantile(lat, 0.99))} max=${f(lat.at(-1) ?? NaN)} ms  ` +
      `cpu p50=${f(quantile(cpu, 0.5))} p99=${f(quantile(cpu, 0.99))} ms  over-limit=${overLimit}`,
  );
  return { p99: quantile(lat, 0.99), cpuP99: quantile(cpu, 0.99), overLimit };
}

const t = performance.now();
warmUp();
console.log(`engine start + first parse: ${(performance.now() - t).toFixed(0)} ms (once per process)`);

const cases = readFileSync(casesPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Check);
const ordinary: Stats[] = [];
ordinary.push(run(`case file, first pass (${cases.length})`, cases, 1));
ordinary.push(run(`case file, ${rounds} warm passes`, cases, rounds));

if (process.env.EXITGYM_DATA_DIR) {
  const checks: Check[] = [];
  for (const split of MATH_TEST_SPLITS) {
    const tasks = await loadMathSplit(split);
    tasks.forEach((task, i) => {
      const a = task.answers[0] as string;
      checks.push({ gold: task.answers, pred: modelStyle(a) });
      const r = equivalentRewrite(a);
      if (r !== undefined) checks.push({ gold: task.answers, pred: modelStyle(r) });
      checks.push({ gold: task.answers, pred: modelStyle(tasks[(i + 1) % tasks.length]?.answers[0] as string) });
    });
  }
  ordinary.push(run('test-set golds, first pass', checks, 1));
  ordinary.push(run('test-set golds, warm pass', checks, 1));
}

const pathological: Check[] = [
  { gold: '5', pred: `\\boxed{${'('.repeat(900)}}` },
  { gold: '5', pred: `\\boxed{2^{2^{2^{2^{1000}}}}}` },
  { gold: 'x', pred: `\\boxed{${'x+'.repeat(480)}x}` },
  { gold: '1', pred: Array.from({ length: 5000 }, (_, k) => `$${k}+x^{${k}}$`).join(' ') },
  { gold: '5', pred: '$'.repeat(20000) },
];
run('pathological inputs', pathological, 1);

const worst = Math.max(...ordinary.map((o) => o.p99));
const over = ordinary.reduce((n, o) => n + o.overLimit, 0);
console.log(
  `target p99 < 5 ms: ${worst < 5 ? 'met' : 'NOT met'} (worst wall p99 ${worst.toFixed(2)} ms, cpu p99 ${Math.max(...ordinary.map((o) => o.cpuP99)).toFixed(2)} ms); ` +
    `ordinary checks over the time limit: ${over}`,
);
