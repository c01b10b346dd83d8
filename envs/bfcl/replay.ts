/**
 * Replaying call strings on fresh API instances and recording what happened: each call's result
 * string (SPEC §1.3) and the canonical state (SPEC §5) after every turn. This is what
 * `exitgym bfcl replay` writes, for differential tests against the Python reference.
 */
import { ValidationError } from '../../core/errors.js';
import type { JsonValue } from '../../core/types.js';
import { BFCL_CLASSES, type BfclData } from '../../datasets/bfcl.js';
import { BfclWorld, executeCallString } from './executor.js';
import { jsonLoads } from './python/json.js';
import { isPyException } from './python/errors.js';
import type { PyDict, PyValue } from './python/value.js';

/** A scenario to replay: which classes, their start, and the call strings of each turn. */
export interface ReplayScenario {
  id: string;
  involvedClasses: string[];
  /** Per class, the scenario its loader gets (Python values: `10000.0` stays a float). */
  initialConfig: PyDict;
  turns: string[][];
}

type State = Record<string, { [attribute: string]: JsonValue }>;

/** One output line. */
export interface ReplayLine {
  id: string;
  initial_state: State;
  turns: { turn: number; calls: { call: string; result_str: string; error: string | null }[]; state: State }[];
}

/**
 * Replays one scenario. A call that raises is recorded (`error` = `Type: message`) and the
 * replay goes on, as upstream's executor does.
 *
 * @example
 * replayScenario({ id: 'x', involvedClasses: ['MathAPI'], initialConfig: new Map(), turns: [['add(a=1, b=2)']] })
 * // { id: 'x', initial_state: { MathAPI: {} }, turns: [{ turn: 0, calls: [{ call: 'add(a=1, b=2)', result_str: '{"result": 3}', error: null }], state: { MathAPI: {} } }] }
 */
export function replayScenario(s: ReplayScenario, opts: { today?: string } = {}): ReplayLine {
  const world = BfclWorld.create(s.involvedClasses, s.initialConfig, opts);
  const initial = world.snapshot();
  const turns = s.turns.map((calls, turn) => ({
    turn,
    calls: calls.map((call) => {
      const r = executeCallString(world, call);
      return { call, result_str: r.resultString, error: r.outcome.ok ? null : `${r.outcome.reason.pyType}: ${r.outcome.reason.pyMessage}` };
    }),
    state: world.snapshot(),
  }));
  return { id: s.id, initial_state: initial, turns };
}

/** The dataset's ground truth as scenarios, in file order. */
export function groundTruthScenarios(data: BfclData): ReplayScenario[] {
  return data.tasks.map((t) => ({ id: t.id, involvedClasses: t.involvedClasses, initialConfig: jsonLoads(t.initialConfigText) as PyDict, turns: t.groundTruth }));
}

function field(obj: PyDict, key: string): PyValue | undefined {
  return obj.has(key) ? (obj.get(key) as PyValue) : undefined;
}

function scenarioFrom(v: PyValue, where: string): ReplayScenario {
  if (!(v instanceof Map)) throw new ValidationError(`${where}: a scenario must be an object {id, involved_classes, initial_config, turns}.`);
  const id = field(v, 'id');
  if (typeof id !== 'string' || id === '') throw new ValidationError(`${where}: "id" must be a non-empty string.`);
  const classes = field(v, 'involved_classes');
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string' && (BFCL_CLASSES as readonly string[]).includes(c))) {
    throw new ValidationError(`${where} (${id}): "involved_classes" must be a non-empty list of ${BFCL_CLASSES.join(', ')}.`);
  }
  const config = field(v, 'initial_config') ?? new Map();
  if (!(config instanceof Map)) throw new ValidationError(`${where} (${id}): "initial_config" must be an object keyed by class name.`);
  const turns = field(v, 'turns');
  if (!Array.isArray(turns) || !turns.every((t) => Array.isArray(t) && t.every((c) => typeof c === 'string'))) {
    throw new ValidationError(`${where} (${id}): "turns" must be a list of turns, each a list of call strings.`);
  }
  return { id, involvedClasses: classes as string[], initialConfig: config, turns: turns as string[][] };
}

/**
 * Reads scenarios from a JSON array or JSON Lines text, keeping Python number types; errors name
 * the source, the position and the field.
 */
export function parseScenarios(text: string, source: string): ReplayScenario[] {
  const trimmed = text.trim();
  const parse = (t: string, where: string): PyValue => {
    try {
      return jsonLoads(t);
    } catch (e) {
      if (isPyException(e)) throw new ValidationError(`${where}: not valid JSON (${e.pyMessage}).`);
      throw e;
    }
  };
  if (trimmed.startsWith('[')) {
    const all = parse(trimmed, source);
    if (!Array.isArray(all)) throw new ValidationError(`${source}: expected a JSON list of scenarios.`);
    return all.map((v, i) => scenarioFrom(v, `${source} item ${i}`));
  }
  return text
    .split('\n')
    .map((line, i) => [line, i] as const)
    .filter(([line]) => line.trim() !== '')
    .map(([line, i]) => scenarioFrom(parse(line, `${source} line ${i + 1}`), `${source} line ${i + 1}`));
}
