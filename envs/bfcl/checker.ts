/**
 * The official BFCL multi-turn checker (`multi_turn_checker`, SPEC §2), one user turn at a time:
 * after the model's calls and the ground truth's calls of turn t have run (each in its own API
 * instances), the turn passes iff the model made a call (unless the ground truth has none), every
 * involved instance has the same public state, and the ground truth's result strings are
 * contained, as a multiset, in all of the model's result strings of turns 0..t.
 */

/** What the checker needs to know about one user turn. */
export interface TurnCheckInput {
  turn: number;
  /** Ground-truth calls of this turn (their count decides the empty-turn rule). */
  groundTruthCalls: readonly string[];
  /** Result strings of the ground-truth calls of this turn. */
  groundTruthResults: readonly string[];
  /** How many calls the model made in this turn (decoded tool calls, failed ones included). */
  modelCallCount: number;
  /** Result strings of every model call executed in turns 0..t. */
  modelResultsSoFar: readonly string[];
  /** Classes whose model and ground-truth instances differ after this turn. */
  stateMismatches: readonly string[];
}

/** The verdict for one turn; `reason` says why it failed, in the checker's own terms. */
export interface TurnCheck {
  turn: number;
  passed: boolean;
  reason?: string;
}

/** Items of `needles` missing from `haystack`, counting multiplicity. */
export function missingFromMultiset(needles: readonly string[], haystack: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const h of haystack) counts.set(h, (counts.get(h) ?? 0) + 1);
  const missing: string[] = [];
  for (const n of needles) {
    const c = counts.get(n) ?? 0;
    if (c > 0) counts.set(n, c - 1);
    else missing.push(n);
  }
  return missing;
}

const clip = (s: string): string => (s.length > 120 ? `${s.slice(0, 117)}...` : s);

/**
 * Checks one turn.
 *
 * @example
 * checkTurn({ turn: 0, groundTruthCalls: ['ls()'], groundTruthResults: ['{"current_directory_content": []}'],
 *   modelCallCount: 1, modelResultsSoFar: ['{"current_directory_content": []}'], stateMismatches: [] })
 * // { turn: 0, passed: true }
 */
export function checkTurn(input: TurnCheckInput): TurnCheck {
  const { turn } = input;
  if (input.groundTruthCalls.length === 0) return { turn, passed: true };
  if (input.modelCallCount === 0) return { turn, passed: false, reason: `Model response list is empty for turn ${turn}` };
  if (input.stateMismatches.length > 0) {
    return { turn, passed: false, reason: `state differs from the ground truth's after turn ${turn} in ${input.stateMismatches.join(', ')}` };
  }
  const missing = missingFromMultiset(input.groundTruthResults, input.modelResultsSoFar);
  if (missing.length > 0) {
    return { turn, passed: false, reason: `turn ${turn}: ${missing.length} ground-truth result(s) not among the model's results, e.g. ${JSON.stringify(clip(missing[0] as string))}` };
  }
  return { turn, passed: true };
}
