/**
 * The answer checker: extract the final answer from a response, parse it and the gold, and decide
 * equality (data/math/VERIFY.md). Never throws on model text; pathological input ends as
 * "not equal" with a reason once the per-call time limit is spent.
 *
 * Where it deliberately differs from Math-Verify (fixed false negatives and false positives, the
 * method, what is not supported, and the wrong variants the false-positive hunt still sees
 * accepted) is listed, each with its reason and test, in one place: envs/math/DEVIATIONS.md.
 */
import { describeError } from '../../core/errors.js';
import { valuesEqual } from './compare.js';
import { extract, type Candidate } from './extract.js';
import { Budget, TimeLimitError } from './evaluate.js';
import { warmUp } from './latex-engine.js';
import { normalizeLatex, unitsConflict } from './normalize.js';
import { MAX_ANSWER_CHARS, parseAnswer, type MathValue } from './value.js';

/** The checker's verdict, with enough to debug a disagreement. */
export interface Verdict {
  correct: boolean;
  /** The predicted final answer that was compared (raw, before normalisation), if any was found. */
  extracted?: string;
  /** The gold answer form that matched (or the first one tried). */
  gold?: string;
  /** Why: `equal`, `not equal`, `no answer found`, `answer did not parse`, `gold did not parse`, `time limit (… ms)`. */
  reason: string;
  /** Milliseconds the check took. */
  ms: number;
}

export interface VerifyOptions {
  /** Wall-clock limit per call in ms (default 2000); past it the verdict is "not equal" with reason "time limit". */
  timeoutMs?: number;
}

/** Candidates tried per response at most: a response with thousands of numbers must not cost thousands of parses. */
const MAX_CANDIDATES = 64;

/**
 * Wraps a bare dataset answer as Math-Verify's convention says: in `\boxed{}` unless it has an
 * unescaped `$`. A gold that is already boxed (a saved reference solution passed as the gold) is
 * left as it is: wrapping it again would make the whole solution text the answer.
 */
export function goldResponse(answer: string): string {
  return /(?<!\\)\$|\\(?:boxed|fbox)\b/.test(answer) ? answer : `\\boxed{${answer}}`;
}

/**
 * The first candidate (in tier order, rightmost first within a tier) that parses, and the raw text
 * of the first one found. Returning on the first parse is what makes a higher tier win outright.
 *
 * Deviation from Math-Verify: a candidate lying inside a boxed or "final answer" candidate that did
 * not parse, or inside any over-long candidate, is not tried. Otherwise an unparseable boxed
 * answer (or a 1,000-character one) is graded by some number inside it (`…-rx(t)=0` read as `0`).
 */
function firstParsed(cands: Candidate[], budget: Budget): { value?: MathValue; raw?: string; rawFirst?: string } {
  const refused: Candidate[] = [];
  for (const c of cands.slice(0, MAX_CANDIDATES)) {
    // A parse cannot be interrupted, so the deadline is checked between candidates.
    if (Date.now() > budget.deadline) throw new TimeLimitError('time limit');
    if (refused.some((r) => c.start >= r.start && c.end <= r.end)) continue;
    const value = parseAnswer(c.text);
    if (value) return { value, raw: c.text, rawFirst: cands[0]?.text };
    if (c.tier <= 50 || c.text.length > MAX_ANSWER_CHARS) refused.push(c);
  }
  return { rawFirst: cands[0]?.text };
}

/** Whether two unparsed answers read the same after normalisation (both non-empty). */
function sameText(a: string, b: string): boolean {
  // Over-long text is no answer (as in parseAnswer), and normalising it would be unbounded work.
  if (a.length > MAX_ANSWER_CHARS || b.length > MAX_ANSWER_CHARS) return false;
  // Spacing is not meaning: `\frac{dM}{dt}=…` and `\frac{dM}{dt} = …` are the same text.
  const na = normalizeLatex(a).replace(/\s+/g, '');
  return na !== '' && na === normalizeLatex(b).replace(/\s+/g, '');
}

/** Gold answers parsed before, by text: a task's gold is checked against every sample of it. */
const goldCache = new Map<string, ReturnType<typeof firstParsed>>();
/** Golds remembered (a dataset's worth; the oldest is dropped past it). */
const GOLD_CACHE_SIZE = 8192;

