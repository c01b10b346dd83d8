/**
 * The greedy-search scaffold the paper evaluates MLE-bench with (SPEC.md §7): start from one
 * draft; for N steps, improve the best valid solution so far, or debug the latest attempt when it
 * failed (up to `maxDebugDepth` debug steps in a row); the best score after each step is the
 * score-vs-step curve. Works on any single-turn env through the recurrent interface whose step
 * info says whether an attempt failed (`info.error`, or `info.valid: false`) and, optionally, its
 * raw `info.score`; the env decides from the iterate it is given whether a step improves or
 * debugs (MLE-bench's `goalFor`). Envs choose this scaffold with `evalScaffold: 'greedy'`.
 */
import { ConfigError } from '../core/errors.js';
import { baseStart, improveStart, latestIterate } from '../core/start-state.js';
import type { Iterate, Turn } from '../core/types.js';
import type { RecurrentEnv, StepInfo } from '../envs/types.js';
import type { PolicyClient, SamplingOptions } from '../rollout/types.js';

/** What a search step asks for: the draft (a base task), an improvement of the best, or a fix of the latest. */
export type SearchGoal = 'draft' | 'improve' | 'debug';

/** One attempt in the search. */
export interface SearchNode {
  step: number;
  goal: SearchGoal;
  /** The node this attempt improved or debugged (-1 for the draft). */
  parent: number;
  iterate: Iterate;
  /** Raw metric value, or null when invalid. */
  score: number | null;
  valid: boolean;
  /** Consecutive debug steps that led to this node. */
  debugDepth: number;
}

/** Per-step record of the curve. */
export interface SearchStep {
  step: number;
  goal: SearchGoal;
  parent: number;
  quality: number;
  score: number | null;
  valid: boolean;
  /** Best normalised quality and its raw score among valid nodes so far (0 / null if none yet). */
  bestQuality: number;
  bestScore: number | null;
  bestStep: number;
  feedback: string;
  /** The env's step info for this step's attempt. */
  info: StepInfo;
}

export interface GreedySearchOptions {
  env: RecurrentEnv;
  /** Proposes each script; its failures (`ProviderError`) end the search by propagating. */
  client: PolicyClient;
  /** Sampling settings for every call. */
  sampling?: SamplingOptions;
  /** The competition id (the env's task id). */
  taskId: string;
  /** Improvement steps after the draft (the paper uses 16). */
  steps: number;
  /** Debug steps allowed in a row before going back to improving the best (default 3, AIDE's default). */
  maxDebugDepth?: number;
  /** Seeds each model call (seed + step). */
  seed?: number;
  onStep?: (step: SearchStep) => void | Promise<void>;
}

export interface GreedySearchResult {
  nodes: SearchNode[];
  curve: SearchStep[];
  /** Index of the best valid node, or -1 when no attempt was valid. */
  best: number;
}

/** An attempt failed when the env reported an error for it or marked it invalid. */
const failed = (info: StepInfo): boolean => info.error !== undefined || info.valid === false;

/**
 * Which node the next step acts on and how: debug the latest node when it failed and the debug
 * chain is short enough; otherwise improve the best valid node; with no valid node at all, debug
 * the latest anyway (there is nothing better to improve). Pure.
 */
export function nextAction(nodes: readonly SearchNode[], best: number, maxDebugDepth: number): { node: number; goal: 'improve' | 'debug' } {
  const last = nodes.length - 1;
  const latest = nodes[last];
  if (!latest) throw new ConfigError('nextAction needs at least the draft node');
  if (!latest.valid && (latest.debugDepth < maxDebugDepth || best < 0)) return { node: last, goal: 'debug' };
  return { node: best, goal: 'improve' };
}

/**
 * Runs the scaffold: step 0 drafts from the base task, steps 1…N improve or debug.
 *
 * @example
 * const env = await makeEnv('mlebench-aerial-cactus-identification');
 * const { curve } = await greedySearch({ env, client, taskId: 'aerial-cactus-identification', steps: 16 });
 */
export async function greedySearch(opts: GreedySearchOptions): Promise<GreedySearchResult> {
  const { env, client, taskId, steps } = opts;
  if (!Number.isInteger(steps) || steps < 0) throw new ConfigError(`greedySearch: steps must be a non-negative integer; got ${steps}.`);
  const maxDebugDepth = opts.maxDebugDepth ?? 3;
  const seed = opts.seed ?? 0;
  const nodes: SearchNode[] = [];
  const curve: SearchStep[] = [];
  let best = -1;
  let draftInput: Turn['input'] = [];
  for (let step = 0; step <= steps; step++) {
    let parent = -1;
    let goal: SearchGoal = 'draft';
    let start = baseStart(taskId);
    if (step > 0) {
      const next = nextAction(nodes, best, maxDebugDepth);
      parent = next.node;
      goal = next.goal;
      // The draft's request with the chosen node as its only iterate; depth = the search step.
      start = improveStart({ taskId, turns: [{ input: draftInput, iterates: [(nodes[parent] as SearchNode).iterate] }] }, step);
    }
    const reset = await env.reset(start, { seed: seed + step });
    const completion = await client.complete({ ...opts.sampling, messages: reset.observation, seed: seed + step });
    const result = await env.step(completion.text);
    const trace = env.trace();
    if (step === 0) draftInput = trace[0]?.input ?? reset.observation;
    const iterate = latestIterate(trace) as Iterate;
    const valid = !failed(result.info);
    const score = typeof result.info.score === 'number' ? result.info.score : null;
    const parentNode = nodes[parent];
    const debugDepth = goal === 'debug' && parentNode ? parentNode.debugDepth + 1 : 0;
    nodes.push({ step, goal, parent, iterate, score, valid, debugDepth });
    if (valid && (best < 0 || iterate.quality > (nodes[best] as SearchNode).iterate.quality)) best = nodes.length - 1;
    const bestNode = nodes[best];
    const record: SearchStep = {
      step,
      goal,
      parent,
      quality: iterate.quality,
      score,
      valid,
      bestQuality: bestNode?.iterate.quality ?? 0,
      bestScore: bestNode?.score ?? null,
      bestStep: best,
      feedback: (iterate.feedback ?? '').split('\n')[0] ?? '',
      info: result.info,
    };
    curve.push(record);
    await opts.onStep?.(record);
  }
  return { nodes, curve, best };
}
