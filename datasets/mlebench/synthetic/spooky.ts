/** Synthetic spooky-author-identification (SPEC.md §6.2): author-marked vocabularies in shared prose. */
import type { Rng } from '../../../core/rng.js';
import { capitalise, clamp, list, poisson, scaled, testCount, toCsv, unique, type GeneratorInput, type SyntheticFiles } from './common.js';

const AUTHORS = ['EAP', 'HPL', 'MWS'] as const;
const FUNCTION = list('the of and to a in that was it i his he with as had which for my but not by at this be from on is her all were so me upon an or no one there we when');
const SHARED = list(`night house door eyes face hand time life death heart mind thing man old dark light great little long first last
  seemed saw felt knew thought found came went heard room window wall earth moon shadow voice silence fear dream day years world
  body head words way place water wind sky street fire blood sound air morning evening hour moment length manner nature part side`);
const MARKED: Record<(typeof AUTHORS)[number], string[]> = {
  EAP: list(`ratiocination phantasm chamber singular intellect madness raven crypt pendulum tarn valdemar dupin analysis perceived
    excessively wholly pit fever merely nevermore velvet bosom corpse sepulchre lantern ebony cask amontillado peculiar balloon`),
  HPL: list(`eldritch cyclopean antediluvian nameless gibbous squamous arkham miskatonic innsmouth cthulhu shoggoth blasphemous
    fungous daemoniac abyss hideous whateley dunwich necronomicon gambrel aeons elder ancient cult strange hill stone vault carven nighted`),
  MWS: list(`adrian raymond perdita idris elizabeth victor clerval misery tears affection despair beloved sorrow wretched creature
    countenance tranquillity plague england windsor hope love friend soul gentle grief father sister happiness lady`),
};
const FUNCTION_WEIGHTS = FUNCTION.map((_, i) => 1 / (i + 1));
/** Kaggle's own sample-submission constants (SPEC.md §3.2). */
const SAMPLE = ['0.403493538995863', '0.287808366106543', '0.308698094897594'];

function sentence(rng: Rng, author: number, sharedWeights: number[][]): string {
  const len = clamp(6 + poisson(rng, 16), 4, 60);
  const blank = rng.bool(0.15);
  const tokens: string[] = [];
  for (let i = 0; i < len; i++) {
    let w: string;
    if (rng.bool(0.45)) w = FUNCTION[rng.weighted(FUNCTION_WEIGHTS)] as string;
    else if (!blank && rng.bool(0.12)) {
      const from = rng.bool(0.6) ? author : [0, 1, 2].filter((a) => a !== author)[rng.int(2)] as number;
      w = rng.choice(MARKED[AUTHORS[from] as (typeof AUTHORS)[number]]);
    } else w = SHARED[rng.weighted(sharedWeights[author] as number[])] as string;
    tokens.push(i < len - 1 && rng.bool(0.1) ? `${w},` : w);
  }
  return `${capitalise(tokens.join(' ').replace(/,$/, ''))}.`;
}

export function generateSpooky({ rng, scale }: GeneratorInput): SyntheticFiles {
  const n = scaled(2000, scale, 60);
  const sharedWeights = AUTHORS.map(() => SHARED.map(() => Math.exp(0.45 * rng.normal())));
  const ids = new Set<string>();
  const rows: Array<{ id: string; text: string; author: number }> = [];
  for (let i = 0; i < n; i++) {
    const author = rng.weighted([0.403, 0.288, 0.309]);
    rows.push({ id: unique(ids, () => `id${String(rng.int(28000)).padStart(5, '0')}`), text: sentence(rng, author, sharedWeights), author });
  }
  let order = rng.shuffle(rows);
  const nTest = testCount(n, 0.1);
  // Every class must appear in the test answers (SPEC.md §6.0); reshuffle deterministically if not.
  while (new Set(order.slice(0, nTest).map((r) => r.author)).size < 3) order = rng.shuffle(order);
  const test = order.slice(0, nTest);
  const train = order.slice(nTest);
  const files: SyntheticFiles = new Map();
  files.set('public/train.csv', toCsv(['id', 'text', 'author'], train.map((r) => [r.id, r.text, AUTHORS[r.author] as string])));
  files.set('public/test.csv', toCsv(['id', 'text'], test.map((r) => [r.id, r.text])));
  files.set('public/sample_submission.csv', toCsv(['id', ...AUTHORS], test.map((r) => [r.id, ...SAMPLE])));
  files.set('private/test.csv', toCsv(['id', ...AUTHORS], test.map((r) => [r.id, ...AUTHORS.map((_, a) => (a === r.author ? 1 : 0))])));
  return files;
}
