/**
 * Equivalent rewrites of gold answers and model-style wrappers, used to test that the checker
 * accepts an answer written another way (data-gated tests, the benchmark's case mix).
 */

/** A short model-style response ending in the answer. */
export function modelStyle(answer: string): string {
  return /(?<!\\)\$/.test(answer) ? `Putting it together, the answer is ${answer}` : `Putting it all together, so the answer is $\\boxed{${answer}}$.`;
}

/**
 * Another way of writing the same answer, or undefined when no rewrite applies:
 * `\frac{1}{2}` → `0.5` (terminating decimals) or `1/2`, `(1,2)` → `( 1 , 2 )`, `12` → `12.0`,
 * `\dfrac` → `\frac`, `\frac` → `\dfrac`.
 */
export function equivalentRewrite(answer: string): string | undefined {
  const a = answer.trim();
  // Money and spacing macros (`\$32,\!348`) have no safe textual rewrite.
  if (/\\[$!]/.test(a)) return undefined;
  if (/^-?\d+$/.test(a)) return `${a}.0`;
  const frac = /^(-?)\\[dt]?frac\{(\d+)\}\{(\d+)\}$/.exec(a);
  if (frac) {
    const [, sign, n, d] = frac as unknown as [string, string, string, string];
    let den = Number(d);
    while (den % 2 === 0) den /= 2;
    while (den % 5 === 0) den /= 5;
    return den === 1 ? `${sign}${String(Number(n) / Number(d))}` : `${sign}${n}/${d}`;
  }
  if (/,/.test(a) && /^[([{\\]/.test(a) && !/\\begin/.test(a)) return a.replace(/\s*,\s*/g, ' , ').replace(/^(\\left)?([([])/, '$1$2 ');
  if (a.includes('\\dfrac')) return a.replace(/\\dfrac/g, '\\frac');
  if (a.includes('\\frac')) return a.replace(/\\frac/g, '\\dfrac');
  return undefined;
}
