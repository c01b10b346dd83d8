/**
 * Math task ids and prompts. A task id is `<split>/<index>` (e.g. `math500/0`) or the row's own
 * id within the env's split (e.g. `2024-I-1`, `test/algebra/1.json`); the first form wins when both
 * could apply.
 */
import { UnknownIdError } from '../../core/errors.js';
import type { MathTask } from '../../datasets/math.js';

/** Appended to every problem: the usual instruction for boxed final answers. */
export const MATH_PROMPT_SUFFIX = '\n\nPlease reason step by step, and put your final answer within \\boxed{}.';

/** The user message for a base task. */
export function mathPrompt(task: MathTask): string {
  return `${task.problem}${MATH_PROMPT_SUFFIX}`;
}

/** The canonical task id of a task: `<split>/<index>`. */
export function mathTaskId(task: MathTask): string {
  return `${task.split}/${task.index}`;
}

/** Finds a task by `<split>/<index>` or by its row id; throws `UnknownIdError` naming the split. */
export function findMathTask(tasks: readonly MathTask[], split: string, taskId: string): MathTask {
  const m = /^([^/]+)\/(\d+)$/.exec(taskId);
  if (m && m[1] === split) {
    const task = tasks[Number(m[2])];
    if (task) return task;
  }
  const byId = tasks.find((t) => t.id === taskId);
  if (byId) return byId;
  const sample = tasks.slice(0, 3).map(mathTaskId);
  throw new UnknownIdError(`math task in split "${split}" (${tasks.length} tasks; ids are ${split}/0..${split}/${tasks.length - 1} or the rows' own ids)`, taskId, sample);
}
