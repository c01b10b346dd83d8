/**
 * Seeded synthetic stand-ins for the MLE-bench competitions (SPEC.md §6): the same files, columns
 * and id formats as the real prepared data, with learnable but imperfect signal, so everything runs
 * offline. Generated into the cache (atomic writes), never committed.
 */
import { access, chmod, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../../core/atomic-write.js';
import { ConfigError, ExitgymError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { cacheDir, resolveDatasetFile } from '../../paths.js';
import { competition, type Competition } from '../competitions.js';
import type { Generator, SyntheticFiles } from './common.js';
import { parse } from 'csv-parse/sync';

export type { SyntheticFiles } from './common.js';

/** Generators by competition id, loaded on use. */
export const SYNTHETIC_GENERATORS: Record<string, () => Promise<Generator>> = {
  'random-acts-of-pizza': async () => (await import('./pizza.js')).generatePizza,
  'spooky-author-identification': async () => (await import('./spooky.js')).generateSpooky,
  'detecting-insults-in-social-commentary': async () => (await import('./insults.js')).generateInsults,
  'nomad2018-predict-transparent-conductors': async () => (await import('./nomad.js')).generateNomad,
  'jigsaw-toxic-comment-classification-challenge': async () => (await import('./jigsaw.js')).generateJigsaw,
  'aerial-cactus-identification': async () => (await import('./cactus.js')).generateCactus,
};

export interface SyntheticOptions {
  seed?: number;
  /** Multiplier on the small profile's row counts (SPEC.md §6); default 1. */
  scale?: number;
}

/**
 * Why the answers could not be graded (an AUC class with fewer than 5 positives or negatives),
 * or undefined when they are fine.
 */
function answersProblem(c: Competition, files: SyntheticFiles): string | undefined {
  const text = files.get(`private/${c.answersFile}`);
  if (text === undefined) return `generator wrote no private/${c.answersFile}`;
  const rows = parse(typeof text === 'string' ? text : Buffer.from(text), { columns: true }) as Array<Record<string, string>>;
  const g = c.grader;
  const targets = g.kind === 'auc' ? [g.targetColumn] : g.kind === 'columnwise-auc' ? g.classes : [];
  for (const t of targets) {
    const values = rows.map((r) => Number(r[t])).filter((v) => v >= 0);
    const pos = values.filter((v) => v === 1).length;
    if (pos < 5 || values.length - pos < 5) return `"${t}" has ${pos} positives and ${values.length - pos} negatives`;
  }
  return undefined;
}

/**
 * The files of one synthetic competition, in memory. The stream is derived from the seed and
 * the competition id; if the draw cannot be graded, it is redrawn from the next sub-seed.
 */
export async function generateSyntheticFiles(id: string, opts: SyntheticOptions = {}): Promise<SyntheticFiles> {
  const c = competition(id);
  const load = SYNTHETIC_GENERATORS[c.id];
  if (!load) throw new ConfigError(`no synthetic generator for competition "${c.id}"; add one to SYNTHETIC_GENERATORS.`);
  const scale = opts.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ConfigError(`synthetic scale must be a positive number; got ${scale}.`);
  const generate = await load();
  const root = Rng.fromSeed(opts.seed ?? 0);
  let problem = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const files = generate({ rng: root.fork(`${c.id}#${attempt}`), scale });
    const p = answersProblem(c, files);
    if (p === undefined) return files;
    problem = p;
  }
  throw new ExitgymError('internal', `synthetic ${c.id}: 20 draws could not produce gradable answers (${problem}); use a larger scale.`);
}

/** Where `ensureSynthetic` puts a competition's `prepared/` folder. */
export function syntheticDir(id: string, opts: SyntheticOptions & { root?: string } = {}): string {
  return join(opts.root ?? join(cacheDir(), 'mlebench-synthetic'), id, `seed${opts.seed ?? 0}-scale${opts.scale ?? 1}`, 'prepared');
}

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/**
 * Generates a synthetic competition into the cache (or `root`) unless it is already complete, and
 * returns its `prepared/` folder (`public/` for the script, `private/` for the grader). The real
 * `description.md` is copied into `public/` when the data dir has it. A `.complete` marker is
 * written last, so an interrupted generation is redone.
 *
 * @example
 * const prepared = await ensureSynthetic('spooky-author-identification', { seed: 1 });
 */
export async function ensureSynthetic(id: string, opts: SyntheticOptions & { root?: string } = {}): Promise<string> {
  const dir = syntheticDir(id, opts);
  const marker = join(dir, '.complete');
  if (await exists(marker)) {
    await closePrivate(dir);
    return dir;
  }
  const files = await generateSyntheticFiles(id, opts);
  for (const [rel, content] of files) await writeFileAtomic(join(dir, rel), content);
  try {
    const description = await readFile(await resolveDatasetFile('mlebench', `${id}/description.md`));
    await writeFileAtomic(join(dir, 'public', 'description.md'), description);
  } catch (e) {
    if (!(e instanceof ExitgymError && e.code === 'dataset_missing')) throw e;
  }
  await closePrivate(dir);
  await writeJsonAtomic(marker, { competition: id, seed: opts.seed ?? 0, scale: opts.scale ?? 1, files: files.size });
  return dir;
}

/** The answers are the grader's: `private/` is readable by this user only, wherever the data lives. */
async function closePrivate(prepared: string): Promise<void> {
  const priv = join(prepared, 'private');
  await chmod(priv, 0o700);
  for (const name of await readdir(priv)) await chmod(join(priv, name), 0o600);
}
