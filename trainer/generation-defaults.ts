/**
 * The sampling defaults a checkpoint ships in `generation_config.json` (temperature, top_p,
 * top_k): what a request that leaves a field out gets, as vLLM does with `--generation-config
 * auto`. Only fields the file sets count; transformers' built-in defaults (top_k 50) do not.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';

export interface SamplingDefaults {
  temperature?: number;
  topP?: number;
  /** 0 keeps every token. */
  topK?: number;
}

/** Pure: the defaults in a parsed generation_config.json; `where` names the file in errors. */
export function samplingDefaults(gen: Record<string, unknown>, where = 'generation_config.json'): SamplingDefaults {
  const out: SamplingDefaults = {};
  const num = (key: string, ok: (v: number) => boolean, what: string): number | undefined => {
    const v = gen[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !ok(v)) throw new ConfigError(`${where}: "${key}" must be ${what}; got ${JSON.stringify(v)}.`);
    return v;
  };
  const temperature = num('temperature', (v) => v >= 0 && Number.isFinite(v), 'a number ≥ 0');
  const topP = num('top_p', (v) => v > 0 && v <= 1, 'a number in (0, 1]');
  const topK = num('top_k', (v) => Number.isInteger(v) && v >= -1, 'an integer ≥ -1');
  if (temperature !== undefined) out.temperature = temperature;
  if (topP !== undefined) out.topP = topP;
  if (topK !== undefined) out.topK = Math.max(0, topK); // -1 (vLLM) and 0 both mean "every token"
  return out;
}

/** The defaults of the checkpoint folder `dir` (none when it has no generation_config.json). */
export async function readSamplingDefaults(dir: string): Promise<SamplingDefaults> {
  const path = join(dir, 'generation_config.json');
  if (!existsSync(path)) return {};
  return samplingDefaults(JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>, path);
}
