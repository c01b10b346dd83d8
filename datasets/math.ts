/**
 * The competition-math datasets: loaders for every split, validated row by row (ajv; a bad row
 * names its file and line). Files come from `EXITGYM_DATA_DIR/math/` or the download cache.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, DatasetMissingError, ValidationError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { validate } from '../core/schema.js';
import { cacheDir, dataDir, resolveDatasetFile } from './paths.js';

/** One math problem as the env uses it. */
export interface MathTask {
  /** The row's own id (unique within its file), e.g. `2024-I-1`, `test/algebra/1.json`. */
  id: string;
  split: MathSplit;
  /** Position in the split (task ids `<split>/<index>` refer to it). */
  index: number;
  problem: string;
  /** Accepted gold answers (one for most sets; Minerva lists alternatives). Bare LaTeX, no `\boxed`. */
  answers: string[];
  /** Reference solution, where the set has one (OlympiadBench lists alternatives: the first one). */
  solution?: string;
  /** Complexity metric: steps of the reference solution (see `solutionSteps`); absent without a solution. */
  steps?: number;
  source: string;
}

/** Split name → file, for the splits stored as files. `validation` is drawn from the pool (see below). */
export const MATH_FILES = {
  train_pool: 'train_pool.jsonl',
  train: 'train_1280.jsonl',
  math500: 'math500.jsonl',
  aime24: 'aime24.jsonl',
  aime25: 'aime25.jsonl',
  amc12_2022_2023: 'amc12_2022_2023.jsonl',
  amc23: 'amc23.jsonl',
  minerva: 'minerva.jsonl',
  olympiadbench: 'olympiadbench.jsonl',
} as const;

export type MathSplit = keyof typeof MATH_FILES | 'validation';

/** Every split name, test sets last. */
export const MATH_SPLITS: MathSplit[] = ['train', 'train_pool', 'validation', 'math500', 'aime24', 'aime25', 'amc12_2022_2023', 'amc23', 'minerva', 'olympiadbench'];

/** The paper's test sets. */
export const MATH_TEST_SPLITS: MathSplit[] = ['math500', 'aime24', 'aime25', 'amc12_2022_2023', 'amc23', 'minerva', 'olympiadbench'];

/** The validation set: this many MATH-train problems of the pool, drawn with `VALIDATION_SEED`. */
export const VALIDATION_SIZE = 100;
export const VALIDATION_SEED = 100;

const rowSchema = {
  type: 'object',
  required: ['id', 'source', 'problem', 'answer'],
  properties: {
    id: { type: 'string', minLength: 1 },
    source: { type: 'string' },
    problem: { type: 'string', minLength: 1 },
    answer: { type: 'string', minLength: 1 },
    answers: { type: 'array', items: { type: 'string' }, minItems: 1 },
    solution: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
} as const;

interface Row {
  id: string;
  source: string;
  problem: string;
  answer: string;
  answers?: string[];
  solution?: string | string[];
}

/**
 * Steps of a reference solution: its non-empty lines, where a line holding several sentences
 * counts each sentence (prose solutions are often one paragraph). A proxy for the paper's
 * "number of solution steps" complexity metric.
 *
 * @example solutionSteps('We have $x=2$. Then $y=4$.\nSo the answer is 6.') // 3
 */
export function solutionSteps(solution: string): number {
  const withoutMath = solution.replace(/\$\$[\s\S]*?\$\$|\\\[[\s\S]*?\\\]/g, ' M ').replace(/\$[^$]*\$/g, ' m ');
  const lines = withoutMath.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.reduce((n, l) => n + Math.max(1, l.split(/(?<=[.!?])\s+(?=[A-Z(])/).filter((s) => s.trim().length > 1).length), 0);
}

/** Parses and validates a JSON-lines file's text; errors name the file and the line. */
export function parseMathRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new ValidationError(`${file} line ${k + 1}: not valid JSON (${(e as Error).message}); fix or remove the line.`);
    }
    const row = validate<Row>(rowSchema, value, `${file} line ${k + 1}`);
    if (seen.has(row.id)) throw new ValidationError(`${file} line ${k + 1}: duplicate id "${row.id}"; ids must be unique within a file.`);
    seen.add(row.id);
    rows.push(row);
  });
  return rows;
}

function toTask(row: Row, split: MathSplit, index: number): MathTask {
  // OlympiadBench's list holds alternative solutions, not parts of one: the complexity metric counts
  // the steps of the first, as summing them would rate a problem by how many proofs were written.
  const solution = Array.isArray(row.solution) ? row.solution[0] : row.solution;
  return {
    id: row.id,
    split,
    index,
    problem: row.problem,
    answers: row.answers && row.answers.length > 0 ? row.answers : [row.answer],
    ...(solution ? { solution, steps: solutionSteps(solution) } : {}),
    source: row.source,
  };
}

const cache = new Map<string, Promise<MathTask[]>>();

function isSplit(name: string): name is MathSplit {
  return (MATH_SPLITS as string[]).includes(name);
}

async function loadFile(split: keyof typeof MATH_FILES, dataDir?: string): Promise<MathTask[]> {
  let path: string;
  try {
    path = await resolveDatasetFile('math', MATH_FILES[split], dataDir !== undefined ? { dataDir } : {});
  } catch (e) {
    // The pull only fetches the evaluation sets: the training pool has no public file-by-file copy.
    if (e instanceof DatasetMissingError && (split === 'train' || split === 'train_pool')) {
      throw new DatasetMissingError(
        `math split "${split}" needs ${MATH_FILES[split]}, which \`exitgym datasets pull math\` cannot download (the training pool is not published as a fetchable file); ` +
          'set EXITGYM_DATA_DIR to a folder holding math/train_pool.jsonl and math/train_1280.jsonl.',
        { cause: e },
      );
    }
    throw e;
  }
  const rows = parseMathRows(await readFile(path, 'utf8'), path);
  return rows.map((r, i) => toTask(r, split, i));
}

/**
 * Loads a split (cached per process).
 *
 * @example
 * const tasks = await loadMathSplit('math500');
 * tasks[0].answers // ['\\left( 3, \\frac{\\pi}{2} \\right)']
 */
export function loadMathSplit(split: string, opts: { dataDir?: string } = {}): Promise<MathTask[]> {
  if (!isSplit(split)) {
    throw new ConfigError(`unknown math split "${split}"; known splits: ${MATH_SPLITS.join(', ')}.`);
  }
  // Keyed by where the files would come from, so changing EXITGYM_DATA_DIR/EXITGYM_CACHE_DIR is honoured.
  const key = [opts.dataDir ?? dataDir() ?? '', cacheDir(), split].join('\u0000');
  let p = cache.get(key);
  if (!p) {
    p =
      split === 'validation'
        ? loadFile('train_pool', opts.dataDir).then((pool) => {
            // 100 MATH-train problems, seeded; the 1280 training subset holds none of them (it is drawn from the DeepScaleR part).
            const math = pool.filter((t) => t.source === 'MATH/train');
            return Rng.fromSeed(VALIDATION_SEED).shuffle(math).slice(0, VALIDATION_SIZE).map((t, i) => ({ ...t, split: 'validation' as const, index: i }));
          })
        : loadFile(split, opts.dataDir);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
