/**
 * Saving and loading the buffer as JSON lines, atomically: line 1 is a header (version,
 * capacity, clocks), then one entry per line in slot order, so a resumed run samples exactly as
 * the saved one would have. Derived indexes are not stored; they are rebuilt on first use.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schema } from 'ajv';
import { ValidationError } from '../core/errors.js';
import { taskKey } from '../core/hash.js';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic-write.js';
import { validate } from '../core/schema.js';
import { historySchema } from '../core/start-state.js';
import type { BufferEntry, BufferState } from './buffer-types.js';
import type { CurriculumState } from './episode-start.js';
import { MAX_LEARNABILITY } from './learnability.js';

const headerSchema: Schema = {
  type: 'object',
  required: ['kind', 'version', 'capacity', 'size', 'clock', 'sampleClock'],
  properties: {
    kind: { const: 'exitgym-buffer' },
    version: { const: 2 },
    capacity: { type: 'integer', minimum: 1 },
    size: { type: 'integer', minimum: 0 },
    clock: { type: 'integer', minimum: 0 },
    sampleClock: { type: 'integer', minimum: 0 },
  },
  additionalProperties: false,
};

const entrySchema: Schema = {
  type: 'object',
  required: ['key', 'history', 'score', 'parentKey', 'insertedAt', 'scoredAt', 'lastSampledAt', 'timesSampled'],
  properties: {
    key: { type: 'string' },
    history: historySchema,
    score: { type: 'number', minimum: 0, maximum: MAX_LEARNABILITY },
    parentKey: { type: ['string', 'null'] },
    insertedAt: { type: 'integer', minimum: 0 },
    scoredAt: { type: 'integer', minimum: 0 },
    lastSampledAt: { type: 'integer', minimum: 0 },
    timesSampled: { type: 'integer', minimum: 0 },
    gtSteps: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
};

/** The buffer as JSON-lines text. */
export function bufferToJsonLines(state: BufferState): string {
  const header = { kind: 'exitgym-buffer', version: state.version, capacity: state.capacity, size: state.entries.length, clock: state.clock, sampleClock: state.sampleClock };
  return [header, ...state.entries].map((x) => JSON.stringify(x)).join('\n') + '\n';
}

/** Parses and validates JSON-lines text; `where` names the source in errors. */
export function bufferFromJsonLines(text: string, where = 'buffer'): BufferState {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parse = (line: string, n: number): unknown => {
    try {
      return JSON.parse(line);
    } catch (e) {
      throw new ValidationError(`${where}:${n}: not valid JSON (${(e as Error).message}); the file is damaged, restore it from the previous checkpoint.`);
    }
  };
  if (lines.length === 0) throw new ValidationError(`${where}: empty file; expected a header line then one entry per line.`);
  const header = validate<{ capacity: number; size: number; clock: number; sampleClock: number }>(headerSchema, parse(lines[0] as string, 1), `${where}:1 header`);
  if (lines.length - 1 !== header.size) {
    throw new ValidationError(`${where}: header says ${header.size} entries but the file has ${lines.length - 1}; the file is truncated or damaged.`);
  }
  if (header.size > header.capacity) throw new ValidationError(`${where}: ${header.size} entries exceed capacity ${header.capacity}.`);
  const keys = new Set<string>();
  const entries = lines.slice(1).map((line, i) => {
    const e = validate<BufferEntry>(entrySchema, parse(line, i + 2), `${where}:${i + 2}`);
    if (taskKey(e.history) !== e.key) throw new ValidationError(`${where}:${i + 2}: key ${e.key} does not match its history (taskKey ${taskKey(e.history)}); the entry was edited.`);
    if (keys.has(e.key)) throw new ValidationError(`${where}:${i + 2}: duplicate key ${e.key}.`);
    keys.add(e.key);
    return e;
  });
  return { version: 2, capacity: header.capacity, entries, clock: header.clock, sampleClock: header.sampleClock };
}

