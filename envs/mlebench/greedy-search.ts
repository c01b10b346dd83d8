/**
 * The greedy-search scaffold the paper evaluates MLE-bench with (SPEC.md §7): start from one
 * draft; for N steps, improve the best valid solution so far, or debug the latest attempt when it
 * failed (up to `maxDebugDepth` debug steps in a row); the best score after each step is the
 * score-vs-step curve. Works on any MLE-bench env through the recurrent interface.
 */
import { ConfigError } from '../../core/errors.js';
import type { Iterate, Message, StartState, Turn } from '../../core/types.js';
import { baseStart } from '../../core/start-state.js';
import type { RecurrentEnv } from '../types.js';
import { FAILURE_PREFIX } from './env.js';
import type { MleGoal } from './prompt.js';

/** What proposes a script: any chat client (exitgym's `PolicyClient` fits). */
export interface Proposer {
  complete(request: { messages: Message[]; seed?: number }): Promise<{ text: string }>;
}

/** One attempt in the search. */
export interface SearchNode {
  step: number;
  goal: MleGoal;
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
  goal: MleGoal;
  parent: number;
  quality: number;
  score: number | null;
  valid: boolean;
  /** Best normalised quality and its raw score among valid nodes so far (0 / null if none yet). */
  bestQuality: number;
  bestScore: number | null;
  bestStep: number;
  feedback: string;
}

export interface GreedySearchOptions {
  env: RecurrentEnv;
  proposer: Proposer;
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

const failed = (it: Iterate): boolean => it.feedback?.startsWith(FAILURE_PREFIX) ?? false;

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

function startFor(taskId: string, input: Turn['input'], node: SearchNode, depth: number): StartState {
  return { taskId, turns: [{ input, iterates: [node.iterate] }], mode: 'improve', depth };
}

/**
 * Runs the scaffold: step 0 drafts from the base task, steps 1…N improve or debug.
 *
 * @example
 * const env = await makeEnv('mlebench-aerial-cactus-identification');
 * const { curve } = await greedySearch({ env, proposer: client, taskId: 'aerial-cactus-identification', steps: 16 });
 */
export async function greedySearch(opts: GreedySearchOptions): Promise<GreedySearchResult> {
  const { env, proposer, taskId, steps } = opts;
  if (!Number.isInteger(steps) || steps < 0) throw new ConfigError(`greedySearch: steps must be a non-negative integer; got ${steps}.`);
  const maxDebugDepth = opts.maxDebugDepth ?? 3;
  const seed = opts.seed ?? 0;
  const nodes: SearchNode[] = [];
  const curve: SearchStep[] = [];
  let best = -1;
  let draftInput: Turn['input'] = [];
  for (let step = 0; step <= steps; step++) {
    let parent = -1;
    let goal: MleGoal = 'draft';
    let start: StartState = baseStart(taskId);
    if (step > 0) {
      const next = nextAction(nodes, best, maxDebugDepth);
      parent = next.node;
      goal = next.goal;
      start = startFor(taskId, draftInput, nodes[parent] as SearchNode, step);
    }
    const reset = await env.reset(start, { seed: seed + step });
    const completion = await proposer.complete({ messages: reset.observation, seed: seed + step });
    const result = await env.step(completion.text);
    const trace = env.trace();
    if (step === 0) draftInput = trace[0]?.input ?? reset.observation;
    const lastTurn = trace[trace.length - 1];
    const iterate = lastTurn?.iterates[lastTurn.iterates.length - 1] as Iterate;
    const valid = !failed(iterate) && result.info.valid !== false;
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
    };
    curve.push(record);
    await opts.onStep?.(record);
  }
  return { nodes, curve, best };
}
