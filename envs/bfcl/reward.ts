/**
 * The ExIt / Bespoke Labs reward for BFCL (SPEC §3.3): 1 iff, after the episode, every involved
 * API instance has the ground truth's state AND, for every user turn, the ground truth's calls
 * are contained (as a multiset, any order) in the model's successful calls of that turn; else 0.
 *
 * By default the three quirks of the original (SPEC §3.4) are fixed: positional ground-truth
 * arguments are bound to their parameter names, argument lists stay lists, and a turn with no
 * ground-truth call is satisfied. `bespokeCompat` reproduces them, for paper-faithful numbers
 * (a perfect agent then scores 152/200 instead of 200/200).
 */
import type { ParsedCall } from './call-string.js';
import { pyEq } from './python/equality.js';
import { PyTuple, type PyValue } from './python/value.js';

/** A call as the reward compares it: method name and named arguments. */
export interface CallRecord {
  name: string;
  args: ReadonlyArray<readonly [string, PyValue]>;
}

/** Bespoke's tuple quirk: every top-level list argument becomes a tuple. */
export function tupleTopLevel(args: ReadonlyArray<readonly [string, PyValue]>): [string, PyValue][] {
  return args.map(([k, v]) => [k, Array.isArray(v) ? new PyTuple(v) : v]);
}

/**
 * A ground-truth call string's record. Fixed: positional arguments take their parameter names
 * from the signature (`params`). Compat: they are named `arg1`, `arg2`, … and lists become tuples,
 * as Bespoke's rubric parses them.
 */
export function groundTruthRecord(call: ParsedCall, params: readonly string[], bespokeCompat: boolean): CallRecord {
  if (bespokeCompat) {
    const positional = call.positional.map((v, i) => [`arg${i + 1}`, v] as [string, PyValue]);
    return { name: call.name, args: tupleTopLevel([...positional, ...call.keywords]) };
  }
  const positional = call.positional.map((v, i) => [params[i] ?? `arg${i + 1}`, v] as [string, PyValue]);
  return { name: call.name, args: [...positional, ...call.keywords] };
}

/** Same method, same set of argument names, Python-equal values (`1 == 1.0 == True`, `'1' != 1`). */
export function callsEqual(a: CallRecord, b: CallRecord): boolean {
  if (a.name !== b.name || a.args.length !== b.args.length) return false;
  for (const [k, v] of a.args) {
    const other = b.args.find(([kb]) => kb === k);
    if (!other || !pyEq(v, other[1])) return false;
  }
  return true;
}

/**
 * True iff the ground-truth calls of a turn are contained, as a multiset, in the model's
 * successful calls of that turn. An empty ground-truth turn is satisfied, except under
 * `bespokeCompat`, where both lists must be non-empty.
 */
export function turnCallsMatch(groundTruth: readonly CallRecord[], model: readonly CallRecord[], bespokeCompat: boolean): boolean {
  if (groundTruth.length === 0) return !bespokeCompat;
  if (model.length === 0) return false;
  // Call equality is an equivalence, so matching greedily finds a full matching when one exists.
  const used = new Array<boolean>(model.length).fill(false);
  for (const g of groundTruth) {
    const i = model.findIndex((m, j) => !used[j] && callsEqual(g, m));
    if (i < 0) return false;
    used[i] = true;
  }
  return true;
}

/** The parts of the reward, for `info`. */
export interface ExitRewardResult {
  reward: 0 | 1;
  /** Per involved class (in order): does the model's final state equal the ground truth's? */
  stateMatches: boolean[];
  /** Per user turn: are the ground-truth calls contained in the model's successful calls? */
  turnMatches: boolean[];
}

/**
 * The episode reward.
 *
 * @example
 * exitReward({ stateMatches: [true], groundTruth: [[{ name: 'ls', args: [] }]], model: [[{ name: 'ls', args: [] }]], bespokeCompat: false })
 * // { reward: 1, stateMatches: [true], turnMatches: [true] }
 */
export function exitReward(input: {
  stateMatches: boolean[];
  groundTruth: readonly (readonly CallRecord[])[];
  model: readonly (readonly CallRecord[])[];
  bespokeCompat: boolean;
}): ExitRewardResult {
  const turnMatches = input.groundTruth.map((gt, t) => turnCallsMatch(gt, input.model[t] ?? [], input.bespokeCompat));
  const ok = input.stateMatches.every(Boolean) && turnMatches.every(Boolean);
  return { reward: ok ? 1 : 0, stateMatches: input.stateMatches, turnMatches };
}
