import { join } from 'node:path';
import '../envs/builtin.js';
import type { OptionsSchema } from '../core/schema.js';
import { envEntry, envTasks, makeEnv } from '../envs/registry.js';
import { EVAL_FILES, type EvalRunConfig } from '../eval/run.js';
import { fmt, formatDelta, formatMeanStd } from '../eval/format.js';
import { runEvalSuite, type SuiteSplit } from '../eval/suite.js';
import type { SamplingOptions } from '../rollout/types.js';
import { helpText, numberFlag, parseFlags, UsageError } from './args.js';
import type { Command } from './command.js';
import { resolveModel } from './model-arg.js';
import { Progress } from './progress.js';

const flags = {
  env: { type: 'string', value: 'ID', description: 'Env id (see `exitgym envs list`).', required: true },
  split: { type: 'string', value: 'NAME[,NAME…]', description: "The env's split (math: math500, aime24, …; bfcl: test, train; mlebench: test). Several, comma-separated, are run one after the other and pooled into one row (the paper's \"Math – All\")." },
  seeds: { type: 'string', value: 'N', description: 'Repeat the whole eval with seeds S, S+1, …, S+N−1 and report mean ± std per step.', default: '1' },
  steps: { type: 'string', value: 'K', description: 'Improve steps after the initial answer.', default: '4' },
  samples: { type: 'string', value: 'N', description: 'Chains per task (avg@n).', default: '1' },
  model: { type: 'string', value: 'URL|DIR|HUB_ID', description: 'An OpenAI-compatible base URL (…/v1), a local checkpoint folder, or a Hugging Face id to download and run locally (default: HuggingFaceTB/SmolLM2-135M-Instruct, run locally).' },
  'model-name': { type: 'string', value: 'NAME', description: 'Model name at the endpoint (default: the first it lists).' },
  'api-key': { type: 'string', value: 'KEY', description: 'API key for the endpoint (default: $OPENAI_API_KEY).' },
  concurrency: { type: 'string', value: 'N', description: 'Chains (and requests) in flight at once.', default: '4' },
  output: { type: 'string', value: 'DIR', description: 'Where results.jsonl, summary.json, table.md and plot.svg go (default runs/eval/<env>-<split>); with several splits or seeds, one folder per run below it and suite.json, table.md, plot.svg at the top.' },
  resume: { type: 'boolean', description: 'Continue an interrupted run in --output (finished chains are not redone).' },
  seed: { type: 'string', value: 'S', description: 'Seed for sampling and env resets.', default: '0' },
  limit: { type: 'string', value: 'N', description: 'Only the first N tasks of the split.' },
  tasks: { type: 'string', value: 'ID,ID,…', description: 'Only these task ids of the split (comma-separated).' },
  'max-tokens': { type: 'string', value: 'N', description: "Max tokens per model call (default: not sent — a server such as vLLM then allows the model's context minus the prompt; a local checkpoint does the same)." },
  temperature: { type: 'string', value: 'T', description: "Sampling temperature (default: not sent — the model's own generation config applies, as the paper evaluates)." },
  'top-p': { type: 'string', value: 'P', description: "Nucleus sampling mass (default: not sent — the model's generation config applies)." },
  truncated: { type: 'string', value: 'score|retry', description: 'A response cut off at the token limit is scored as it is (score, the paper protocol) or re-sampled up to twice (retry); either way each step counts them.', default: 'score' },
  timeout: { type: 'string', value: 'SECONDS', description: 'Per-request timeout.', default: '120' },
  retries: { type: 'string', value: 'N', description: 'Retries per model call on 429, 5xx, timeouts and dropped connections, with exponential back-off.', default: '3' },
  'env-option': { type: 'string', value: 'KEY=VALUE', description: 'Extra env option (repeatable), e.g. --env-option sandbox=docker.', multiple: true },
  quiet: { type: 'boolean', description: 'No progress line.' },
} as const;

