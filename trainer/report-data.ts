/**
 * Reads a training run directory for the report: `metrics.jsonl` (one JSON object per iteration,
 * namespaced metric keys) and `config.json`. Built to read a run that is still being written or
 * was killed: a torn last line, lines without some keys, null/NaN values, a resumed run that wrote
 * an iteration twice, and unreadable lines are all reported as notes, never a crash.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../core/errors.js';
import { RUN_FILES } from './run-files.js';


/** One iteration's metrics: numbers, or null where the value was null, NaN or ±Infinity. */
export interface MetricsRow {
  iteration: number;
  /** Unix seconds when the line was written, if recorded. */
  time?: number;
  values: Record<string, number | null>;
}

/** What parsing metrics.jsonl found. */
export interface ParsedMetrics {
  /** One row per iteration, sorted; when an iteration appears twice the later line wins. */
  rows: MetricsRow[];
  /** Lines that could not be used, with why (1-based line numbers). */
  skipped: { line: number; reason: string }[];
  /** How many lines repeated an earlier iteration (a run resumed from a checkpoint rewrites them). */
  replaced: number;
  /** The last line had no newline and did not parse: the writer was cut off (or is writing it). */
  tornTail: boolean;
}

/** A run directory as the report sees it. */
export interface RunData extends ParsedMetrics {
  runDir: string;
  metricsPath: string;
  /** When metrics.jsonl was last written. */
  modified: Date;
  /** The resolved config, when config.json exists and parses. */
  config?: Record<string, unknown>;
  /** Why the config is missing or unreadable, when it is. */
  configNote?: string;
}

// Python's json.dumps writes NaN / Infinity / -Infinity bare; JSON has no such literals. Read them
// as missing values (only where a value starts, so strings that mention NaN are untouched).
const BARE_NON_FINITE = /([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g;

function parseLine(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    const patched = raw.replace(BARE_NON_FINITE, '$1null');
    if (patched === raw) throw e;
    return JSON.parse(patched);
  }
}

/** Parses the text of a metrics.jsonl file (pure). */
export function parseMetrics(text: string): ParsedMetrics {
  const lines = text.split('\n');
  const byIteration = new Map<number, MetricsRow>();
  const skipped: ParsedMetrics['skipped'] = [];
  let replaced = 0;
  let tornTail = false;
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = parseLine(raw);
    } catch (e) {
      if (i === lines.length - 1 && !text.endsWith('\n')) tornTail = true;
      else skipped.push({ line: i + 1, reason: `not valid JSON (${(e as Error).message})` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      skipped.push({ line: i + 1, reason: 'not a JSON object' });
      return;
    }
    const obj = value as Record<string, unknown>;
    const iteration = obj.iteration;
    if (typeof iteration !== 'number' || !Number.isInteger(iteration) || iteration < 0) {
      skipped.push({ line: i + 1, reason: `"iteration" is ${JSON.stringify(iteration) ?? 'missing'}, not a non-negative integer` });
      return;
    }
    const values: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'iteration' || k === 'time') continue;
      if (typeof v === 'number') values[k] = Number.isFinite(v) ? v : null;
      else if (v === null) values[k] = null;
      // Strings, booleans and nested objects are not metrics; leave them out of the charts.
    }
    const row: MetricsRow = { iteration, values };
    if (typeof obj.time === 'number' && Number.isFinite(obj.time)) row.time = obj.time;
    if (byIteration.has(iteration)) replaced++;
    byIteration.set(iteration, row);
  });
  const rows = [...byIteration.values()].sort((a, b) => a.iteration - b.iteration);
  return { rows, skipped, replaced, tornTail };
}

/** Every metric key that appears in some row, sorted. */
export function metricKeys(rows: readonly MetricsRow[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.values)) keys.add(k);
  return [...keys].sort();
}

/**
 * Reads `RUN_DIR/metrics.jsonl` and `RUN_DIR/config.json`. Throws `ValidationError` naming the path
 * and what to do when the folder or the metrics file is missing, or holds no iteration yet.
 */
export async function readRun(runDir: string): Promise<RunData> {
  const dirStat = await stat(runDir).catch(() => undefined);
  if (!dirStat?.isDirectory()) {
    throw new ValidationError(`run directory ${runDir} ${dirStat ? 'is not a folder' : 'does not exist'}; pass the folder given to \`exitgym train --run-dir\`.`);
  }
  const metricsPath = join(runDir, RUN_FILES.metrics);
  let text: string;
  let modified: Date;
  try {
    [text, modified] = await Promise.all([readFile(metricsPath, 'utf8'), stat(metricsPath).then((s) => s.mtime)]);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ValidationError(
      missing
        ? `${metricsPath} not found: ${runDir} is not a training run directory, or its run has not finished an iteration yet; pass the folder given to \`exitgym train --run-dir\`, or wait for the first iteration.`
        : `cannot read ${metricsPath}: ${(e as Error).message}`,
    );
  }
  const parsed = parseMetrics(text);
  if (parsed.rows.length === 0) {
    const why = parsed.skipped.length ? ` (${parsed.skipped.length} unusable lines, first: line ${parsed.skipped[0]!.line}: ${parsed.skipped[0]!.reason})` : '';
    throw new ValidationError(`${metricsPath} holds no complete iteration yet${why}; run the report again after the first iteration is logged.`);
  }
  const run: RunData = { runDir, metricsPath, modified, ...parsed };
  const configPath = join(runDir, RUN_FILES.config);
  try {
    const config = JSON.parse(await readFile(configPath, 'utf8')) as unknown;
    if (typeof config === 'object' && config !== null && !Array.isArray(config)) run.config = config as Record<string, unknown>;
    else run.configNote = `${configPath} is not a JSON object`;
  } catch (e) {
    run.configNote = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${configPath} not found` : `${configPath} unreadable: ${(e as Error).message}`;
  }
  return run;
}
