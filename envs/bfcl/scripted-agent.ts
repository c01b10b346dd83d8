/**
 * Scripted BFCL agents: the ground truth turned into assistant messages, one tool call per
 * message, then `<TASK_FINISHED>` per request. A perfect agent measures the env's ceiling
 * (SPEC §3.4: 200/200 with the quirks fixed, 152/200 under `bespokeCompat`); tests derive wrong
 * agents from it by editing one action.
 */
import type { BfclTask } from '../../datasets/bfcl.js';
import { parseCallString } from './call-string.js';
import { BfclWorld, parameterNames } from './executor.js';
import { jsonDumps } from './python/json.js';
import type { PyValue } from './python/value.js';

/** An assistant message calling one tool with named arguments. */
export function toolAction(name: string, args: ReadonlyArray<readonly [string, PyValue]>): string {
  return `<tool>[${jsonDumps(new Map<string, PyValue>([['name', name], ['args', new Map(args)]]))}]</tool>`;
}

/** A call string as an assistant message, positional arguments named by the method's signature. */
export function callStringAction(call: string, world: BfclWorld): string {
  const p = parseCallString(call);
  const names = parameterNames(world, p.name);
  return toolAction(p.name, [...p.positional.map((v, i) => [names[i] ?? `arg${i + 1}`, v] as const), ...p.keywords]);
}

/**
 * The perfect agent's messages for the first `requests` user requests of a task (all by
 * default): per request, one message per ground-truth call, then `<TASK_FINISHED>`.
 *
 * @example
 * perfectActions(task)[0] // ['<tool>[{"name": "cd", "args": {"folder": "document"}}]</tool>', …, '<TASK_FINISHED>']
 */
export function perfectActions(task: BfclTask, requests = task.requests.length): string[][] {
  // Signatures only: an empty scenario is enough to look up parameter names.
  const world = BfclWorld.create(task.involvedClasses, new Map());
  return task.groundTruth.slice(0, requests).map((turn) => [...turn.map((c) => callStringAction(c, world)), 'Done. <TASK_FINISHED>']);
}
