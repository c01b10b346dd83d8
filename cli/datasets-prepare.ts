/**
 * `exitgym datasets prepare mlebench`: turns a Kaggle download into MLE-bench's public/private
 * split (SPEC.md §3), or generates the seeded synthetic stand-in (`--synthetic`), under
 * `<output>/<competition>/prepared/`. Pass `<output>` to the env as `dataRoot`.
 */
import { join } from 'node:path';
import { cacheDir } from '../datasets/paths.js';
import { competitionIds } from '../datasets/mlebench/competitions.js';
import { helpText, numberFlag, parseFlags, UsageError } from './args.js';
import type { Command } from './command.js';

const NAME = 'exitgym datasets prepare';
const flags = {
  competition: { type: 'string', value: 'ID', multiple: true, description: `Competition id, repeatable; default all (${competitionIds().join(', ')}).` },
  'kaggle-dir': {
    type: 'string',
    value: 'DIR',
    description: "Folder with the Kaggle download: the files, Kaggle's per-file zips, or <competition>.zip as `kaggle competitions download` writes it. With several competitions: DIR/<competition>.",
  },
  synthetic: { type: 'boolean', description: 'Generate the seeded synthetic data instead (no Kaggle download needed).' },
  seed: { type: 'string', value: 'N', default: '0', description: 'Seed of the synthetic data.' },
  scale: { type: 'string', value: 'X', default: '1', description: 'Size multiplier of the synthetic data.' },
  output: { type: 'string', value: 'DIR', description: 'Where to write <competition>/prepared/ (default: <cache>/mlebench-prepared, or <cache>/mlebench-synthetic).' },
} as const;

export const command: Command = {
  path: ['datasets', 'prepare'],
  summary: 'Prepare MLE-bench data: split a Kaggle download into public/private, or generate synthetic data.',
  flags,
  usage: `${NAME} mlebench (--kaggle-dir DIR | --synthetic) [--competition ID ...] [--output DIR]`,
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(NAME, this.summary, flags, this.usage));
      return 0;
    }
    const { flags: f, positionals } = parseFlags(NAME, argv, flags);
    if (positionals[0] !== 'mlebench' || positionals.length !== 1) {
      throw new UsageError(`${NAME}: name the dataset to prepare; only "mlebench" needs preparing (usage: ${this.usage}).`);
    }
    if (Boolean(f['kaggle-dir']) === Boolean(f.synthetic)) throw new UsageError(`${NAME}: give exactly one of --kaggle-dir DIR or --synthetic.`);
    const ids = f.competition.length > 0 ? f.competition : competitionIds();
    for (const id of ids) {
      if (!competitionIds().includes(id)) throw new UsageError(`${NAME}: unknown --competition "${id}"; known: ${competitionIds().join(', ')}.`);
    }
    const results: Array<{ competition: string; dir: string; files?: number }> = [];
    if (f.synthetic) {
      const seed = numberFlag(NAME, 'seed', f.seed, { integer: true, min: 0 }) as number;
      const scale = numberFlag(NAME, 'scale', f.scale, { min: 0.01 }) as number;
      const { ensureSynthetic } = await import('../datasets/mlebench/synthetic/index.js');
      const root = f.output ?? join(cacheDir(), 'mlebench-synthetic');
      for (const id of ids) {
        io.stderr(`generating synthetic ${id} (seed ${seed}, scale ${scale}) …`);
        const dir = await ensureSynthetic(id, { seed, scale, root });
        results.push({ competition: id, dir });
      }
    } else {
      const { prepareCompetition } = await import('../datasets/mlebench/prepare.js');
      const root = f.output ?? join(cacheDir(), 'mlebench-prepared');
      for (const id of ids) {
        const src = ids.length > 1 ? join(f['kaggle-dir'] as string, id) : (f['kaggle-dir'] as string);
        io.stderr(`preparing ${id} from ${src} …`);
        let n = 0;
        const r = await prepareCompetition(id, src, root, () => {
          n++;
          if (n % 1000 === 0) io.stderr(`  ${n} files written`);
        });
        results.push({ competition: id, ...r });
      }
      io.stderr(`done; use dataRoot ${root} (env option) to run on this data.`);
    }
    io.stdout(JSON.stringify(results, null, 2));
    return 0;
  },
};
