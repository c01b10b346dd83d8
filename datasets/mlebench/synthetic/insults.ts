/** Synthetic detecting-insults-in-social-commentary (SPEC.md §6.3): quoted, escaped comment ids. */
import type { Rng } from '../../../core/rng.js';
import { list, poisson, scaled, toCsv, uniform, type GeneratorInput, type SyntheticFiles } from './common.js';

const NEUTRAL = list(`i think the article point game team vote government people that this is was not really good bad agree disagree
  with your comment about policy economy season coach player obama romney tax money jobs school thanks for sharing interesting
  read well said maybe they should would could but and or so if what when why how just news story last year week time`);
const INSULT = list('idiot moron stupid dumb loser retard clown troll fool ignorant pathetic ugly fat liar hypocrite scum');
const YOU = list("you you're your u ur yourself");
const PROFANITY = list('fuck fucking shit damn hell crap ass');
const D0 = Date.UTC(2012, 2, 20);
const D1 = Date.UTC(2012, 8, 20);

function date(rng: Rng): string {
  if (!rng.bool(0.82)) return '';
  const d = new Date(Math.floor(uniform(rng, D0, D1) / 1000) * 1000);
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function comment(rng: Rng, insult: boolean, seen: Set<string>): string {
  const tokens: string[] = [];
  const base = 4 + poisson(rng, 14);
  for (let i = 0; i < base; i++) tokens.push(rng.choice(NEUTRAL));
  if (insult) {
    if (rng.bool(0.45)) {
      tokens.push(rng.choice(YOU), rng.bool(0.5) ? 'are' : 'a', rng.choice(INSULT));
      if (rng.bool(0.4)) tokens.push(rng.choice(INSULT));
    } else {
      const k = 1 + rng.int(2);
      for (let i = 0; i < k; i++) tokens.push(rng.choice(YOU));
    }
    if (rng.bool(0.35)) tokens.push(rng.choice(PROFANITY));
  } else {
    if (rng.bool(0.5)) tokens.push(rng.choice(YOU));
    if (rng.bool(0.2)) tokens.push(rng.choice(PROFANITY));
    if (rng.bool(0.12)) tokens.push(rng.choice(INSULT));
  }
  const shuffled = rng.shuffle(tokens);
  for (;;) {
    let text = '';
    shuffled.forEach((w, i) => {
      if (i > 0) text += rng.bool(0.05) ? '\\xa0' : rng.bool(0.03) ? '\\n' : ' ';
      text += w;
    });
    // The literal surrounding quotes are part of the value, as in the real data.
    const value = `"${text}"`;
    if (!seen.has(value)) {
      seen.add(value);
      return value;
    }
    shuffled.push(rng.choice(NEUTRAL));
  }
}

export function generateInsults({ rng, scale }: GeneratorInput): SyntheticFiles {
  const nTrain = scaled(900, scale, 40);
  const nTest = scaled(600, scale, 40);
  const seen = new Set<string>();
  const draw = (): { insult: number; date: string; comment: string } => {
    const insult = rng.bool(0.265);
    return { insult: insult ? 1 : 0, date: date(rng), comment: comment(rng, insult, seen) };
  };
  const train = Array.from({ length: nTrain }, draw);
  const test = Array.from({ length: nTest }, draw).map((r) => ({ ...r, usage: rng.bool(0.53) ? 'PrivateTest' : 'PublicTest' }));
  const files: SyntheticFiles = new Map();
  files.set('public/train.csv', toCsv(['Insult', 'Date', 'Comment'], train.map((r) => [r.insult, r.date, r.comment])));
  files.set('public/test.csv', toCsv(['Date', 'Comment'], test.map((r) => [r.date, r.comment])));
  files.set('public/sample_submission_null.csv', toCsv(['Insult', 'Date', 'Comment'], test.map((r) => [0, r.date, r.comment])));
  files.set('private/test.csv', toCsv(['Insult', 'Date', 'Comment', 'Usage'], test.map((r) => [r.insult, r.date, r.comment, r.usage])));
  files.set('private/gold_submission.csv', toCsv(['Insult', 'Date', 'Comment'], test.map((r) => [r.insult, r.date, r.comment])));
  return files;
}
