/**
 * BfclEnv throughput. Prints:
 * - env steps/s while a scripted perfect agent plays all 200 tasks in the test configuration
 *   (the 1,160 ground-truth calls as tool messages plus one <TASK_FINISHED> per request);
 * - base resets/s;
 * - full-episode resets/s: resets from each task's complete perfect history in improve mode,
 *   which replay every kept call (model and ground-truth sides) on fresh API instances.
 *
 * Run: EXITGYM_DATA_DIR=… node --import tsx bench/bfcl-env.ts [--rounds N]
 */
import { parseArgs } from 'node:util';
import { baseStart, improveStart } from '../core/start-state.js';
import type { Turn } from '../core/types.js';
import { loadBfcl } from '../datasets/bfcl.js';
import { BfclEnv } from '../envs/bfcl/env.js';
import { perfectActions } from '../envs/bfcl/scripted-agent.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(1, Number(values.rounds));

const data = await loadBfcl();
const env = new BfclEnv(data, { split: 'all', config: 'test' });
const scripts = new Map(data.tasks.map((t) => [t.id, perfectActions(t).flat()]));
const histories = new Map<string, Turn[]>();

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const stepRates: number[] = [];
const baseResetRates: number[] = [];
const fullResetRates: number[] = [];
let solved = 0;
let steps = 0;
let toolCalls = 0;
for (let round = 0; round < rounds; round++) {
  let stepMs = 0;
  steps = 0;
  toolCalls = 0;
  solved = 0;
  for (const task of data.tasks) {
    await env.reset(baseStart(task.id));
    const t0 = process.hrtime.bigint();
    let reward = 0;
    for (const a of scripts.get(task.id) ?? []) {
      const r = await env.step(a);
      steps++;
      if (a.startsWith('<tool>')) toolCalls++;
      reward = r.reward;
      if (r.terminated || r.truncated) break;
    }
    stepMs += ms(t0);
    solved += reward;
    histories.set(task.id, env.trace());
  }
  stepRates.push(steps / (stepMs / 1000));

  let t0 = process.hrtime.bigint();
  for (const task of data.tasks) await env.reset(baseStart(task.id));
  baseResetRates.push(data.tasks.length / (ms(t0) / 1000));

  t0 = process.hrtime.bigint();
  for (const task of data.tasks) await env.reset(improveStart({ taskId: task.id, turns: histories.get(task.id) ?? [] }, 1));
  fullResetRates.push(data.tasks.length / (ms(t0) / 1000));
}

// A bench of a broken env would time the wrong thing: the script must solve every task with every call.
if (solved !== data.tasks.length || toolCalls !== 1160) {
  throw new Error(`bfcl bench: the perfect agent solved ${solved}/${data.tasks.length} tasks with ${toolCalls} tool calls (expected all, with 1160); fix the env before timing it.`);
}
const mem = process.memoryUsage();
console.log(`bfcl env bench (${rounds} rounds, node ${process.version})`);
console.log(`perfect agent: ${solved}/${data.tasks.length} solved, ${steps} steps per round (${toolCalls} ground-truth tool calls + ${steps - toolCalls} <TASK_FINISHED>)`);
console.log(`env steps/s (replaying all ground-truth calls): ${median(stepRates).toFixed(0)}`);
console.log(`base resets/s: ${median(baseResetRates).toFixed(0)}`);
console.log(`full-episode resets/s (improve from the complete history): ${median(fullResetRates).toFixed(0)}`);
console.log(`rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
