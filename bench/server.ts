/**
 * `exitgym serve` under load from a second process on loopback: steps/s and p50/p99 step latency
 * on math and BFCL at 1, 64 and 512 concurrent sessions. The server runs as a child process (the
 * real CLI); this process drives it with keep-alive HTTP (undici), one connection per session; only
 * steps are timed and counted. The per-request rows come in two modes:
 *
 * - `auto` (the headline rows): each step sends `autoReset: true`, so the step that ends an episode
 *   also starts the next one (Gymnasium/EnvPool autoreset) and a math step is one request; the
 *   session is reset explicitly only once, at the start;
 * - `reset+step`: each session loops reset → step until the episode ends, as a client without
 *   auto-reset does (a math step is then two requests: a reset and a step).
 *
 * Before its first row each workload runs `--warmup` seconds untimed (the math checker's parser
 * starts on its first answer and the JIT needs a few thousand calls), so a short row measures the
 * steady state, not the start.
 *
 * Then the same sessions through `POST /v1/batch`, `--per-batch` sessions' reset + step per request,
 * and first the per-request ceiling (GET /healthz, no env work) that bounds the unbatched rows.
 *
 * Each row also gives the server's CPU time per step (Linux), which depends far less than steps/s on
 * what else runs on the machine, and that other load in cores (busy CPU time of the whole machine
 * less the server's and this process's): on a shared 2-core machine, read steps/s beside it.
 *
 * Run: EXITGYM_DATA_DIR=… node --import tsx bench/server.ts [--seconds 5] [--sessions 1,64,512] [--per-batch 16] [--workloads math,bfcl] [--rows ceiling,auto,reset+step,batch] [--warmup 1] [--env-workers N] [--profile DIR]
 * (`--profile`: the server writes a V8 CPU profile to DIR on exit, for Chrome DevTools.)
 * (without EXITGYM_DATA_DIR: math on the repository's fixture split, BFCL skipped).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, sessions: { type: 'string', default: '1,64,512' }, profile: { type: 'string' }, 'per-batch': { type: 'string', default: '16' }, workloads: { type: 'string', default: 'math,bfcl' }, rows: { type: 'string', default: 'ceiling,auto,reset+step,batch' }, warmup: { type: 'string', default: '1' }, 'env-workers': { type: 'string' } } });
const rows = new Set((values.rows as string).split(','));
const perBatch = Number(values['per-batch']);
const seconds = Number(values.seconds);
const levels = (values.sessions as string).split(',').map(Number);
const dataDir = process.env.EXITGYM_DATA_DIR;
const bfcl = dataDir !== undefined && existsSync(`${dataDir}/bfcl`);

const serverEnv = { ...process.env, EXITGYM_DATA_DIR: dataDir ?? `${root}test/fixtures/math/data` };
const proc = spawn(process.execPath, [...(values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : []), '--import', 'tsx', `${root}cli/main.ts`, 'serve', '--port', '0', '--max-sessions', '600', ...(values['env-workers'] === undefined ? [] : ['--env-workers', values['env-workers']])], { env: serverEnv, stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise<URL>((resolve, reject) => {
  let err = '';
  proc.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    const m = /env server on (http:\/\/\S+?)[;\s]/.exec(err);
    if (m) resolve(new URL(m[1] as string));
  });
  proc.on('exit', (code) => reject(new Error(`exitgym serve exited ${code}: ${err}`)));
});

// undici (Node's own HTTP client library) keeps the load generator's share of these 2 cores small,
// so the numbers are the server's: node:http's client cost about as much CPU per request as the server.
const pool = new Pool(base.origin, { connections: 1024, pipelining: 1 });
async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await pool.request({ method, path, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  return { status: r.statusCode, json: (await r.body.json()) as Record<string, unknown> };
}
const post = (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => call('POST', path, body);

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

/**
 * CPU seconds the server process has used (Linux /proc; NaN elsewhere). Per step it is the
 * server's cost whatever else runs on the machine, which a shared 2-core box makes steps/s not.
 */