/** Writes the buffer atomically (a crash leaves the old file or the new one). */
export async function saveBuffer(path: string, state: BufferState): Promise<void> {
  await writeFileAtomic(path, bufferToJsonLines(state));
}

/** Reads a buffer written by `saveBuffer`. */
export async function loadBuffer(path: string): Promise<BufferState> {
  return bufferFromJsonLines(await readFile(path, 'utf8'), path);
}

const curriculumSchema: Schema = {
  type: 'object',
  required: ['kind', 'version', 'base', 'episodes', 'replays', 'seenKeys', 'bufferStamp'],
  properties: {
    kind: { const: 'exitgym-curriculum' },
    version: { const: 1 },
    base: {
      type: 'object',
      required: ['taskIds', 'order', 'cursor', 'epoch'],
      properties: {
        taskIds: { type: 'array', items: { type: 'string' }, minItems: 1 },
        order: { type: 'array', items: { type: 'integer', minimum: 0 } },
        cursor: { type: 'integer', minimum: 0 },
        epoch: { type: 'integer', minimum: 0 },
      },
      additionalProperties: false,
    },
    episodes: { type: 'integer', minimum: 0 },
    replays: { type: 'integer', minimum: 0 },
    seenKeys: { type: 'array', items: { type: 'string' } },
    bufferStamp: {
      type: 'object',
      required: ['clock', 'sampleClock', 'size'],
      properties: {
        clock: { type: 'integer', minimum: 0 },
        sampleClock: { type: 'integer', minimum: 0 },
        size: { type: 'integer', minimum: 0 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/** Which buffer a `curriculum.json` was saved with: its clocks and size. */
interface BufferStamp {
  clock: number;
  sampleClock: number;
  size: number;
}

const stampOf = (b: BufferState): BufferStamp => ({ clock: b.clock, sampleClock: b.sampleClock, size: b.entries.length });

/**
 * Saves a whole curriculum state into a folder: `buffer.jsonl` (see `saveBuffer`) and
 * `curriculum.json` (base sampler, counters, seen keys, and the stamp of the buffer it goes
 * with), each written atomically. A trainer checkpoint that swaps whole folders gets both or
 * neither; a crash between the two writes of an in-place save leaves a pair whose stamps
 * disagree, which `loadCurriculum` refuses instead of resuming from mismatched halves.
 */
export async function saveCurriculum(dir: string, state: CurriculumState): Promise<void> {
  await saveBuffer(join(dir, 'buffer.jsonl'), state.buffer);
  const { buffer, ...rest } = state;
  await writeJsonAtomic(join(dir, 'curriculum.json'), { kind: 'exitgym-curriculum', ...rest, bufferStamp: stampOf(buffer) });
}

/** Loads a folder written by `saveCurriculum`. */
export async function loadCurriculum(dir: string): Promise<CurriculumState> {
  const path = join(dir, 'curriculum.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new ValidationError(`${path}: cannot read the curriculum state (${(e as Error).message}); resume from a complete checkpoint folder.`, { cause: e });
  }
  const { kind: _kind, bufferStamp, ...rest } = validate<Omit<CurriculumState, 'buffer'> & { kind: string; bufferStamp: BufferStamp }>(curriculumSchema, raw, path);
  const bufferPath = join(dir, 'buffer.jsonl');
  const buffer = await loadBuffer(bufferPath);
  const found = stampOf(buffer);
  if (found.clock !== bufferStamp.clock || found.sampleClock !== bufferStamp.sampleClock || found.size !== bufferStamp.size) {
    throw new ValidationError(
      `${bufferPath} (clock ${found.clock}, sampleClock ${found.sampleClock}, ${found.size} entries) is not the buffer ${path} was saved with ` +
        `(clock ${bufferStamp.clock}, sampleClock ${bufferStamp.sampleClock}, ${bufferStamp.size} entries); the two come from different saves ` +
        '(a crash between them?). Resume from a complete checkpoint folder.',
    );
  }
  return { ...rest, buffer };
}
