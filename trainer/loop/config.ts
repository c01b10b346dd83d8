/**
 * The training run's configuration: one JSON object, validated with ajv against `TRAIN_CONFIG_SCHEMA`.
 * The schema is also the documentation: every field carries its `description` and `default`, and
 * `exitgym train --help-config` prints them from here, and a test checks that the README table
 * names every field (presets.test.ts). A config file may leave out anything with a default; `resolveTrainConfig` fills it in
 * from the paper preset of the env's domain and the strategy (presets.ts), so the stored
 * `config.json` of a run is always complete.
 */
import type { Schema } from 'ajv';
import { ConfigError } from '../../core/errors.js';
import { canonicalJson, contentHash } from '../../core/hash.js';
import { validate } from '../../core/schema.js';
import type { BaseSampling, CurriculumDomain, Prioritisation, Strategy } from '../../curriculum/config.js';
import type { BackendPreference } from '../backend.js';
import type { ObjectiveNormaliser } from '../objective-reference.js';
import type { AdvantageScaling } from '../advantages.js';

/** Which per-group numbers the buffer's learnability is the variance of. */
export type LearnabilityFrom = 'reward' | 'quality';

export interface TrainConfig {
  env: string;
  envOptions: Record<string, unknown>;
  strategy: Strategy;
  model: string;
  backend: BackendPreference;
  iterations: number;
  promptsPerIteration: number;
  groupSize: number;
  seed: number;
  maxTokens: number;
  temperature: number;
  checkpointEvery: number;
  validation: { split: string | null; every: number; steps: number; limit: number };
  curriculum: {
    domain: CurriculumDomain;
    capacity: number;
    minSize: number;
    replayProb: number;
    divergeProb: number;
    kappa: number;
    prioritisation: Prioritisation;
    rankTemperature: number;
    staleness: number;
    baseSampling: BaseSampling;
    learnabilityFrom: LearnabilityFrom;
  };
  grpo: {
    epsilon: number;
    beta: number;
    learningRate: number;
    epochs: number;
    minibatch: number;
    normaliser: ObjectiveNormaliser;
    scale: AdvantageScaling;
    microBatch: number;
    maxGradNorm: number | null;
  };
  reference: { every: number; alpha: number };
  rollout: { server: string | null; modelName: string | null };
}

const int = (minimum: number, description: string, def?: number): Schema => ({ type: 'integer', minimum, description, ...(def !== undefined ? { default: def } : {}) });
const num = (description: string, def: number | null, extra: Record<string, unknown> = {}): Schema => ({ type: 'number', description, ...(def !== null ? { default: def } : {}), ...extra });

/**
 * The JSON schema of a config file. Defaults marked "preset" come from the paper preset of the
 * env's domain and strategy (PAPER.md Tables 4–6); see `presets.ts`.
 */
