/** Synthetic jigsaw-toxic-comment-classification-challenge (SPEC.md §6.5): six lexicon-driven labels. */
import type { Rng } from '../../../core/rng.js';
import { HEX, list, poisson, randomString, scaled, toCsv, unique, type GeneratorInput, type SyntheticFiles } from './common.js';

export const JIGSAW_LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'] as const;
const NEUTRAL = list(`the article page edit wikipedia source citation please talk section thanks i you it is was this that not for on be
  are with as have can will would should add remove delete revert policy vandalism image copyright reference user discussion
  notable information link consensus admin block fact deleted`);
const LEXICONS: string[][] = [
  list('stupid dumb idiot hate sucks crap pathetic loser'),
  list('die scum filthy worthless'),
  list('fuck fucking shit ass bitch dick'),
  list('kill hurt find beat destroy'),
  list('idiot moron fool loser jerk clown'),
  list('foreigners immigrants heathens outsiders tribesmen'),
];
const RATES = [0.15, 0.55, 0.12, 0.5, 0.15];

interface Row {
  id: string;
  text: string;
  labels: number[];
}

function row(rng: Rng, ids: Set<string>): Row {
  const toxic = rng.bool(0.15);
  const labels = [toxic ? 1 : 0, ...RATES.map((p) => (toxic && rng.bool(p) ? 1 : 0))];
  const tokens: string[] = [];
  const base = 5 + poisson(rng, 25);
  for (let i = 0; i < base; i++) tokens.push(rng.choice(NEUTRAL));
  labels.forEach((y, j) => {
    const lex = LEXICONS[j] as string[];
    if (y === 1 && rng.bool(0.6)) {
      const k = 1 + poisson(rng, 0.6);
      for (let i = 0; i < k; i++) tokens.push(rng.choice(lex));
    } else if (y === 0 && rng.bool(0.05)) tokens.push(rng.choice(lex));
  });
  const shuffled = rng.shuffle(tokens);
  let text: string;
  if (rng.bool(0.2)) {
    const parts = 2 + rng.int(2);
    const cut = Math.ceil(shuffled.length / parts);
    text = Array.from({ length: parts }, (_, p) => shuffled.slice(p * cut, (p + 1) * cut).join(' ')).filter((s) => s).join('\n');
  } else text = shuffled.join(' ');
  if (rng.bool(0.1)) text = `"${text}"`;
  return { id: unique(ids, () => randomString(rng, HEX, 16)), text, labels };
}

export function generateJigsaw({ rng, scale }: GeneratorInput): SyntheticFiles {
  const ids = new Set<string>();
  const train = Array.from({ length: scaled(2000, scale, 100) }, () => row(rng, ids));
  const test = Array.from({ length: scaled(1000, scale, 100) }, () => row(rng, ids));
  const scored = test.map(() => !rng.bool(0.4));
  const files: SyntheticFiles = new Map();
  files.set('public/train.csv', toCsv(['id', 'comment_text', ...JIGSAW_LABELS], train.map((r) => [r.id, r.text, ...r.labels])));
  files.set('public/test.csv', toCsv(['id', 'comment_text'], test.map((r) => [r.id, r.text])));
  files.set('public/sample_submission.csv', toCsv(['id', ...JIGSAW_LABELS], test.map((r) => [r.id, ...JIGSAW_LABELS.map(() => 0.5)])));
  files.set('private/test.csv', toCsv(['id', ...JIGSAW_LABELS], test.map((r, i) => [r.id, ...(scored[i] ? r.labels : r.labels.map(() => -1))])));
  return files;
}
