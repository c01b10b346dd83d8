/**
 * Competition descriptions: the full Kaggle-derived text (written into `public/description.md`)
 * and the short obfuscated variant the paper's prompt uses. They are MLE-bench's files, read from
 * `EXITGYM_DATA_DIR/mlebench/<id>/` or the cache (`exitgym datasets pull mlebench`), never
 * shipped in the repo.
 */
import { readFile } from 'node:fs/promises';
import { resolveDatasetFile } from '../paths.js';
import { competition } from './competitions.js';

export type DescriptionVariant = 'obfuscated' | 'full';

/**
 * The description markdown of a competition.
 *
 * @example
 * const task = await competitionDescription('spooky-author-identification'); // obfuscated
 */
export async function competitionDescription(id: string, variant: DescriptionVariant = 'obfuscated'): Promise<string> {
  const c = competition(id);
  const file = variant === 'obfuscated' ? 'description_obfuscated.md' : 'description.md';
  return (await readFile(await resolveDatasetFile('mlebench', `${c.id}/${file}`), 'utf8')).trim();
}
