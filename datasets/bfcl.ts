/**
 * BFCL v3 `multi_turn_base`: the 200 tasks, their ground-truth call strings and the function docs
 * of the eight API classes, read from `EXITGYM_DATA_DIR/bfcl` or the download cache and validated
 * row by row. Files and format: `data/bfcl/README.md`; the upstream copies are pinned in
 * `datasets/manifests.ts` (`exitgym datasets pull bfcl`).
 */
import { readFile } from 'node:fs/promises';
import type { Schema } from 'ajv';
import { ValidationError } from '../core/errors.js';
import { validate } from '../core/schema.js';
import type { JsonValue } from '../core/types.js';
import { bespokeSplit, type BfclSplit } from './bfcl-split.js';
import { resolveDatasetFile } from './paths.js';

/** The eight simulated API classes, in the order of their func-doc files. */
export const BFCL_CLASSES = [
  'GorillaFileSystem',
  'MathAPI',
  'MessageAPI',
  'TwitterAPI',
  'TicketAPI',
  'TradingBot',
  'TravelAPI',
  'VehicleControlAPI',
] as const;
export type BfclClassName = (typeof BFCL_CLASSES)[number];

/** Dataset-relative paths of the files this loader reads. */
export const BFCL_FILES = {
  tasks: 'BFCL_v3_multi_turn_base.json',
  answers: 'possible_answer/BFCL_v3_multi_turn_base.json',
  funcDocs: {
    GorillaFileSystem: 'multi_turn_func_doc/gorilla_file_system.json',
    MathAPI: 'multi_turn_func_doc/math_api.json',
    MessageAPI: 'multi_turn_func_doc/message_api.json',
    TwitterAPI: 'multi_turn_func_doc/posting_api.json',
    TicketAPI: 'multi_turn_func_doc/ticket_api.json',
    TradingBot: 'multi_turn_func_doc/trading_bot.json',
    TravelAPI: 'multi_turn_func_doc/travel_booking.json',
    VehicleControlAPI: 'multi_turn_func_doc/vehicle_control.json',
  } satisfies Record<BfclClassName, string>,
} as const;

/** One parameter (or nested property) of a func doc, in BFCL's own type vocabulary. */
export interface BfclParamDoc {
  type: 'string' | 'integer' | 'float' | 'boolean' | 'array' | 'dict' | 'any' | 'tuple';
  description?: string;
  default?: JsonValue;
  items?: BfclParamDoc;
  properties?: Record<string, BfclParamDoc>;
  required?: string[];
  enum?: JsonValue[];
}

/** One public method's documentation, as offered to the model. */
export interface BfclFuncDoc {
  name: string;
  /** `"<class description> Tool description: <method description>"`. */
  description: string;
  parameters: { type: 'dict'; properties: Record<string, BfclParamDoc>; required: string[] };
  response?: JsonValue;
}

/** One task: the user requests (one per turn), the world's start and the ground truth. */
export interface BfclTask {
  id: string;
  /** The user message of each turn (this split has exactly one per turn). */
  requests: string[];
  /** Per API class, the scenario its loader receives (classes absent start from defaults). */
  initialConfig: Record<string, JsonValue>;
  /**
   * The same, as the JSON text of the file, so loaders that must tell `22.0` from `22` (Python
   * float vs int) can re-read it exactly.
   */
  initialConfigText: string;
  involvedClasses: BfclClassName[];
  /** Informational `Class.method` path; no checker reads it. */
  path: string[];
  /** Per turn, the ground-truth call strings (Python call syntax), run in order. */
  groundTruth: string[][];
}

export interface BfclData {
  tasks: BfclTask[];
  byId: Map<string, BfclTask>;
  funcDocs: Record<BfclClassName, BfclFuncDoc[]>;
  /** Bespoke Labs' 100/100 split (`bespokeSplit`, seed 42). */
  split: BfclSplit;
}

const paramSchema: Schema = {
  $id: 'bfcl-param',
  type: 'object',
  required: ['type'],
  properties: {
    type: { enum: ['string', 'integer', 'float', 'boolean', 'array', 'dict', 'any', 'tuple'] },
    description: { type: 'string' },
    items: { $ref: 'bfcl-param' },
    properties: { type: 'object', additionalProperties: { $ref: 'bfcl-param' } },
    required: { type: 'array', items: { type: 'string' } },
    enum: { type: 'array' },
  },
};

const funcDocSchema: Schema = {
  type: 'object',
  required: ['name', 'description', 'parameters'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    description: { type: 'string' },
    parameters: {
      type: 'object',
      required: ['type', 'properties', 'required'],
      properties: {
        type: { const: 'dict' },
        properties: { type: 'object', additionalProperties: paramSchema },
        required: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

const taskSchema: Schema = {
  type: 'object',
  required: ['id', 'question', 'initial_config', 'involved_classes'],
  properties: {
    id: { type: 'string', minLength: 1 },
    question: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 1,
        items: { type: 'object', required: ['role', 'content'], properties: { role: { const: 'user' }, content: { type: 'string' } } },
      },
    },
    initial_config: { type: 'object' },
    involved_classes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...BFCL_CLASSES] } },
    path: { type: 'array', items: { type: 'string' } },
  },
};

const answerSchema: Schema = {
  type: 'object',
  required: ['id', 'ground_truth'],
  properties: {
    id: { type: 'string', minLength: 1 },
    ground_truth: { type: 'array', items: { type: 'array', items: { type: 'string', minLength: 1 } } },
  },
};

