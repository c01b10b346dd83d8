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

/** True when the tree holds an `Error` node (compute-engine reports syntax errors inside the tree). */
export function hasError(j: MathJson): boolean {
  if (Array.isArray(j)) return j[0] === 'Error' || j.some((x) => hasError(x));
  return false;
}

/** Parses LaTeX to MathJSON; undefined when it does not parse cleanly. Never throws. */
export function parseLatex(latex: string): MathJson | undefined {
  try {
    const json = ce().parse(latex, { form: 'raw' }).json as MathJson;
    return hasError(json) ? undefined : json;
  } catch {
    return undefined;
  }
}

/** Warms the parser up (engine construction + first parse), e.g. before a benchmark. */
export function warmUp(): void {
  parseLatex('\\frac{1}{2}+x^2');
}
