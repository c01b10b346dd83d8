/**
 * Pulls solution.py out of a model response: the fenced code block, as the paper asks
 * ("inside triple-tick delimiters"). Models often add prose and sometimes several blocks; we take
 * the longest python-tagged block, else the longest untagged one, which is the full program far
 * more often than a trailing usage snippet.
 */
import type { Result } from '../../core/result.js';
import { err, ok } from '../../core/result.js';

const FENCE = /(^|\n)[ \t]*(`{3,}|~{3,})[ \t]*([\w+.-]*)[^\n]*\n([\s\S]*?)\n[ \t]*\2[ \t]*(?=\n|$)/g;
const PYTHON_TAGS = new Set(['python', 'py', 'python3']);

/**
 * The code of the response's fenced block, or why there is none. A response whose only fence
 * is unclosed (cut off by a token limit) yields everything after the opening fence.
 *
 * @example extractCode('Plan...\n```python\nprint(1)\n```') // ok('print(1)')
 */
export function extractCode(response: string): Result<string> {
  const text = response.replace(/\r\n/g, '\n');
  const blocks: Array<{ lang: string; code: string }> = [];
  for (const m of text.matchAll(FENCE)) blocks.push({ lang: (m[3] ?? '').toLowerCase(), code: m[4] ?? '' });
  const pick = (list: Array<{ code: string }>): string | undefined => list.reduce<string | undefined>((best, b) => (best === undefined || b.code.length > best.length ? b.code : best), undefined);
  const python = pick(blocks.filter((b) => PYTHON_TAGS.has(b.lang)));
  const untagged = pick(blocks.filter((b) => b.lang === ''));
  const code = python ?? untagged ?? pick(blocks);
  if (code !== undefined && code.trim() !== '') return ok(`${code.trimEnd()}\n`);
  const open = blocks.length > 0 ? null : /(^|\n)[ \t]*```[ \t]*([\w+.-]*)[^\n]*\n([\s\S]+)$/.exec(text);
  if (open && (open[3] ?? '').trim() !== '') return ok(`${(open[3] as string).trimEnd()}\n`);
  return err('no code block found: put the full solution.py inside triple-backtick delimiters (```python ... ```)');
}
