/**
 * The single-turn math env on the recurrent interface: one answer per episode, reward 1 when the
 * final answer verifies against the gold, else 0. Improve and diverge start states show the paper's
 * prompts around the problem and the latest answer; math has no world state to rebuild.
 */
import type { Rng } from '../../core/rng.js';
import { answerText, checkHistoryTask, iterateKind, latestIterate } from '../../core/start-state.js';
import type { StartState, Turn } from '../../core/types.js';
import { loadMathSplit, type MathTask } from '../../datasets/math.js';
import { BaseEnv } from '../base.js';
import { iterationPrompt } from '../prompts.js';
import type { EnvSpec, ResetResult, StepResult } from '../types.js';
import { mathOptions, type MathEnvOptions } from './options.js';
import { findMathTask, mathPrompt } from './tasks.js';
import { verify } from './verify.js';

export const MATH_SPEC: EnvSpec = {
  id: 'math',
  domain: 'math',
  qualityRange: [0, 1],
  rewardRange: [0, 1],
  budgets: { maxSteps: 1 },
  description: 'Competition math, single turn: reward 1 when the boxed final answer verifies against the gold.',
};

/**
 * @example
 * const env = await createMathEnv({ split: 'math500' });
 * const { observation } = await env.reset(baseStart('math500/0'));
 * const r = await env.step('... so the answer is $\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$');
 * r.reward // 1
 */
export class MathEnv extends BaseEnv {
  readonly spec = MATH_SPEC;
  private task: MathTask | undefined;
  private turns: Turn[] = [];

  constructor(
    private readonly tasks: readonly MathTask[],
    private readonly split: string,
    private readonly verifyTimeoutMs = 2000,
  ) {
    super();
  }

  /** The task of the current episode (after reset). */
  get currentTask(): MathTask | undefined {
    return this.task;
  }

  protected async resetToStart(start: StartState, _rng: Rng): Promise<ResetResult> {
    const task = findMathTask(this.tasks, this.split, start.taskId);
    const prompt = mathPrompt(task);
    checkHistoryTask('math', start, (input) => input.some((m) => m.role === 'user' && m.content === prompt), prompt);
    this.task = task;
    this.turns = start.turns;
    const info = { taskId: start.taskId, rowId: task.id, split: this.split, ...(task.steps !== undefined ? { steps: task.steps } : {}) };
    if (start.mode === 'base') {
      this.turns = [{ input: [{ role: 'user', content: mathPrompt(task) }], iterates: [] }];
      return { observation: [{ role: 'user', content: mathPrompt(task) }], info };
    }
    // validateStartState guarantees a last turn with an iterate in these modes.
    const last = this.turns[this.turns.length - 1] as Turn;
    const instruction = last.input.map((m) => m.content).join('\n\n') || mathPrompt(task);
    // Math's previous answer is the model's text alone (core/start-state.ts `AnswerView`).
    const previousResponse = answerText(latestIterate(last)?.response ?? [], 'assistant');
    return { observation: [{ role: 'user', content: iterationPrompt(start.mode, { instruction, previousResponse }) }], info };
  }

  protected async stepEnv(action: string): Promise<StepResult> {
    const task = this.task as MathTask;
    const verdict = verify(task.answers, action, { timeoutMs: this.verifyTimeoutMs });
    const quality = verdict.correct ? 1 : 0;
    const feedback = verdict.correct
      ? `Correct: the final answer ${verdict.extracted ?? ''} matches.`
      : verdict.extracted === undefined
        ? 'No final answer found; put the final answer in \\boxed{}.'
        : `Incorrect: the final answer ${verdict.extracted} is wrong (${verdict.reason}).`;
    const kind = iterateKind(this.start?.mode ?? 'base');
    const last = this.turns[this.turns.length - 1] as Turn;
    last.iterates.push({ response: [{ role: 'assistant', content: action }], quality, feedback, kind });
    const error = verdict.correct || verdict.reason === 'not equal' ? undefined : verdict.reason;
    return {
      observation: [],
      reward: quality,
      terminated: true,
      truncated: false,
      info: {
        turn: this.turns.length - 1,
        quality,
        feedback,
        ...(error !== undefined ? { error } : {}),
        correct: verdict.correct,
        extracted: verdict.extracted ?? null,
        reason: verdict.reason,
        ...(task.steps !== undefined ? { steps: task.steps } : {}),
      },
    };
  }

  trace(): Turn[] {
    return structuredClone(this.turns);
  }
}

/** Builds a `MathEnv` from its options (checked against `MATH_OPTIONS_SCHEMA`). */
export async function createMathEnv(options: MathEnvOptions = {}): Promise<MathEnv> {
  const { split = 'train', dataDir, verifyTimeoutMs = 2000 } = mathOptions(options);
  const tasks = await loadMathSplit(split, dataDir !== undefined ? { dataDir } : {});
  return new MathEnv(tasks, split, verifyTimeoutMs);
}
