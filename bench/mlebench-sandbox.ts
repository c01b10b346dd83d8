/**
 * What one MLE-bench step costs besides the script itself:
 * - sandbox start-up latency: the time of a whole `run()` (folder, cgroups, bubblewrap or container
 *   create/attach/start/wait/remove, cleanup) for a command that does nothing, against a bare spawn;
 * - grading time of the largest submission, jigsaw-sized (153,164 rows × 7 columns, 63,978 scored),
 *   from the collected bytes to the report, as the env does it (answers parsed once, at load).
 *
 *   node --import tsx bench/mlebench-sandbox.ts [--runs 20] [--concurrency 8]
 *
 * Docker is measured when DOCKER_HOST answers and has the image; otherwise the line says why not.
 * bench/mlebench-grade.ts has the grading times of the other competitions.
 */
import { spawn } from 'node:child_process';
import { gradeSubmission, parseAnswers } from '../envs/mlebench/grading/index.js';
import { DockerSandbox } from '../envs/mlebench/sandbox/docker.js';
import { DEFAULT_PYTHON } from '../envs/mlebench/sandbox/env.js';
import { findBwrap, LocalSandbox } from '../envs/mlebench/sandbox/local.js';
import type { Sandbox } from '../envs/mlebench/sandbox/types.js';
import { jigsawFull } from './mlebench-cases.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const runs = flag('runs', 20);
const concurrency = flag('concurrency', 8);

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
  return `median ${q(0.5).toFixed(1)} ms  min ${(s[0] as number).toFixed(1)}  p90 ${q(0.9).toFixed(1)}  max ${(s[s.length - 1] as number).toFixed(1)}  (n=${s.length})`;
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up: page cache, image layers, cgroup parents
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

function bare(cmd: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd[0] as string, cmd.slice(1), { stdio: 'ignore' });
    c.on('error', reject);
    c.on('close', () => resolve());
  });
}

async function measure(name: string, sb: Sandbox): Promise<void> {
  const ok = async (cmd: string[]): Promise<void> => {
    const r = await sb.run([{ path: 'x.py', content: 'pass\n' }], cmd, { wallSeconds: 60 });
    if (r.exitCode !== 0) throw new Error(`${name}: ${cmd.join(' ')} exited ${String(r.exitCode)}: ${r.stderr}`);
  };
  console.log(`${name.padEnd(8)} /bin/true         ${summary(await time(() => ok(['/bin/true'])))}`);
  console.log(`${name.padEnd(8)} python3 x.py      ${summary(await time(() => ok([DEFAULT_PYTHON, 'x.py'])))}`);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => ok([DEFAULT_PYTHON, 'x.py'])));
  console.log(`${name.padEnd(8)} ${concurrency} concurrent python3 runs: ${(performance.now() - t0).toFixed(0)} ms in all`);
  await sb.close();
}

console.log(`sandbox start-up latency, ${runs} sequential runs after one warm-up`);
console.log(`bare     /bin/true         ${summary(await time(() => bare(['/bin/true'])))}`);
console.log(`bare     python3 -c pass   ${summary(await time(() => bare([DEFAULT_PYTHON, '-c', 'pass'])))}`);
if (findBwrap()) await measure('local', new LocalSandbox());
else console.log('local    skipped: bubblewrap not installed');
const docker = new DockerSandbox();
const probe = await docker.probe();
if (probe.ok) await measure('docker', docker);
else console.log(`docker   skipped: ${probe.reason}`);

{
  const c = jigsawFull();
  const bytes = new TextEncoder().encode(c.submission);
  const t0 = performance.now();
  const answers = parseAnswers(c.answers, c.competition);
  const parseMs = performance.now() - t0;
  let score: number | null = null;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 1 + Math.min(runs, 5); i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    score = gradeSubmission(c.competition, bytes, answers).score;
    const w = performance.now() - w0;
    const u = process.cpuUsage(c0);
    // The first call warms up the JIT; it is not counted.
    if (i > 0) {
      wall.push(w);
      cpu.push((u.user + u.system) / 1000);
    }
  }
  console.log(
    `grading  jigsaw, ${c.rows} rows (${(bytes.length / 1024 ** 2).toFixed(1)} MB): ${summary(wall)}; CPU median ${[...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)]?.toFixed(0)} ms ` +
      `(answers parsed once at load: ${parseMs.toFixed(0)} ms; score ${score})`,
  );
}