/** A KEY=VALUE text as the type the env's options schema gives KEY (an unknown KEY stays text, for the check to name). */
function optionValue(schema: OptionsSchema, key: string, raw: string): unknown {
  const type = (schema.properties[key] as { type?: unknown } | undefined)?.type;
  switch (type) {
    case 'number':
    case 'integer':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'object':
    case 'array':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}

function parseEnvOptions(pairs: string[], schema: OptionsSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new UsageError(`exitgym eval: --env-option needs KEY=VALUE; got "${p}".`);
    const key = p.slice(0, i);
    out[key] = optionValue(schema, key, p.slice(i + 1));
  }
  return out;
}

export const command: Command = {
  path: ['eval'],
  summary: 'K-step self-improvement benchmark: accuracy after each improve step, Δ_K, corrections, a plot.',
  flags,
  usage: 'exitgym eval --env ID [--split NAME[,NAME…]] [--seeds N] [--steps K] [--samples N] [--model URL|DIR|HUB_ID] [--output DIR] [--resume]',
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
    const seeds = numberFlag(name, 'seeds', f.seeds, { integer: true, min: 1, max: 100 }) as number;
    const maxTokens = numberFlag(name, 'max-tokens', f['max-tokens'], { integer: true, min: 1 });
    const temperature = numberFlag(name, 'temperature', f.temperature, { min: 0, max: 5 });
    const topP = numberFlag(name, 'top-p', f['top-p'], { min: 0, max: 1 });
    if (f.truncated !== 'score' && f.truncated !== 'retry') throw new UsageError(`${name}: --truncated must be "score" or "retry"; got "${f.truncated}".`);
    const truncation = f.truncated;
    // Only what the user set goes to the backend; the model's generation config fills in the rest.
    const sampling: SamplingOptions = {
      ...(maxTokens !== undefined ? { maxTokens } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(topP !== undefined ? { topP } : {}),
    };
    const timeout = numberFlag(name, 'timeout', f.timeout, { min: 0.01 }) as number;
    const retries = numberFlag(name, 'retries', f.retries, { integer: true, min: 0, max: 20 }) as number;

    const entry = envEntry(f.env);
    const extraOptions = parseEnvOptions(f['env-option'], entry.optionsSchema);
    if (!entry.tasks) throw new UsageError(`${name}: env "${f.env}" does not list its tasks, so it cannot be evaluated from the CLI.`);
    const splitNames = f.split ? f.split.split(',').map((x) => x.trim()).filter(Boolean) : [String(extraOptions.split ?? 'default')];
    const wanted = f.tasks ? f.tasks.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
    const splits: SuiteSplit[] = [];
    const matched = new Set<string>();
    for (const split of splitNames) {
      const envOptions: Record<string, unknown> = { ...extraOptions, ...(f.split ? { split } : {}) };
      const allTasks = await envTasks(f.env, envOptions);
      let chosen = allTasks;
      if (wanted) {
        const known = new Set(allTasks);
        chosen = wanted.filter((t) => known.has(t));
        for (const t of chosen) matched.add(t);
      }
      const taskIds = limit ? chosen.slice(0, limit) : chosen;
      if (taskIds.length === 0 && !wanted) throw new UsageError(`${name}: env "${f.env}" has no tasks for ${JSON.stringify(envOptions)}.`);
      if (taskIds.length > 0) splits.push({ split, envOptions, taskIds });
    }
    if (wanted) {
      const unknown = wanted.filter((t) => !matched.has(t));
      if (unknown.length > 0) throw new UsageError(`${name}: --tasks names ids that are not in ${splitNames.length > 1 ? 'any of the splits' : 'the split'}: ${unknown.join(', ')}.`);
    }

    const model = await resolveModel(f.model, { modelName: f['model-name'], apiKey: f['api-key'], concurrency, timeoutMs: timeout * 1000, maxRetries: retries, log: io.stderr });
    try {
      await model.preflight();
      const metric = entry.evalMetric ?? 'accuracy';
      const config: Omit<EvalRunConfig, 'split' | 'envOptions' | 'tasks' | 'seed'> = {
        env: f.env,
        model: model.label,
        steps,
        samples,
        sampling,
        truncation,
        metric,
        // Accuracy is the share of chains at full quality (MLE-bench: at the best possible score).
        correctAt: 1,
        scaffold: entry.evalScaffold ?? 'self-improve',
      };
      const label = splits.map((x) => x.split).join(',');
      const outputDir = f.output ?? join('runs', 'eval', `${f.env}-${label}`.replace(/[^\w.-]+/g, '_'));
      const seedList = Array.from({ length: seeds }, (_, i) => seed + i);
      const total = seedList.length * splits.reduce((a, x) => a + x.taskIds.length * samples * (steps + 1), 0);
      const progress = f.quiet ? undefined : new Progress(`eval ${f.env}/${label}`, total, (t) => io.stderr(t.replace(/\n$/, '')));
      let last = -1;
      const suite = await runEvalSuite({
        config,
        splits,
        seeds: seedList,
        client: model.client,
        makeEnv: (envOptions) => makeEnv(f.env, envOptions),
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
      const failed = suite.runs.flatMap((r) => r.result.records.filter((x) => x.quality === null));
      const failedIn = suite.runs.filter((r) => r.result.records.some((x) => x.quality === null)).map((r) => join(r.dir, EVAL_FILES.results));
      const resultsPath = failedIn.length > 0 ? failedIn.join(', ') : join(outputDir, EVAL_FILES.results);
      if (suite.aborted) {
        io.stderr(`${name}: stopped: ${suite.aborted} (${failed.length} failed call${failed.length === 1 ? '' : 's'} recorded in ${resultsPath}; rerun with --resume once fixed)`);
        return 1;
      }
      const single = suite.runs.length === 1 ? suite.runs[0] : undefined;
      if (single) {
        const s = single.result.summary;
        const h = single.result.headline;
        const extras = (x: (typeof s.steps)[number]): string =>
          [
            metric === 'score' ? ` accuracy ${fmt(x.accuracy)}` : x.meanQuality !== null && x.meanQuality !== x.accuracy ? ` mean quality ${fmt(x.meanQuality, 'score')}` : '',
            x.medalRate !== undefined ? ` medal rate ${fmt(x.medalRate)}` : '',
            x.firstTurnAccuracy !== undefined ? ` first-turn accuracy ${fmt(x.firstTurnAccuracy)}` : '',
            x.truncated > 0 ? ` truncated ${x.truncated}` : '',
          ].join('');
        const main = (k: number): string => (metric === 'score' ? `mean normalised score ${fmt(h.values[k], 'score')}` : `accuracy ${fmt(h.values[k])}`);
        io.stdout(s.steps.map((x) => `step ${x.step}: ${main(x.step)}${extras(x)} (n=${x.n}${x.failed ? `, failed ${x.failed}` : ''}) net corrections ${x.netCorrections >= 0 ? '+' : ''}${x.netCorrections}`).join('\n'));
        io.stdout(`Δ_${steps} (${h.label}) = ${formatDelta(h.deltaK, metric)}; results in ${outputDir}/ (results.jsonl, summary.json, table.md, plot.svg)`);
      } else {
        const percent = metric === 'accuracy';
        for (const row of suite.rows) {
          const a = row.aggregate;
          io.stdout(`${row.label}: ${a.label} @0 ${formatMeanStd(a.mean[0] ?? null, a.std[0] ?? null, percent)} → @${steps} ${formatMeanStd(a.mean[steps] ?? null, a.std[steps] ?? null, percent)}; Δ_${steps} ${formatMeanStd(a.deltaK.mean, a.deltaK.std, percent)}${a.runs > 1 ? ` (${a.runs} seeds)` : ''}`);
        }
        io.stdout(`results in ${outputDir}/ (one folder per ${splits.length > 1 ? 'split' : ''}${splits.length > 1 && seeds > 1 ? ' and ' : ''}${seeds > 1 ? 'seed' : ''}; suite.json, table.md, plot.svg at the top)`);
      }
      if (failed.length > 0) {
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
