/** Synthetic random-acts-of-pizza (SPEC.md §6.1): a latent merit drives text, numbers and label. */
import type { Rng } from '../../../core/rng.js';
import { BASE36, capitalise, list, normal, poisson, randomString, scaled, sigmoid, testCount, toCsv, uniform, unique, zip, type GeneratorInput, type SyntheticFiles } from './common.js';

const NEUTRAL = list(`pizza hi everyone hello reddit would really love a some tonight today please just hungry anything any help
  appreciated thank you so much for considering my request it been long week i we am are have has live in near town city area
  small large cheese pepperoni delivery dominos papa johns order could anyone kind person out there here`);
const NEED = list(`job paycheck rent bills student kids daughter son wife family broke unemployed laid off interview verify imgur
  proof pay forward return favor friday groceries account empty food stamps`);
const FRIVOLOUS = list('craving bored drunk party game birthday celebrate lazy munchies beer movie weekend tired fun');
const SUBREDDITS = list(`AskReddit pics funny gaming Random_Acts_Of_Pizza todayilearned WTF IAmA videos worldnews politics trees
  atheism movies Music aww gifs science technology programming books food Cooking fitness personalfinance Frugal jobs
  college AdviceAnimals reddit.com offbeat Games pokemon starcraft leagueoflegends Minecraft DIY Android apple sports nba`);
const T0 = 1291766400; // 2010-12-08
const T1 = 1380412800; // 2013-09-29

function text(rng: Rng, m: number, base: number): string {
  const tokens: string[] = [];
  for (let i = 0; i < base; i++) tokens.push(rng.choice(NEUTRAL));
  const need = poisson(rng, Math.exp(-0.2 + 0.9 * m));
  for (let i = 0; i < need; i++) tokens.push(rng.choice(NEED));
  const friv = poisson(rng, Math.exp(-0.5 - 0.9 * m));
  for (let i = 0; i < friv; i++) tokens.push(rng.choice(FRIVOLOUS));
  const shuffled = rng.shuffle(tokens);
  let out = '';
  let next = 8 + rng.int(8);
  shuffled.forEach((w, i) => {
    out += (i === 0 ? capitalise(w) : ` ${w}`);
    if (i + 1 === next) {
      out += '.';
      next += 8 + rng.int(8);
    }
  });
  return out.endsWith('.') ? out : `${out}.`;
}

const logNormal = (rng: Rng, mu: number, sd: number): number => Math.exp(normal(rng, mu, sd));