function serverCpu(): number {
  try {
    const fields = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the line (11 and 12 after "pid (comm) "), in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds the whole machine has spent busy (all cores, Linux /proc/stat; NaN elsewhere). */
function machineBusy(): number {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    return ((user ?? NaN) + (nice ?? NaN) + (system ?? NaN) + (irq ?? NaN) + (softirq ?? NaN) + (steal ?? NaN)) / 100;
  } catch {
    return NaN;
  }
}

interface Timing {
  wall: number;
  /** The server's CPU seconds. */
  cpu: number;
  /** Cores that other processes (neither the server nor this load generator) kept busy on average. */
  others: number;
}

/** Runs `loop(i)` for each of `n` clients until `secs` have passed. */
async function forSeconds(n: number, loop: (i: number, until: number) => Promise<void>, secs = seconds): Promise<Timing> {
  const until = performance.now() + secs * 1000;
  const t0 = performance.now();
  const [c0, m0, u0] = [serverCpu(), machineBusy(), process.cpuUsage()];
  await Promise.all(Array.from({ length: n }, (_, i) => loop(i, until)));
  const wall = (performance.now() - t0) / 1000;
  const cpu = serverCpu() - c0;
  const mine = process.cpuUsage(u0);
  return { wall, cpu, others: Math.max(0, (machineBusy() - m0 - cpu - (mine.user + mine.system) / 1e6) / wall) };
}

/** `n` sessions of the workload's env, and the base start state its episodes reset to. */
async function openSessions(w: Workload, n: number): Promise<{ ids: string[]; start: Record<string, unknown> }> {
  const ids = await Promise.all(Array.from({ length: n }, async () => (await post('/v1/sessions', { env: w.env, options: w.options })).json.session as string));
  return { ids, start: { taskId: w.taskId, turns: [], mode: 'base', depth: 0 } };
}

/**
 * The same load through `POST /v1/batch`, as an engine that steps its sessions together would
 * send it: the sessions in groups of `perBatch`, each group one client loop whose request carries
 * a reset (when due) and a step for every session of the group. A step's latency is its request's.
 */
async function runBatched(w: Workload, sessions: number, perBatch: number): Promise<void> {
  const { ids, start } = await openSessions(w, sessions);
  const groups = Array.from({ length: Math.ceil(sessions / perBatch) }, (_, g) => ids.slice(g * perBatch, (g + 1) * perBatch));
  const latencies: number[] = [];
  let errors = 0;
  const timing = await forSeconds(groups.length, async (g, until) => {
    const group = groups[g] as string[];
    const ended = new Map(group.map((id) => [id, true]));
    while (performance.now() < until) {
      const ops: Record<string, unknown>[] = [];
      const stepAt: [string, number][] = [];
      for (const id of group) {
        if (ended.get(id)) ops.push({ op: 'reset', session: id, start });
        stepAt.push([id, ops.length]);
        ops.push({ op: 'step', session: id, action: w.action });
      }
      const s = performance.now();
      const r = await post('/v1/batch', { ops });
      const ms = performance.now() - s;
      const results = (r.json.results ?? []) as { status: number; result?: { terminated?: boolean; truncated?: boolean } }[];
      for (const [id, at] of stepAt) {
        const item = results[at];
        latencies.push(ms);
        if (!item || item.status !== 200) errors++;
        ended.set(id, !item || item.status !== 200 || item.result?.terminated === true || item.result?.truncated === true);
      }
    }
  });
  await post('/v1/batch', { ops: ids.map((id) => ({ op: 'delete', session: id })) });
  report(`${w.name} batch/${perBatch}`, sessions, latencies, timing, errors);
}

function report(name: string, sessions: number, latencies: number[], { wall, cpu, others }: Timing, errors: number): void {
  latencies.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(16)} sessions ${String(sessions).padStart(4)}  steps/s ${(latencies.length / wall).toFixed(0).padStart(6)}  p50 ${quantile(latencies, 0.5).toFixed(1).padStart(7)} ms  p99 ${quantile(latencies, 0.99).toFixed(1).padStart(7)} ms  server CPU/step ${((cpu / latencies.length) * 1e6).toFixed(0).padStart(4)} µs  other load ${others.toFixed(2)} cores  steps ${latencies.length}  errors ${errors}`,
  );
}

/**
 * The per-request ceiling of this server, client and machine, with no env work at all: GET
 * /healthz, then a POST with a small JSON body to an unknown session (body read, validation,
 * routing and a 404; a math step is a reset and a step, two of these).
 */
async function ceiling(clients: number): Promise<void> {
  const probes: [string, string, () => Promise<unknown>][] = [
    ['GET /healthz', 'the per-request ceiling: no env work at all', () => call('GET', '/healthz')],
    ['POST (404)', 'the same for a POST with a body', () => post('/v1/sessions/none/step', { action: 'x' })],
  ];
  for (const [name, what, request] of probes) {
    let n = 0;
    const { wall, cpu, others } = await forSeconds(clients, async (_, until) => {
      while (performance.now() < until) {
        await request();
        n++;
      }
    });
    console.log(`${name.padEnd(16)} clients  ${String(clients).padStart(4)}  requests/s ${(n / wall).toFixed(0).padStart(6)}  server CPU/request ${((cpu / n) * 1e6).toFixed(0).padStart(4)} µs  other load ${others.toFixed(2)} cores  (${what})`);
  }
}

/**
 * One request per step per session. `auto`: steps carry `autoReset: true`, and a reset request is
 * sent only at the start (or after a failed step); `reset+step`: a reset request before every episode.
 * With `warmupSecs`, runs that long and reports nothing.
 */
async function run(w: Workload, sessions: number, mode: 'auto' | 'reset+step', warmupSecs?: number): Promise<void> {
  const { ids, start } = await openSessions(w, sessions);
  const stepBody = mode === 'auto' ? { action: w.action, autoReset: true } : { action: w.action };
  const latencies: number[] = [];
  let errors = 0;
  const timing = await forSeconds(sessions, async (i, until) => {
    const id = ids[i] as string;
    let ended = true;
    while (performance.now() < until) {
      if (ended) {
        await post(`/v1/sessions/${id}/reset`, { start });
        ended = false;
      }
      const s = performance.now();
      const r = await post(`/v1/sessions/${id}/step`, stepBody);
      latencies.push(performance.now() - s);
      if (r.status !== 200 || r.json.resetError !== undefined) errors++;
      const over = r.json.terminated === true || r.json.truncated === true;
      ended = r.status !== 200 || (over && r.json.reset === undefined);
    }
  }, warmupSecs ?? seconds);
  await Promise.all(ids.map((id) => call('DELETE', `/v1/sessions/${id}`)));
  if (warmupSecs === undefined) report(`${w.name} ${mode}`, sessions, latencies, timing, errors);
}

try {
  console.log(`exitgym serve at ${base.origin}; ${seconds} s per level${bfcl ? '' : ' (BFCL skipped: set EXITGYM_DATA_DIR)'}`);
  console.log('per-request rows: "auto" = steps with autoReset: true (one request per step); "reset+step" = a reset request before every episode; batch rows: reset + step ops');
  if (rows.has('ceiling')) await ceiling(64);
  const chosen = workloads.filter((w) => (values.workloads as string).split(',').includes(w.name));
  const warmup = Number(values.warmup);
  if (warmup > 0) for (const w of chosen) await run(w, Math.max(...levels), 'reset+step', warmup);
  for (const mode of ['auto', 'reset+step'] as const) {
    if (rows.has(mode)) for (const w of chosen) for (const n of levels) await run(w, n, mode);
  }
  if (rows.has('batch')) for (const w of chosen) for (const n of levels.filter((x) => x >= perBatch)) await runBatched(w, n, perBatch);
} finally {
  await pool.close();
  proc.kill('SIGTERM');
}