/**
 * `firstParsed` of a gold's candidates, once per gold text: parsing is deterministic and the
 * values are only read, so the same gold need not be parsed for every sample (about a third of a
 * check's time). A parse that ran out of time throws and is not kept.
 */
function parsedGold(gold: string, budget: Budget): ReturnType<typeof firstParsed> {
  const hit = goldCache.get(gold);
  if (hit) return hit;
  const parsed = Object.freeze(firstParsed(extract(goldResponse(gold)), budget));
  goldCache.set(gold, parsed);
  if (goldCache.size > GOLD_CACHE_SIZE) goldCache.delete(goldCache.keys().next().value as string);
  return parsed;
}

/** Forgets every parsed gold (for tests that compare fresh parses with remembered ones). */
export function clearGoldCache(): void {
  goldCache.clear();
}

/** Parses a gold answer (dataset form, without `\boxed`); undefined when it does not parse. */
export function parseGold(answer: string): { value?: MathValue; raw?: string } {
  warmUp();
  const budget = new Budget(Date.now() + 2000);
  try {
    const r = firstParsed(extract(goldResponse(answer)), budget);
    return { ...(r.value ? { value: r.value } : {}), ...(r.raw !== undefined ? { raw: r.raw } : r.rawFirst !== undefined ? { raw: r.rawFirst } : {}) };
  } catch {
    return {};
  }
}

/**
 * Grades a model response against one gold answer or several accepted forms (any may match).
 *
 * @example verify('\\frac{1}{2}', 'so the answer is $\\boxed{0.5}$').correct // true
 * @example verify('x=3', 'The final answer is $3$. I hope it is correct.').correct // true
 */
export function verify(gold: string | readonly string[], response: string, opts: VerifyOptions = {}): Verdict {
  // Building the LaTeX engine (hundreds of ms on a busy machine) is start-up cost, not this check's
  // work: done before the clock starts, so a process's first answer is not lost to the time limit.
  warmUp();
  const t0 = Date.now();
  const budget = new Budget(t0 + (opts.timeoutMs ?? 2000));
  const golds = typeof gold === 'string' ? [gold] : [...gold];
  const ms = (): number => Date.now() - t0;
  let extracted: string | undefined;
  try {
    const pred = firstParsed(extract(response), budget);
    extracted = pred.raw ?? pred.rawFirst;
    if (extracted === undefined) return { correct: false, reason: 'no answer found', ms: ms() };
    let goldParsed = false;
    for (const g of golds) {
      const gp = parsedGold(g, budget);
      if (gp.value) goldParsed = true;
      if (gp.value && pred.value && valuesEqual(gp.value, pred.value, budget) && !unitsConflict(gp.raw ?? '', extracted)) {
        return { correct: true, extracted, gold: g, reason: 'equal', ms: ms() };
      }
      // Neither side parses: identical text after normalisation still counts (Math-Verify's string
      // fallback compares the normalised raw strings, so `\dfrac{dM}{dt}=…` matches `\frac{dM}{dt}=…`).
      if (!gp.value && !pred.value && gp.rawFirst !== undefined && sameText(gp.rawFirst, extracted) && !unitsConflict(gp.rawFirst, extracted)) {
        return { correct: true, extracted, gold: g, reason: 'equal (identical unparsed text)', ms: ms() };
      }
    }
    const reason = !pred.value ? 'answer did not parse' : !goldParsed ? 'gold did not parse' : 'not equal';
    return { correct: false, extracted, gold: golds[0], reason, ms: ms() };
  } catch (e) {
    if (e instanceof TimeLimitError) {
      return { correct: false, ...(extracted !== undefined ? { extracted } : {}), reason: `time limit (${opts.timeoutMs ?? 2000} ms)`, ms: ms() };
    }
    return { correct: false, ...(extracted !== undefined ? { extracted } : {}), reason: `checker error: ${describeError(e)}`, ms: ms() };
  }
}

/** Compares two already-extracted answers (no extraction): `isEquivalent('\\frac12', '0.5')`. */
export function isEquivalent(gold: string, pred: string, opts: VerifyOptions = {}): boolean {
  warmUp();
  const budget = new Budget(Date.now() + (opts.timeoutMs ?? 2000));
  try {
    const g = parseAnswer(gold);
    const p = parseAnswer(pred);
    return g !== undefined && p !== undefined && valuesEqual(g, p, budget) && !unitsConflict(gold, pred);
  } catch {
    return false;
  }
}
