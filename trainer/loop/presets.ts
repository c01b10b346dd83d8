/**
 * Presets: `<domain>/<strategy>` carries the paper's hyperparameters (PAPER.md §1.9, Tables 4–6:
 * learning rate per strategy, prompts per batch, G, epochs, β, M, α, Dr. GRPO for tool use, and
 * the curriculum's N, B_min, p, p_div); `<domain>/<strategy>-local` is the same method sized for a
 * 2-core CPU and a tiny checkpoint (a few prompts of a few short samples per iteration, a large
 * learning rate a random-init model can move with, buffer sizes scaled down in proportion).
 */
import { ConfigError, UnknownIdError } from '../../core/errors.js';
import { CURRICULUM_DOMAINS, curriculumPreset, STRATEGIES, type CurriculumDomain, type Strategy } from '../../curriculum/config.js';
import { checkTrainConfigFile, deepMerge, TRAIN_CONFIG_SCHEMA, type TrainConfig } from './config.js';
import { validate } from '../../core/schema.js';

/** The env each domain's presets train on, with its training-split options and held-out split. */
const DOMAIN_ENV: Record<CurriculumDomain, { env: string; envOptions: Record<string, unknown>; validationSplit: string | null; paperModel: string }> = {
  math: { env: 'math', envOptions: { split: 'train' }, validationSplit: 'validation', paperModel: 'models/Llama-3.2-3B-Instruct' },
  bfcl: { env: 'bfcl', envOptions: { split: 'train' }, validationSplit: 'test', paperModel: 'models/Qwen2.5-7B-Instruct' },
  // Each MLE-bench env is one competition (the held-out ones are other envs): no validation split.
  mlebench: { env: 'mlebench-spooky-author-identification', envOptions: {}, validationSplit: null, paperModel: 'models/DeepSeek-R1-Distill-Qwen-7B' },
};

/** Learning rate per domain and strategy (Tables 4–6; tool use trains the middle three at 5e-7). */
function paperLearningRate(domain: CurriculumDomain, strategy: Strategy): number {
  if (domain === 'bfcl' && (strategy === 'curriculum' || strategy === 'improve' || strategy === 'diverge')) return 5e-7;
  return 1e-6;
}

const PAPER_GRPO: Record<CurriculumDomain, { P: number; G: number; epochs: number; alpha: number; normaliser: 'grpo' | 'dr_grpo'; scale: 'group' | 'none'; maxTokens: number }> = {
  math: { P: 128, G: 8, epochs: 1, alpha: 1, normaliser: 'grpo', scale: 'group', maxTokens: 2048 },
  // Tool use: Dr. GRPO's normalised objective (App. A.3): constant normaliser, no std scaling.
  bfcl: { P: 16, G: 8, epochs: 2, alpha: 1, normaliser: 'dr_grpo', scale: 'none', maxTokens: 512 },
  mlebench: { P: 4, G: 8, epochs: 1, alpha: 0.5, normaliser: 'grpo', scale: 'group', maxTokens: 4096 },
};

/** The names `--preset` accepts. */
export function presetNames(): string[] {
  return CURRICULUM_DOMAINS.flatMap((d) => STRATEGIES.flatMap((s) => [`${d}/${s}`, `${d}/${s}-local`]));
}

/** Parses `<domain>/<strategy>[-local]`. */
export function parsePresetName(name: string): { domain: CurriculumDomain; strategy: Strategy; local: boolean } {
  const m = /^([a-z]+)\/([a-z]+?)(-local)?$/.exec(name);
  const domain = m?.[1] as CurriculumDomain;
  const strategy = m?.[2] as Strategy;
  if (!m || !CURRICULUM_DOMAINS.includes(domain) || !STRATEGIES.includes(strategy)) throw new UnknownIdError('training preset', name, presetNames());
  return { domain, strategy, local: Boolean(m[3]) };
}

/**
 * The complete config of a preset. `model` is the paper's model as a folder name for the paper
 * presets and `models/tiny` for the local ones; override it with the config file or `--model`.
 *
 * @example trainPreset('math', 'exit').grpo.learningRate // 1e-6
 * @example trainPreset('bfcl', 'exit', { local: true }).promptsPerIteration // 1
 */
