import { join } from 'node:path';
import '../envs/builtin.js';
import { envEntry } from '../envs/registry.js';
import { EVAL_FILES, runEval, type EvalRunConfig } from '../eval/run.js';
import { helpText, numberFlag, parseFlags, UsageError } from './args.js';
import type { Command } from './command.js';
import { resolveModel } from './model-arg.js';
import { Progress } from './progress.js';

const flags = {
  env: { type: 'string', value: 'ID', description: 'Env id (see `exitgym envs list`).', required: true },
  split: { type: 'string', value: 'NAME', description: "The env's split (math: math500, aime24, …; bfcl: test, train; mlebench: test)." },
  steps: { type: 'string', value: 'K', description: 'Improve steps after the initial answer.', default: '4' },
  samples: { type: 'string', value: 'N', description: 'Chains per task (avg@n).', default: '1' },
  model: { type: 'string', value: 'URL|DIR|HUB_ID', description: 'An OpenAI-compatible base URL (…/v1), a local checkpoint folder, or a Hugging Face id to download and run locally (default: HuggingFaceTB/SmolLM2-135M-Instruct, run locally).' },
  'model-name': { type: 'string', value: 'NAME', description: 'Model name at the endpoint (default: the first it lists).' },
  'api-key': { type: 'string', value: 'KEY', description: 'API key for the endpoint (default: $OPENAI_API_KEY).' },
  concurrency: { type: 'string', value: 'N', description: 'Chains (and requests) in flight at once.', default: '4' },
  output: { type: 'string', value: 'DIR', description: 'Where results.jsonl, summary.json, table.md and plot.svg go (default runs/eval/<env>-<split>).' },
  resume: { type: 'boolean', description: 'Continue an interrupted run in --output (finished chains are not redone).' },
  seed: { type: 'string', value: 'S', description: 'Seed for sampling and env resets.', default: '0' },
  limit: { type: 'string', value: 'N', description: 'Only the first N tasks of the split.' },
  tasks: { type: 'string', value: 'ID,ID,…', description: 'Only these task ids of the split (comma-separated).' },
  'max-tokens': { type: 'string', value: 'N', description: 'Max tokens per model call.', default: '1024' },
  temperature: { type: 'string', value: 'T', description: 'Sampling temperature.', default: '0.7' },
  'top-p': { type: 'string', value: 'P', description: 'Nucleus sampling mass.', default: '1' },
  timeout: { type: 'string', value: 'SECONDS', description: 'Per-request timeout.', default: '120' },
  retries: { type: 'string', value: 'N', description: 'Retries per model call on 429, 5xx, timeouts and dropped connections, with exponential back-off.', default: '3' },
  'env-option': { type: 'string', value: 'KEY=VALUE', description: 'Extra env option (repeatable), e.g. --env-option sandbox=docker.', multiple: true },
  quiet: { type: 'boolean', description: 'No progress line.' },
} as const;

function parseEnvOptions(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new UsageError(`exitgym eval: --env-option needs KEY=VALUE; got "${p}".`);
    const raw = p.slice(i + 1);
    let value: unknown = raw;
    if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw.trim() !== '' && Number.isFinite(Number(raw))) value = Number(raw);
    out[p.slice(0, i)] = value;
  }
  return out;
}

