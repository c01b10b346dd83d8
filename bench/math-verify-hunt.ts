/**
 * The math checker's false-positive hunt: wrong variants of every gold answer (a digit, an
 * exponent, a sign, a denominator, a base, an operator, an interval bound or floor argument, a
 * unit's power, a set element, a number appended or prepended, a huge wrapper) and equivalent
 * rewrites, each graded by the real checker. Prints, per edit, how many variants were made and
 * accepted; the accepted wrong variants (exactly equal ones apart); the rejected rewrites; and the
 * time. On the hand-written fixture golds, then on every gold of every split when
 * EXITGYM_DATA_DIR is set. The pinned counts are in envs/math/hunt.test.ts; the reasons for the
 * accepted ones left in envs/math/DEVIATIONS.md.
 *
 *   node --import tsx bench/math-verify-hunt.ts [--seed 16] [--per-gold N] [--splits math500,minerva]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MathSplit } from '../datasets/math.js';
import { describeFindings, hunt, loadHuntGolds, type HuntGold, type HuntOptions } from '../envs/math/hunt.js';
import { warmUp } from '../envs/math/latex-engine.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '16' }, 'per-gold': { type: 'string' }, splits: { type: 'string' } } });
const opts: HuntOptions = { seed: Number(values.seed), ...(values['per-gold'] !== undefined ? { perGold: Number(values['per-gold']) } : {}) };

function run(label: string, golds: HuntGold[]): void {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = hunt(golds, opts);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const checks = r.wrong + r.rewrites;
  console.log(`\n== ${label}: ${r.golds} golds, seed ${opts.seed}${opts.perGold !== undefined ? `, ${opts.perGold} variants per gold` : ''}`);
  console.log(`wrong variants: ${r.wrong}, accepted: ${r.equalVariants.length + r.falsePositives.length} (exactly equal to the gold: ${r.equalVariants.length}; not shown equal: ${r.falsePositives.length})`);
  console.log(`equivalent rewrites: ${r.rewrites}, rejected: ${r.rewritesRejected.length}`);
  console.log(`${checks} checks in ${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (${(checks / wall).toFixed(0)} checks/s)`);
  console.log('edit'.padEnd(20) + 'made'.padStart(8) + 'accepted'.padStart(10));
  for (const [m, s] of Object.entries(r.byMutation).sort(([a], [b]) => a.localeCompare(b))) console.log(m.padEnd(20) + String(s.made).padStart(8) + String(s.accepted).padStart(10));
  if (r.falsePositives.length) console.log(`-- accepted wrong variants not shown equal (reasons: envs/math/DEVIATIONS.md)\n${describeFindings(r.falsePositives)}`);
  if (r.rewritesRejected.length) console.log(`-- rejected rewrites\n${describeFindings(r.rewritesRejected)}`);
  if (r.equalVariants.length) console.log(`-- accepted variants exactly equal to the gold\n${describeFindings(r.equalVariants)}`);
}

warmUp();
const fixtures = JSON.parse(readFileSync(new URL('../test/fixtures/math/hunt-golds.json', import.meta.url), 'utf8')) as HuntGold[];
run('fixture golds (test/fixtures/math/hunt-golds.json)', fixtures);
if (process.env.EXITGYM_DATA_DIR) {
  const splits = values.splits?.split(',') as MathSplit[] | undefined;
  run(splits ? `splits ${splits.join(', ')}` : 'every split', await loadHuntGolds(splits));
} else {
  console.log('\n(set EXITGYM_DATA_DIR to hunt on every gold of every split)');
}
