/**
 * Shared helpers of the BFCL env tests: load the data once, build envs, play scripted episodes.
 */
import { loadBfcl, type BfclData } from '../../datasets/bfcl.js';
import { baseStart } from '../../core/start-state.js';
import type { StartState } from '../../core/types.js';
import { BfclEnv } from '../../envs/bfcl/env.js';
import type { BfclEnvOptions } from '../../envs/bfcl/options.js';
import type { StepResult } from '../../envs/types.js';

export const DATA_DIR = process.env.EXITGYM_DATA_DIR;

let data: Promise<BfclData> | undefined;
export function bfclData(): Promise<BfclData> {
  data ??= loadBfcl();
  return data;
}

export async function makeBfclEnv(options: BfclEnvOptions = {}): Promise<BfclEnv> {
  return new BfclEnv(await bfclData(), { split: 'all', ...options });
}

export const base = baseStart;

/** Steps through `actions` until the episode ends (or the actions run out); returns every step. */
export async function play(env: BfclEnv, start: StartState, actions: readonly string[]): Promise<StepResult[]> {
  await env.reset(start);
  const out: StepResult[] = [];
  for (const a of actions) {
    const r = await env.step(a);
    out.push(r);
    if (r.terminated || r.truncated) break;
  }
  return out;
}

/** The last step of a played episode. */
export function last(steps: StepResult[]): StepResult {
  const r = steps[steps.length - 1];
  if (!r) throw new Error('no steps were played');
  return r;
}