export const command: Command = {
  path: ['eval'],
  summary: 'K-step self-improvement benchmark: accuracy after each improve step, Δ_K, corrections, a plot.',
  flags,
  usage: 'exitgym eval --env ID [--split NAME] [--steps K] [--samples N] [--model URL|DIR] [--output DIR] [--resume]',
  async run(argv, io) {
    const name = 'exitgym eval';
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(name, this.summary, flags, this.usage));
      return 0;
    }
    const { flags: f } = parseFlags(name, argv, flags);
    const steps = numberFlag(name, 'steps', f.steps, { integer: true, min: 0, max: 64 }) as number;
    const samples = numberFlag(name, 'samples', f.samples, { integer: true, min: 1 }) as number;
    const concurrency = numberFlag(name, 'concurrency', f.concurrency, { integer: true, min: 1, max: 256 }) as number;
    const seed = numberFlag(name, 'seed', f.seed, { integer: true }) as number;
    const limit = numberFlag(name, 'limit', f.limit, { integer: true, min: 1 });
    const maxTokens = numberFlag(name, 'max-tokens', f['max-tokens'], { integer: true, min: 1 }) as number;
    const temperature = numberFlag(name, 'temperature', f.temperature, { min: 0, max: 5 }) as number;
    const topP = numberFlag(name, 'top-p', f['top-p'], { min: 0, max: 1 }) as number;
    const timeout = numberFlag(name, 'timeout', f.timeout, { min: 0.01 }) as number;
    const retries = numberFlag(name, 'retries', f.retries, { integer: true, min: 0, max: 20 }) as number;

    const entry = envEntry(f.env);
    const envOptions: Record<string, unknown> = { ...parseEnvOptions(f['env-option']), ...(f.split ? { split: f.split } : {}) };
    if (!entry.tasks) throw new UsageError(`${name}: env "${f.env}" does not list its tasks, so it cannot be evaluated from the CLI.`);
    const allTasks = await entry.tasks(envOptions);
    let chosen = allTasks;
    if (f.tasks) {
      const wanted = f.tasks.split(',').map((t) => t.trim()).filter(Boolean);
      const known = new Set(allTasks);
      const unknown = wanted.filter((t) => !known.has(t));
      if (unknown.length > 0) throw new UsageError(`${name}: --tasks names ids that are not in the split: ${unknown.join(', ')} (the split has ${allTasks.length} tasks, e.g. ${allTasks.slice(0, 3).join(', ')}).`);
      chosen = wanted;
    }
    const taskIds = limit ? chosen.slice(0, limit) : chosen;
    if (taskIds.length === 0) throw new UsageError(`${name}: env "${f.env}" has no tasks for ${JSON.stringify(envOptions)}.`);
    const split = f.split ?? String(envOptions.split ?? 'default');

    const model = await resolveModel(f.model, { modelName: f['model-name'], apiKey: f['api-key'], concurrency, timeoutMs: timeout * 1000, maxRetries: retries, log: io.stderr });
    try {
      await model.preflight();
      const config: EvalRunConfig = {
        env: f.env,
        envOptions,
        split,
        model: model.label,
        steps,
        samples,
        seed,
        tasks: taskIds.length,
        sampling: { maxTokens, temperature, topP },
        // MLE-bench reports mean normalised score and medal rate; "accuracy" there is the share of chains at the best possible score.
        correctAt: 1,
        scaffold: entry.evalScaffold ?? 'self-improve',
      };
      const outputDir = f.output ?? join('runs', 'eval', `${f.env}-${split}`.replace(/[^\w.-]+/g, '_'));
      const progress = f.quiet ? undefined : new Progress(`eval ${f.env}/${split}`, taskIds.length * samples * (steps + 1), (t) => io.stderr(t.replace(/\n$/, '')));
      let last = -1;
      const result = await runEval({
        config,
        taskIds,
        client: model.client,
        makeEnv: () => entry.create(envOptions),
        outputDir,
        resume: Boolean(f.resume),
        concurrency,
        onProgress: (done, _total, status) => {
          if (!progress) return;
          if (last < 0) progress.setDone(done);
          else progress.tick(done - last, status);
          last = done;
        },
      });
      const failed = result.records.filter((r) => r.quality === null);
      const resultsPath = join(outputDir, EVAL_FILES.results);
      if (result.aborted) {
        io.stderr(`${name}: stopped: ${result.aborted} (${failed.length} failed call${failed.length === 1 ? '' : 's'} recorded in ${resultsPath}; rerun with --resume once fixed)`);
        return 1;
      }
      const s = result.summary;
      const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);
      const extras = (x: (typeof s.steps)[number]): string =>
        [
          x.meanQuality !== null && x.meanQuality !== x.accuracy ? ` mean ${config.scaffold === 'greedy' ? 'normalised score' : 'quality'} ${x.meanQuality.toFixed(3)}` : '',
          x.medalRate !== undefined ? ` medal rate ${fmt(x.medalRate)}` : '',
          x.firstTurnAccuracy !== undefined ? ` first-turn accuracy ${fmt(x.firstTurnAccuracy)}` : '',
        ].join('');
      io.stdout(s.steps.map((x) => `step ${x.step}: accuracy ${fmt(x.accuracy)}${extras(x)} (n=${x.n}${x.failed ? `, failed ${x.failed}` : ''}) net corrections ${x.netCorrections >= 0 ? '+' : ''}${x.netCorrections}`).join('\n'));
      io.stdout(`Δ_${steps} = ${s.deltaK === null ? '–' : `${(100 * s.deltaK).toFixed(1)} points`}; results in ${outputDir}/ (results.jsonl, summary.json, table.md, plot.svg)`);
      if (s.failedRecords > 0) {
        io.stderr(
          `${name}: ${failed.length} model call${failed.length === 1 ? '' : 's'} failed (the last: ${failed[failed.length - 1]?.error ?? 'unknown'}); ` +
            `they are recorded in ${resultsPath} with quality null and left out of the accuracies. Rerun with --resume to retry them.`,
        );
        return 1;
      }
      return 0;
    } finally {
      await model.close();
    }
  },
};