/** Parses a JSON Lines file, naming file and line on any bad row. */
function parseLines(text: string, file: string): { value: unknown; line: string; where: string }[] {
  const out: { value: unknown; line: string; where: string }[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const where = `bfcl/${file} line ${i + 1}`;
    try {
      out.push({ value: JSON.parse(line), line, where });
    } catch (e) {
      throw new ValidationError(`${where}: not valid JSON (${(e as Error).message}); re-download with \`exitgym datasets pull bfcl\`.`);
    }
  }
  return out;
}

/**
 * The text of the value of a top-level key of a JSON object line, found by scanning (string-aware,
 * bracket-balanced), so number spellings survive.
 */
export function jsonFieldText(line: string, key: string): string | undefined {
  const needle = JSON.stringify(key);
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      const start = i;
      for (i++; i < line.length && line[i] !== '"'; i++) if (line[i] === '\\') i++;
      if (depth === 1 && line.slice(start, i + 1) === needle) {
        let j = i + 1;
        while (line[j] === ' ' || line[j] === ':' || line[j] === '\t') j++;
        const from = j;
        let d = 0;
        for (; j < line.length; j++) {
          const ch = line[j];
          if (ch === '"') {
            for (j++; j < line.length && line[j] !== '"'; j++) if (line[j] === '\\') j++;
            if (d === 0) return line.slice(from, j + 1);
          } else if (ch === '{' || ch === '[') d++;
          else if (ch === '}' || ch === ']') {
            if (d === 0) return line.slice(from, j).trimEnd();
            d--;
            if (d === 0) return line.slice(from, j + 1);
          } else if (ch === ',' && d === 0) return line.slice(from, j).trimEnd();
        }
        return line.slice(from).trimEnd();
      }
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return undefined;
}

function parseTasks(text: string): Omit<BfclTask, 'groundTruth'>[] {
  const seen = new Set<string>();
  return parseLines(text, BFCL_FILES.tasks).map(({ value, line, where }) => {
    const row = validate<{ id: string; question: { content: string }[][]; initial_config: Record<string, JsonValue>; involved_classes: BfclClassName[]; path?: string[] }>(taskSchema, value, where);
    if (seen.has(row.id)) throw new ValidationError(`${where}: duplicate task id "${row.id}".`);
    seen.add(row.id);
    return {
      id: row.id,
      requests: row.question.map((turn) => (turn[0] as { content: string }).content),
      initialConfig: row.initial_config,
      initialConfigText: jsonFieldText(line, 'initial_config') ?? JSON.stringify(row.initial_config),
      involvedClasses: row.involved_classes,
      path: row.path ?? [],
    };
  });
}

function parseAnswers(text: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const { value, where } of parseLines(text, BFCL_FILES.answers)) {
    const row = validate<{ id: string; ground_truth: string[][] }>(answerSchema, value, where);
    if (out.has(row.id)) throw new ValidationError(`${where}: duplicate ground-truth id "${row.id}".`);
    out.set(row.id, row.ground_truth);
  }
  return out;
}

function parseFuncDocs(text: string, file: string): BfclFuncDoc[] {
  const docs = parseLines(text, file).map(({ value, where }) => validate<BfclFuncDoc>(funcDocSchema, value, where));
  const names = new Set<string>();
  for (const d of docs) {
    if (names.has(d.name)) throw new ValidationError(`bfcl/${file}: method "${d.name}" is documented twice.`);
    names.add(d.name);
  }
  return docs;
}

/** Joins tasks with their ground truth; every task needs one, with one call list per turn. */
function joinTasks(tasks: Omit<BfclTask, 'groundTruth'>[], answers: Map<string, string[][]>): BfclTask[] {
  return tasks.map((t) => {
    const gt = answers.get(t.id);
    if (!gt) throw new ValidationError(`bfcl/${BFCL_FILES.answers}: no ground truth for task "${t.id}"; the two files must come from the same upstream commit.`);
    if (gt.length !== t.requests.length) {
      throw new ValidationError(`bfcl: task "${t.id}" has ${t.requests.length} user turns but ${gt.length} ground-truth turns; the two files must come from the same upstream commit.`);
    }
    return { ...t, groundTruth: gt };
  });
}

const cache = new Map<string, Promise<BfclData>>();

/**
 * Loads and validates the BFCL data (cached per data folder).
 *
 * @example
 * const data = await loadBfcl();
 * data.byId.get('multi_turn_base_0')?.groundTruth[0]; // ["cd(folder='document')", ...]
 */
export function loadBfcl(opts: { dataDir?: string } = {}): Promise<BfclData> {
  const key = opts.dataDir ?? process.env.EXITGYM_DATA_DIR ?? '';
  let p = cache.get(key);
  if (!p) {
    p = readBfcl(opts);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function readBfcl(opts: { dataDir?: string }): Promise<BfclData> {
  const read = async (rel: string): Promise<string> => readFile(await resolveDatasetFile('bfcl', rel, opts), 'utf8');
  const tasks = joinTasks(parseTasks(await read(BFCL_FILES.tasks)), parseAnswers(await read(BFCL_FILES.answers)));
  const funcDocs = {} as Record<BfclClassName, BfclFuncDoc[]>;
  for (const cls of BFCL_CLASSES) funcDocs[cls] = parseFuncDocs(await read(BFCL_FILES.funcDocs[cls]), BFCL_FILES.funcDocs[cls]);
  return { tasks, byId: new Map(tasks.map((t) => [t.id, t])), funcDocs, split: bespokeSplit(tasks.map((t) => t.id)) };
}
