import { readFile } from 'node:fs/promises';
import '../envs/builtin.js';
import { ConfigError } from '../core/errors.js';
import { envEntry } from '../envs/registry.js';
import { fmt } from '../eval/format.js';
import { configHelp, deepMerge } from '../trainer/loop/config.js';
import { parsePresetName, presetNames, resolveTrainConfig, trainPreset } from '../trainer/loop/presets.js';
import { helpText, parseFlags, UsageError } from './args.js';
import type { Command } from './command.js';
import { Progress } from './progress.js';

const flags = {
  config: { type: 'string', value: 'FILE', description: 'Config JSON (see --help-config); laid over --preset when both are given.' },
  preset: { type: 'string', value: 'DOMAIN/STRATEGY[-local]', description: `Start from a preset: ${presetNames().slice(0, 4).join(', ')}, … (math|bfcl|mlebench × grpo|curriculum|improve|diverge|exit, -local for a 2-core CPU and a tiny checkpoint).` },
  'run-dir': { type: 'string', value: 'DIR', description: 'Run folder: config.json, metrics.jsonl, checkpoints/, eval/. Resumes when it holds a run of the same config.', required: true },
  model: { type: 'string', value: 'DIR', description: 'Checkpoint folder to start from (overrides the config).' },
  'help-config': { type: 'boolean', description: 'Print every config field with its default and exit.' },
  quiet: { type: 'boolean', description: 'No progress line.' },
} as const;


export const command: Command = {
  path: ['train'],
  summary: 'Train with ExIt (or a GRPO baseline): curriculum, group rollouts, GRPO updates, checkpoints, exact resume.',
  flags,
  usage: 'exitgym train (--config FILE | --preset DOMAIN/STRATEGY[-local]) --run-dir DIR [--model DIR]',
  async run(argv, io) {
    const name = 'exitgym train';
    if (argv.includes('--help-config')) {
      io.stdout(`Config fields (JSON; "Default: preset" = from the paper preset of the env's domain and the strategy):\n${configHelp()}\n\nPresets: ${presetNames().join(', ')}\n`);
      return 0;
    }
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(name, this.summary, flags, this.usage));
      return 0;
    }
    const { flags: f } = parseFlags(name, argv, flags);
    if (!f.config && !f.preset) throw new UsageError(`${name}: give --config FILE or --preset DOMAIN/STRATEGY (see --help).`);
    let file: Record<string, unknown> = {};
    if (f.config) {
      try {
        file = JSON.parse(await readFile(f.config, 'utf8')) as Record<string, unknown>;
      } catch (e) {
        throw new ConfigError(`${f.config}: cannot read the config (${(e as Error).message}); it must be a JSON object (see --help-config).`);
      }
    }
    let raw: unknown = file;
    if (f.preset) {
      const p = parsePresetName(f.preset);
      raw = deepMerge(trainPreset(p.domain, p.strategy, { local: p.local }), file);
    }
    if (f.model) raw = { ...(raw as object), model: f.model };
    const config = resolveTrainConfig(raw, (env) => envEntry(env).domain, f.config ?? `preset ${f.preset}`);

    let stop = false;
    const onSignal = (sig: string) => () => {
      if (stop) process.exit(130);
      stop = true;
      io.stderr(`${sig}: finishing this iteration, then writing a checkpoint (again to quit at once)`);
    };
    const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
    process.on('SIGINT', handlers.SIGINT);
    process.on('SIGTERM', handlers.SIGTERM);
    const { train } = await import('../trainer/loop/run.js');
    const progress = f.quiet ? undefined : new Progress(`train ${config.env}/${config.strategy}`, config.iterations, (t) => io.stderr(t.replace(/\n$/, '')));
    let first = true;
    try {
      const result = await train({
        config,
        runDir: f['run-dir'],
        log: io.stderr,
        shouldStop: () => stop,
        onIteration: (m) => {
          if (!progress) return;
          if (first) progress.setDone(m.iteration - 1); // a resumed run's ETA counts only this process's iterations
          first = false;
          const status =
            `reward ${fmt(m['rollout/reward_mean'], 'score')} learnability ${fmt(m['curriculum/learnability_mean'], 'score', 4)} buffer ${m['curriculum/buffer_size'] ?? 0} ` +
            `depth ${fmt(m['curriculum/sampled_depth_mean'], 'score', 2)} tok/s ${fmt(m['perf/tokens_per_second'], 'score', 1)}` +
            (m['eval/accuracy@0'] !== undefined ? ` eval@0 ${fmt(m['eval/accuracy@0'], 'score')}` : '');
          progress.tick(1, status);
        },
      });
      io.stdout(
        result.stopped
          ? `stopped after iteration ${result.iteration}; checkpoint ${result.lastCheckpoint}. Run the same command to resume.\n`
          : `done: ${result.iteration} iterations${result.resumedFrom !== null ? ` (resumed after ${result.resumedFrom})` : ''}; metrics in ${f['run-dir']}/metrics.jsonl, checkpoint ${result.lastCheckpoint}.\n`,
      );
      return 0;
    } finally {
      process.off('SIGINT', handlers.SIGINT);
      process.off('SIGTERM', handlers.SIGTERM);
    }
  },
};