export function trainPreset(domain: CurriculumDomain, strategy: Strategy, opts: { local?: boolean } = {}): TrainConfig {
  const d = DOMAIN_ENV[domain];
  const g = PAPER_GRPO[domain];
  const cur = curriculumPreset(domain, strategy);
  const paper: TrainConfig = {
    env: d.env,
    envOptions: d.envOptions,
    strategy,
    model: d.paperModel,
    backend: 'auto',
    iterations: 200,
    promptsPerIteration: g.P,
    groupSize: g.G,
    seed: 0,
    maxTokens: g.maxTokens,
    temperature: 1,
    checkpointEvery: 10,
    validation: { split: d.validationSplit, every: 20, steps: 4, limit: 100 },
    curriculum: {
      domain,
      capacity: cur.capacity,
      minSize: cur.minSize,
      replayProb: cur.replayProb,
      divergeProb: cur.divergeProb,
      kappa: cur.kappa,
      prioritisation: cur.prioritisation,
      rankTemperature: cur.rankTemperature,
      staleness: cur.staleness,
      baseSampling: cur.baseSampling,
      learnabilityFrom: 'reward',
    },
    grpo: { epsilon: 0.2, beta: 0.001, learningRate: paperLearningRate(domain, strategy), epochs: g.epochs, minibatch: 0, normaliser: g.normaliser, scale: g.scale, microBatch: 8, maxGradNorm: 1 },
    reference: { every: 100, alpha: g.alpha },
    rollout: { server: null, modelName: null },
  };
  if (!opts.local) return paper;
  // Sized for 2 CPU cores and a tiny checkpoint: minutes, not days. Buffer sizes keep the paper's
  // N : B_min ratio at a scale a 20-iteration run fills (mlebench's are already tiny).
  const scale = domain === 'mlebench' ? 1 : 1 / 32;
  const capacity = Math.max(2, Math.round(cur.capacity * scale));
  const minSize = Math.max(1, Math.min(capacity, Math.round(cur.minSize * scale)));
  // Tool use and MLE-bench prompts are ~0.1–1k tokens even with the local checkpoint's vocabulary
  // (testing/local-model.ts): one prompt per iteration, and a BFCL episode of at most 2 calls.
  const long = domain !== 'math';
  return deepMerge(paper, {
    model: 'models/tiny',
    backend: 'wasm',
    envOptions: domain === 'bfcl' ? { maxSteps: 2 } : {},
    iterations: 20,
    promptsPerIteration: long ? 1 : 2,
    groupSize: 4,
    maxTokens: domain === 'math' ? 24 : 16,
    checkpointEvery: 5,
    validation: { every: 10, steps: 1, limit: 2 },
    curriculum: { capacity, minSize },
    grpo: { learningRate: 3e-3, microBatch: 4 },
    reference: { every: 10 },
  });
}

/**
 * A complete, validated config from a (partial) config file: the file laid over the paper preset
 * of the env's domain (`domainOf(env)`, else `curriculum.domain`, else math) and the strategy.
 * The resolved config is what `config.json` stores and what resume compares.
 */
export function resolveTrainConfig(file: unknown, domainOf: (env: string) => string | undefined, where = 'config'): TrainConfig {
  const user = checkTrainConfigFile(file, where);
  const envDomain = domainOf(String(user.env));
  const curUser = (user.curriculum ?? {}) as { domain?: CurriculumDomain };
  const domain: CurriculumDomain = curUser.domain ?? (CURRICULUM_DOMAINS.includes(envDomain as CurriculumDomain) ? (envDomain as CurriculumDomain) : 'math');
  const preset = trainPreset(domain, user.strategy as Strategy);
  // A non-preset env keeps none of the preset env's options or held-out split.
  const base = user.env === preset.env ? preset : { ...preset, envOptions: {}, validation: { ...preset.validation, split: null } };
  const merged = deepMerge(base, user);
  validate(TRAIN_CONFIG_SCHEMA, merged, `${where} (resolved)`);
  // The curriculum's own checks (B_min ≤ N, p_div needs self-iteration, κ range …).
  const { domain: _d, learnabilityFrom: _l, ...knobs } = merged.curriculum;
  try {
    curriculumPreset(domain, merged.strategy, knobs);
  } catch (e) {
    throw new ConfigError(`${where}: curriculum: ${(e as Error).message}`, { cause: e });
  }
  return merged;
}
