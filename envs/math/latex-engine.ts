/**
 * The LaTeX parser: @cortex-js/compute-engine in non-canonical mode, which returns the MathJSON
 * tree as written (no simplification), so our own rules decide equality. Building an engine is
 * slow (100-250 ms), so one is created on first use and reused.
 */
import { ComputeEngine } from '@cortex-js/compute-engine';

/** MathJSON as compute-engine emits it: numbers, symbols/strings, `{num}` big numbers, function arrays. */
export type MathJson = number | string | { num: string } | { sym: string } | { str: string } | MathJson[];

let engine: ComputeEngine | undefined;

function ce(): ComputeEngine {
  engine ??= new ComputeEngine();
  return engine;
}

/**
 * True when the tree holds an `Error` node (compute-engine reports syntax errors inside the tree)
 * or a `Sequence`: what compute-engine returns when it parsed only part of the input
 * (`ml\ddot{\theta}(t) - mg\sin\theta(t)` keeps `ml\ddot\theta` and drops the rest, so `-mg` and `+mg` would agree).
 */
export function hasError(j: MathJson): boolean {
  if (Array.isArray(j)) return j[0] === 'Error' || j[0] === 'Sequence' || j.some((x) => hasError(x));
  return false;
}

/**
 * Integers, decimals and `\frac{a}{b}` of integers (most answers) are read directly: the same
 * MathJSON compute-engine would give, without its allocations (GC pauses dominate tail latency).
 */
function fastPath(latex: string): MathJson | undefined {
  const t = latex.trim();
  const num = /^(-?)(\d{1,15}(?:\.\d{1,15})?)$/.exec(t);
  if (num) {
    const v = Number(num[2]);
    return num[1] ? ['Negate', v] : v;
  }
  const frac = /^(-?)\\frac\{(\d{1,15})\}\{(\d{1,15})\}$/.exec(t);
  if (frac) {
    const d: MathJson = ['Divide', Number(frac[2]), Number(frac[3])];
    return frac[1] ? ['Negate', d] : d;
  }
  return undefined;
}

/** Recently parsed strings: gold answers and common forms repeat across calls. */
const memo = new Map<string, MathJson | null>();
const MEMO_SIZE = 4096;

/** Parses LaTeX to MathJSON; undefined when it does not parse cleanly. Never throws. */
export function parseLatex(latex: string): MathJson | undefined {
  const fast = fastPath(latex);
  if (fast !== undefined) return fast;
  const hit = memo.get(latex);
  if (hit !== undefined) return hit ?? undefined;
  let json: MathJson | undefined;
  try {
    json = ce().parse(latex, { form: 'raw' }).json as MathJson;
    if (hasError(json)) json = undefined;
  } catch {
    json = undefined;
  }
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(latex, json ?? null);
  return json;
}

let warm = false;

/**
 * Warms the parser up (engine construction + first parse) once per process; later calls return at
 * once. The verifier calls it before starting its clock.
 */
export function warmUp(): void {
  if (warm) return;
  warm = true;
  parseLatex('\\frac{1}{2}+x^2');
}