export function generatePizza({ rng, scale }: GeneratorInput): SyntheticFiles {
  const n = scaled(1100, scale, 60);
  const ids = new Set<string>();
  const users = new Set<string>();
  const handle = (): string => unique(users, () => randomString(rng, 'abcdefghijklmnopqrstuvwxyz0123456789_', 5 + rng.int(10)));
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const m = rng.normal();
    const t = rng.next();
    const label = rng.bool(sigmoid(-1.55 + 1.6 * m - 0.35 * (2 * t - 1)));
    const ts = Math.round(T0 + t * (T1 - T0));
    const age = rng.bool(0.92) ? logNormal(rng, Math.log(200) + 0.45 * m, 1.3) : rng.next();
    const comments = rng.bool(0.85) ? poisson(rng, logNormal(rng, Math.log(40) + 0.45 * m, 1.4)) : 0;
    const posts = poisson(rng, logNormal(rng, Math.log(8), 1.2));
    const nSubs = Math.min(comments, poisson(rng, logNormal(rng, Math.log(15) + 0.22 * m, 1.0)), SUBREDDITS.length);
    const subs = rng.shuffle(SUBREDDITS).slice(0, nSubs).sort();
    const raopPosts = rng.bool(0.08 + 0.05 * (m > 1 ? 1 : 0)) ? 1 : 0;
    const raopComments = poisson(rng, 0.3);
    const daysRaop = raopPosts > 0 ? uniform(rng, 1, 400) : 0;
    const plus = poisson(rng, logNormal(rng, Math.log(300) + 0.45 * m, 1.5));
    const minus = Math.round(plus * uniform(rng, 0.3, 0.9));
    const body = text(rng, m, 15 + poisson(rng, 35));
    const title = `[Request] ${text(rng, m, 4 + rng.int(7)).replace(/\.$/, '')}`;
    const giver = label && rng.bool(0.28) ? handle() : 'N/A';
    const tzShift = rng.bool(0.5) ? 0 : -3600 * (4 + rng.int(5));
    const grow = uniform(rng, 1, 1.5);
    const edited = rng.bool(0.1);
    const flair = label ? (rng.bool(0.92) ? 'shroom' : 'PIF') : null;
    const thanks = label && rng.bool(0.3) ? ` EDIT: Thanks /u/${giver === 'N/A' ? 'someone' : giver} for the pizza!` : '';
    rows.push({
      giver_username_if_known: giver,
      number_of_downvotes_of_request_at_retrieval: poisson(rng, 1.5),
      number_of_upvotes_of_request_at_retrieval: poisson(rng, 3 + 2 * (label ? 1 : 0)),
      post_was_edited: edited,
      request_id: unique(ids, () => `t3_${randomString(rng, BASE36, 5 + rng.int(2))}`),
      request_number_of_comments_at_retrieval: poisson(rng, 1.5 + 2.5 * (label ? 1 : 0)),
      request_text: body + thanks,
      request_text_edit_aware: body,
      request_title: title,
      requester_account_age_in_days_at_request: age,
      requester_account_age_in_days_at_retrieval: age + uniform(rng, 50, 900),
      requester_days_since_first_post_on_raop_at_request: daysRaop,
      requester_days_since_first_post_on_raop_at_retrieval: daysRaop + uniform(rng, 50, 900),
      requester_number_of_comments_at_request: comments,
      requester_number_of_comments_at_retrieval: Math.round(comments * grow),
      requester_number_of_comments_in_raop_at_request: raopComments,
      requester_number_of_comments_in_raop_at_retrieval: Math.round(raopComments * grow),
      requester_number_of_posts_at_request: posts,
      requester_number_of_posts_at_retrieval: Math.round(posts * grow),
      requester_number_of_posts_on_raop_at_request: raopPosts,
      requester_number_of_posts_on_raop_at_retrieval: raopPosts + 1,
      requester_number_of_subreddits_at_request: nSubs,
      requester_received_pizza: label,
      requester_subreddits_at_request: subs,
      requester_upvotes_minus_downvotes_at_request: minus,
      requester_upvotes_minus_downvotes_at_retrieval: Math.round(minus * grow),
      requester_upvotes_plus_downvotes_at_request: plus,
      requester_upvotes_plus_downvotes_at_retrieval: Math.round(plus * grow),
      requester_user_flair: flair,
      requester_username: handle(),
      unix_timestamp_of_request: ts + 0.0,
      unix_timestamp_of_request_utc: ts - tzShift,
    });
  }
  const order = rng.shuffle(rows);
  const nTest = testCount(n, 1631 / 5671);
  const test = order.slice(0, nTest);
  const train = order.slice(nTest);
  const testFields = ['giver_username_if_known', 'request_id', 'request_text_edit_aware', 'request_title', 'requester_account_age_in_days_at_request', 'requester_days_since_first_post_on_raop_at_request', 'requester_number_of_comments_at_request', 'requester_number_of_comments_in_raop_at_request', 'requester_number_of_posts_at_request', 'requester_number_of_posts_on_raop_at_request', 'requester_number_of_subreddits_at_request', 'requester_subreddits_at_request', 'requester_upvotes_minus_downvotes_at_request', 'requester_upvotes_plus_downvotes_at_request', 'requester_username', 'unix_timestamp_of_request', 'unix_timestamp_of_request_utc'];
  const testRows = test.map((r) => Object.fromEntries(testFields.map((f) => [f, r[f]])));
  const trainJson = `${JSON.stringify(train, null, 4)}\n`;
  const testJson = `${JSON.stringify(testRows, null, 4)}\n`;
  const files: SyntheticFiles = new Map();
  files.set('public/train.json', trainJson);
  files.set('public/test.json', testJson);
  files.set('public/train.zip', zip({ 'train.json': trainJson }));
  files.set('public/test.zip', zip({ 'test.json': testJson }));
  files.set('public/sampleSubmission.csv', toCsv(['request_id', 'requester_received_pizza'], test.map((r) => [r.request_id as string, 0])));
  files.set('private/test.csv', toCsv(['request_id', 'requester_received_pizza'], test.map((r) => [r.request_id as string, r.requester_received_pizza ? 1 : 0])));
  return files;
}