export const TRAIN_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['env', 'strategy', 'model'],
  properties: {
    env: { type: 'string', minLength: 1, description: 'Env id to train on (`exitgym envs list`), e.g. math, bfcl, mlebench-spooky-author-identification.' },
    envOptions: { type: 'object', description: "The env's options for the training split (e.g. {\"split\": \"train\"}). Default: preset.", default: {} },
    strategy: { enum: ['grpo', 'curriculum', 'improve', 'diverge', 'exit'], description: 'grpo (no buffer) | curriculum (learnability replay of base tasks) | improve | diverge | exit (diverge + diversity bonus): the paper\'s ablation ladder.' },
    model: { type: 'string', minLength: 1, description: 'A Hugging Face checkpoint folder (config.json, safetensors, tokenizer.json) to start from.' },
    backend: { enum: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'], description: 'TensorFlow.js backend.', default: 'auto' },
    iterations: int(1, 'Training iterations (each: P groups rolled out, then the GRPO update). Default: preset.'),
    promptsPerIteration: int(1, 'P: start states (GRPO groups) per iteration. Default: preset.'),
    groupSize: int(1, 'G: rollouts per start state. Default: preset.'),
    seed: { type: 'integer', description: 'Run seed; every sample, env reset, curriculum draw and shuffle derives from it.', default: 0 },
    maxTokens: int(1, 'Max new tokens per model call. Default: preset.'),
    temperature: num('Sampling temperature of rollouts (logprobs for the ratio are at temperature 1).', 1, { exclusiveMinimum: 0 }),
    checkpointEvery: int(1, 'Write a checkpoint every this many iterations (and on SIGINT/SIGTERM and at the end); the last two are kept. Default: preset.'),
    validation: {
      type: 'object',
      additionalProperties: false,
      description: 'The K-step self-improvement eval on a held-out split.',
      properties: {
        split: { type: ['string', 'null'], description: 'Held-out split of the same env (presets: math validation, bfcl test; mlebench none: its held-out competitions are other envs); null turns validation off. Default: preset.' },
        every: int(0, 'Validate every V iterations (0: never). Default: preset.'),
        steps: int(0, 'K: improve steps after the initial answer. Default: preset.'),
        limit: int(1, 'Tasks of the split used (the first N). Default: preset.'),
      },
    },
    curriculum: {
      type: 'object',
      additionalProperties: false,
      description: 'Overrides of the paper curriculum preset for the domain and strategy (curriculum/config.ts).',
      properties: {
        domain: { enum: ['math', 'bfcl', 'mlebench'], description: "Whose paper table to start from. Default: the env's domain (math for other envs)." },
        capacity: int(1, 'N: buffer capacity (top-N by learnability). Default: preset.'),
        minSize: int(1, 'B_min: replay only once the buffer holds this many entries. Default: preset.'),
        replayProb: num('p: probability of starting from the buffer once |B| ≥ B_min. Default: preset.', null, { minimum: 0, maximum: 1 }),
        divergeProb: num('p_div: probability that a replayed start is a self-divergence step. Default: preset.', null, { minimum: 0, maximum: 1 }),
        kappa: num('κ: inverse temperature of the softmax over learnability scores (the paper does not state it).', 20, { minimum: 0 }),
        prioritisation: { enum: ['softmax', 'rank'], description: 'softmax (the paper) or rank (PLR with staleness).', default: 'softmax' },
        rankTemperature: num('PLR rank temperature (rank only).', 0.1, { exclusiveMinimum: 0 }),
        staleness: num('PLR staleness mix ρ (rank only).', 0, { minimum: 0, maximum: 1 }),
        baseSampling: { enum: ['uniform', 'epoch'], description: 'Base tasks i.i.d. uniform, or shuffled epochs (math: epoch; others: uniform).' },
        learnabilityFrom: {
          enum: ['reward', 'quality'],
          description:
            'reward (default): the buffer score is the variance of the rewards the group is trained on (for MLE-bench improve steps the normalised improvement, PAPER.md §1.5), so learnability and advantages see the same numbers; quality: the variance of the episodes\' absolute quality.',
          default: 'reward',
        },
      },
    },
    grpo: {
      type: 'object',
      additionalProperties: false,
      description: 'The GRPO update (paper §2.2, App. A).',
      properties: {
        epsilon: num('ε: ratio clip.', 0.2, { exclusiveMinimum: 0, exclusiveMaximum: 1 }),
        beta: num('β: KL(π_θ‖π_ref) weight (k3 estimator). Default: preset (0.001).', null, { minimum: 0 }),
        learningRate: num('Adam learning rate. Default: preset (per domain and strategy).', null, { exclusiveMinimum: 0 }),
        epochs: int(1, 'Passes over the iteration\'s samples. Default: preset.'),
        minibatch: int(0, 'Samples per optimiser step (0: the whole iteration, P·G, one step per epoch).', 0),
        normaliser: { enum: ['grpo', 'dr_grpo'], description: 'grpo: 1/|o_i| per sequence; dr_grpo: a constant length (Dr. GRPO, the paper\'s tool-use runs). Default: preset.' },
        scale: { enum: ['group', 'none'], description: 'Advantage scaling: group (divide by the group std, Eq. 3) or none (Dr. GRPO). Default: preset.' },
        microBatch: int(1, 'Sequences per forward/backward pass inside an optimiser step (memory, not maths).', 8),
        maxGradNorm: { type: ['number', 'null'], exclusiveMinimum: 0, description: 'Clip the global gradient norm (null: no clipping).', default: 1 },
      },
    },
    reference: {
      type: 'object',
      additionalProperties: false,
      description: 'The KL reference policy: θ_ref ← α·θ + (1−α)·θ_ref every M iterations.',
      properties: {
        every: int(1, 'M: iterations between reference updates. Default: preset (100).'),
        alpha: num('α (1: copy θ). Default: preset (math, bfcl 1; mlebench 0.5).', null, { minimum: 0, maximum: 1 }),
      },
    },
    rollout: {
      type: 'object',
      additionalProperties: false,
      description: 'Where rollouts are sampled.',
      properties: {
        server: { type: ['string', 'null'], description: 'null: the in-process policy (default). An OpenAI-compatible base URL (…/v1): rollouts from that server; after every update the loop saves the weights and POSTs /v1/weights to it (exitgym serve-model reloads them).', default: null },
        modelName: { type: ['string', 'null'], description: 'Model name at the server (default: the first it lists).', default: null },
      },
    },
  },
} as const satisfies Schema;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` laid onto `base`, recursively for plain objects (arrays and scalars replace). */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isObj(base) || !isObj(over)) return (over === undefined ? base : over) as T;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

/** Checks a user's (partial) config file against the schema; throws `ConfigError` naming the field. */
export function checkTrainConfigFile(value: unknown, where: string): Obj {
  try {
    return validate<Obj>(TRAIN_CONFIG_SCHEMA, value, where);
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}. See \`exitgym train --help-config\` for every field.`, { cause: e });
  }
}

/** The run's identity: a hash of the resolved config (stored in checkpoints). */
export function configHash(config: TrainConfig): string {
  return contentHash(config);
}

/** The first field (a dotted path) where two configs differ, with both values; null when equal. */
export function configDifference(a: unknown, b: unknown, path = ''): { field: string; before: unknown; after: unknown } | null {
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = configDifference(a[k], b[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return canonicalJson(a ?? null) === canonicalJson(b ?? null) ? null : { field: path || '(root)', before: a, after: b };
}

/** One line per field: `path  default  description`, from the schema (for --help-config and the README). */
export function configHelp(): string {
  const lines: string[] = [];
  const walk = (schema: Obj, prefix: string, required: readonly string[]): void => {
    for (const [name, raw] of Object.entries((schema.properties ?? {}) as Obj)) {
      const s = raw as Obj;
      const path = prefix ? `${prefix}.${name}` : name;
      const kind = Array.isArray(s.enum) ? (s.enum as unknown[]).join('|') : Array.isArray(s.type) ? (s.type as string[]).join('|') : String(s.type ?? '');
      const def = required.includes(name) ? 'required' : 'default' in s ? `default ${JSON.stringify(s.default)}` : '';
      lines.push(`${path} (${kind})${def ? ` [${def}]` : ''}: ${String(s.description ?? '')}`);
      if (s.type === 'object' && s.properties) walk(s, path, []);
    }
  };
  walk(TRAIN_CONFIG_SCHEMA as unknown as Obj, '', TRAIN_CONFIG_SCHEMA.required);
  return lines.join('\n');
}
