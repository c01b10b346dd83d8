/**
 * Turns the math evaluation sets' source files (as `datasets pull math` downloads them, byte-exact
 * from their repositories) into the normalised `<set>.jsonl` files the loaders read. The rules are
 * those of the data README: plain integer answers, AIME ids `2024-I-1`, AMC ids from the AoPS URL,
 * Minerva answers trimmed and de-duplicated, OlympiadBench's one-element answer list unwrapped,
 * and the three control characters of AIME 2025 restored to `\frac` / `\triangle`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { ValidationError } from '../core/errors.js';

type Raw = Record<string, unknown>;
type Out = Record<string, unknown> & { id: string; source: string; problem: string; answer: string };

async function readRows(path: string): Promise<Raw[]> {
  const text = await readFile(path, 'utf8');
  const t = text.trimStart();
  try {
    return t.startsWith('[') ? (JSON.parse(t) as Raw[]) : t.trim().split('\n').map((l) => JSON.parse(l) as Raw);
  } catch (e) {
    throw new ValidationError(`${path}: not the JSON/JSON-lines source file expected (${(e as Error).message}); delete it and run \`exitgym datasets pull math\` again.`);
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
/** `142.0` → `142`, `025` → `25`; other answers as they are. */
const intAnswer = (v: unknown): string => {
  const s = str(v).trim();
  return /^-?\d+(\.0+)?$/.test(s) ? String(Number(s)) : s;
};

/** Id, year, contest and problem number from an AoPS wiki URL (`…/2022_AMC_12A_Problems/Problem_7`). */
function amc(url: string): { id: string; year?: number; contest?: string; problem_number?: number } {
  const m = /(\d{4})_AMC_(\d+)([AB])_Problems\/Problem_(\d+)/.exec(url);
  if (!m) return { id: url };
  const [, year, level, letter, n] = m as unknown as [string, string, string, string, string];
  return { id: `${year}-AMC${level}${letter}-${n}`, year: Number(year), contest: `AMC ${level}${letter}`, problem_number: Number(n) };
}

/** Written into `repaired` (as in the data README's copy) where control characters were restored. */
const REPAIRED = 'control characters from unescaped \\f / \\t restored to \\frac / \\triangle';

function repairControlChars(s: string): string {
  return s.replace(/\f(?=rac)/g, '\\f').replace(/\t(?=riangle)/g, '\\t');
}

/** One converter per output file: source file name → rows. */
const CONVERTERS: { out: string; src: string; convert: (rows: Raw[]) => Out[] }[] = [
  {
    out: 'math500.jsonl',
    src: 'inclusionAI_AReaL__math_500_test.jsonl',
    convert: (rows) => rows.map((r) => ({ id: str(r.unique_id), source: 'MATH500', problem: str(r.problem), answer: str(r.answer), solution: str(r.solution), subject: r.subject, level: r.level })),
  },
  {
    out: 'aime24.jsonl',
    src: 'agentica-project_deepscaler__test_aime.json',
    convert: (rows) =>
      rows.map((r) => {
        // The source numbers problem 15 as 0 and zero-pads answers (`025`); the raw values are kept beside.
        const n = Number(r.problem_number) === 0 ? 15 : Number(r.problem_number);
        const answer = intAnswer(r.answer);
        return {
          id: `${str(r.year)}-${Number(r.aime_number) === 1 ? 'I' : 'II'}-${n}`,
          source: 'AIME2024',
          problem: str(r.problem),
          answer,
          solution: str(r.solution),
          year: r.year,
          contest: Number(r.aime_number) === 1 ? 'AIME I' : 'AIME II',
          problem_number: n,
          difficulty: r.difficulty,
          ...(str(r.answer) !== answer ? { answer_raw: r.answer } : {}),
          ...(Number(r.problem_number) !== n ? { problem_number_raw: r.problem_number } : {}),
        };
      }),
  },
  {
    out: 'aime25.jsonl',
    src: 'inclusionAI_AReaL__aime25_test.jsonl',
    convert: (rows) =>
      rows.map((r) => {
        const k = Number(r.id);
        const problem = repairControlChars(str(r.problem));
        return { id: `2025-${k < 15 ? 'I' : 'II'}-${(k % 15) + 1}`, source: 'AIME2025', problem, answer: intAnswer(r.answer), year: 2025, contest: k < 15 ? 'AIME I' : 'AIME II', problem_number: (k % 15) + 1, ...(problem !== str(r.problem) ? { repaired: REPAIRED } : {}) };
      }),
  },
  {
    out: 'amc12_2022_2023.jsonl',
    src: 'agentica-project_deepscaler__test_amc.json',
    convert: (rows) =>
      rows.map((r) => {
        const { id, ...meta } = amc(str(r.url));
        return { id, source: 'AMC12_2022_2023', problem: str(r.problem), answer: intAnswer(r.answer), ...meta, url: r.url, difficulty: r.difficulty };
      }),
  },
  {
    out: 'amc23.jsonl',
    src: 'QwenLM_Qwen2.5-Math__amc23_test.jsonl',
    convert: (rows) =>
      rows.map((r) => {
        const { id, ...meta } = amc(str(r.url));
        return { id, source: 'AMC23', problem: str(r.problem), answer: intAnswer(r.answer), ...meta, url: r.url };
      }),
  },
  {
    out: 'minerva.jsonl',
    src: 'agentica-project_deepscaler__test_minerva.json',
    convert: (rows) =>
      rows.map((r) => {
        const answers = [...new Set((Array.isArray(r.answer) ? r.answer : [r.answer]).map((a) => str(a).trim()).filter((a) => a !== ''))];
        return { id: `minerva-${str(r.idx)}`, source: 'Minerva', problem: str(r.problem), answer: answers[0] ?? '', answers, solution: str(r.solution), subject: r.type };
      }),
  },
  {
    out: 'olympiadbench.jsonl',
    src: 'agentica-project_deepscaler__test_olympiad_bench.json',
    convert: (rows) =>
      rows.map((r) => ({
        id: `olympiadbench-${str(r.id)}`,
        source: 'OlympiadBench',
        problem: str(r.problem),
        answer: str(Array.isArray(r.answer) ? r.answer[0] : r.answer),
        solution: r.solution,
        subject: r.subfield,
        answer_type: r.answer_type,
        is_multiple_answer: r.is_multiple_answer,
        unit: r.unit,
        error: r.error,
        context: r.context,
      })),
  },
];

/**
 * Converts `<dir>/orig/<source>` into `<dir>/<set>.jsonl` for every evaluation set; returns the
 * files written. The training pool has no downloadable source (see datasets/manifests.ts).
 */
export async function convertMathOriginals(dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const c of CONVERTERS) {
    const rows = c.convert(await readRows(join(dir, 'orig', c.src)));
    await writeFileAtomic(join(dir, c.out), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    written.push(c.out);
  }
  return written;
}
