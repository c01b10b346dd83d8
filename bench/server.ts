/**
 * `exitgym serve` under load from a second process on loopback: steps/s and p50/p99 step latency
 * on math and BFCL at 1, 64 and 512 concurrent sessions. The server runs as a child process (the
 * real CLI); this process drives it with keep-alive HTTP, one connection per session. Each
 * session loops reset → step until the episode ends; only steps are timed and counted.
 *
 * Run: EXITGYM_DATA_DIR=… node --import tsx bench/server.ts [--seconds 5] [--sessions 1,64,512]
 * (without EXITGYM_DATA_DIR: math on the repository's fixture split, BFCL skipped).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, sessions: { type: 'string', default: '1,64,512' } } });
const seconds = Number(values.seconds);
const levels = (values.sessions as string).split(',').map(Number);
const dataDir = process.env.EXITGYM_DATA_DIR;
const bfcl = dataDir !== undefined && existsSync(`${dataDir}/bfcl`);

const serverEnv = { ...process.env, EXITGYM_DATA_DIR: dataDir ?? `${root}test/fixtures/math/data` };
const proc = spawn(process.execPath, ['--import', 'tsx', `${root}cli/main.ts`, 'serve', '--port', '0', '--max-sessions', '600'], { env: serverEnv, stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise<URL>((resolve, reject) => {
  let err = '';
  proc.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    const m = /env server on (http:\/\/\S+?)[;\s]/.exec(err);
    if (m) resolve(new URL(m[1] as string));
  });
  proc.on('exit', (code) => reject(new Error(`exitgym serve exited ${code}: ${err}`)));
});

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

interface Workload {
  name: string;
  env: string;
  options: Record<string, unknown>;
  taskId: string;
  action: string;
}
const workloads: Workload[] = [
  { name: 'math', env: 'math', options: { split: 'math500' }, taskId: 'math500/1', action: 'So the point is $\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}$.' },
  ...(bfcl ? [{ name: 'bfcl', env: 'bfcl', options: { split: 'train', config: 'train' }, taskId: 'multi_turn_base_101', action: '<tool>[{"name": "get_current_time", "args": {}}]</tool>' }] : []),
];

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function run(w: Workload, sessions: number): Promise<void> {
  const ids = await Promise.all(Array.from({ length: sessions }, async () => (await post('/v1/sessions', { env: w.env, options: w.options })).json.session as string));
  const latencies: number[] = [];
  let errors = 0;
  const start = { taskId: w.taskId, turns: [], mode: 'base', depth: 0 };
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      let ended = true;
      while (performance.now() < until) {
        if (ended) {
          await post(`/v1/sessions/${id}/reset`, { start });
          ended = false;
        }
        const s = performance.now();
        const r = await post(`/v1/sessions/${id}/step`, { action: w.action });
        latencies.push(performance.now() - s);
        if (r.status !== 200) errors++;
        ended = r.status !== 200 || r.json.terminated === true || r.json.truncated === true;
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  await Promise.all(ids.map((id) => new Promise<void>((resolve) => request({ host: base.hostname, port: base.port, path: `/v1/sessions/${id}`, method: 'DELETE', agent }, (res) => res.resume().on('end', resolve)).end())));
  latencies.sort((a, b) => a - b);
  console.log(
    `${w.name.padEnd(5)} sessions ${String(sessions).padStart(4)}  steps/s ${(latencies.length / wall).toFixed(0).padStart(6)}  p50 ${quantile(latencies, 0.5).toFixed(1).padStart(7)} ms  p99 ${quantile(latencies, 0.99).toFixed(1).padStart(7)} ms  steps ${latencies.length}  errors ${errors}`,
  );
}

try {
  console.log(`exitgym serve at ${base.origin}; ${seconds} s per level${bfcl ? '' : ' (BFCL skipped: set EXITGYM_DATA_DIR)'}`);
  for (const w of workloads) for (const n of levels) await run(w, n);
} finally {
  agent.destroy();
  proc.kill('SIGTERM');
}
