/**
 * Curriculum configuration: one typed object, the paper's per-domain, per-strategy defaults
 * (PAPER.md §1.9) and the validation that keeps the maths well defined. Hyperparameters live here,
 * never in the buffer state.
 */
import { ConfigError, UnknownIdError } from '../core/errors.js';
import { assertNever } from '../core/result.js';

/**
 * The paper's ablation ladder (Table 1), one config each:
 * - `grpo`: no buffer; every episode starts from a uniform base task;
 * - `curriculum`: learnability-prioritised replay of base tasks, no self-iteration;
 * - `improve`: ExIt selection + self-improvement steps only (p_div = 0);
 * - `diverge`: ExIt with self-divergence steps (p_div > 0);
 * - `exit`: `diverge` plus the multiplicative diversity bonus on advantages (full ExIt).
 */
export type Strategy = 'grpo' | 'curriculum' | 'improve' | 'diverge' | 'exit';
export const STRATEGIES: readonly Strategy[] = ['grpo', 'curriculum', 'improve', 'diverge', 'exit'];

/** The domains with paper defaults. */
export type CurriculumDomain = 'math' | 'bfcl' | 'mlebench';
export const CURRICULUM_DOMAINS: readonly CurriculumDomain[] = ['math', 'bfcl', 'mlebench'];

/**
 * How buffer entries are drawn.
 * - `softmax` (the paper's rule): P(i) = exp(κ·S_i) / Σ_j exp(κ·S_j);
 * - `rank` (PLR, an option): P_S(i) ∝ (1/rank_i)^(1/temperature), mixed with staleness
 *   P = (1 − ρ)·P_S + ρ·P_C, P_C(i) ∝ (c − C_i) (c = sample count, C_i = when i was last sampled).
 */
export type Prioritisation = 'softmax' | 'rank';

/** How base tasks are drawn: i.i.d. uniform, or without replacement, reshuffled each epoch (paper's "re-epoched"). */
export type BaseSampling = 'uniform' | 'epoch';

export interface CurriculumConfig {
  strategy: Strategy;
  /** Buffer capacity N (top-N by learnability). */
  capacity: number;
  /** B_min: replay only once the buffer holds at least this many entries. */
  minSize: number;
  /** p: probability of starting an episode from the buffer (when |B| ≥ B_min). */
  replayProb: number;
  /** p_div: probability that a replayed start is a self-divergence step rather than self-improvement. */
  divergeProb: number;
  /** Whether replayed entries are iterated on (improve/diverge). False for `curriculum` and `grpo`. */
  selfIterate: boolean;
  /** Whether the multiplicative diversity bonus scales advantages (full ExIt). */
  diversityBonus: boolean;
  prioritisation: Prioritisation;
  /**
   * κ, the inverse temperature of the softmax over scores. S ≤ 0.25, so κ = 1 is almost uniform
   * (odds ratio ≤ e^0.25 ≈ 1.28); κ = 20 gives up to e^5 ≈ 148. The paper does not state its value.
   */
  kappa: number;
  /** PLR rank temperature β (h = (1/rank)^(1/β)); `rank` only. */
  rankTemperature: number;
  /** PLR staleness mixing ρ in [0, 1]; `rank` only. */
  staleness: number;
  baseSampling: BaseSampling;
}

/** κ above this makes exp(κ·(S − 0.25)) underflow for S = 0 (e^−700 ≈ 1e−304). */
export const MAX_KAPPA = 2800;

export const DEFAULT_KAPPA = 20;

const common = {
  prioritisation: 'softmax',
  kappa: DEFAULT_KAPPA,
  rankTemperature: 0.1,
  staleness: 0,
} as const satisfies Partial<CurriculumConfig>;

type Knobs = Pick<CurriculumConfig, 'capacity' | 'minSize' | 'replayProb' | 'divergeProb'>;

/** PAPER.md §1.9 (Tables 4–6): N, B_min, p, p_div per domain and strategy. */
const PAPER_TABLE: Record<CurriculumDomain, Record<Exclude<Strategy, 'grpo'>, Knobs>> = {
  math: {
    curriculum: { capacity: 512, minSize: 128, replayProb: 0.5, divergeProb: 0 },
    improve: { capacity: 512, minSize: 128, replayProb: 0.5, divergeProb: 0 },
    diverge: { capacity: 512, minSize: 128, replayProb: 0.5, divergeProb: 0.2 },
    exit: { capacity: 512, minSize: 128, replayProb: 0.5, divergeProb: 0.2 },
  },
  bfcl: {
    curriculum: { capacity: 320, minSize: 320, replayProb: 0.2, divergeProb: 0 },
    improve: { capacity: 640, minSize: 320, replayProb: 0.5, divergeProb: 0 },
    diverge: { capacity: 640, minSize: 320, replayProb: 0.5, divergeProb: 0.2 },
    exit: { capacity: 640, minSize: 320, replayProb: 0.5, divergeProb: 0.5 },
  },
  mlebench: {
    curriculum: { capacity: 3, minSize: 3, replayProb: 0.5, divergeProb: 0 },
    improve: { capacity: 24, minSize: 8, replayProb: 0.5, divergeProb: 0 },
    diverge: { capacity: 32, minSize: 8, replayProb: 0.5, divergeProb: 0.2 },
    exit: { capacity: 24, minSize: 3, replayProb: 0.5, divergeProb: 0.5 },
  },
};

/**
 * The paper's configuration for a domain and strategy, validated.
 *
 * @example curriculumPreset('math', 'exit') // N 512, B_min 128, p 0.5, p_div 0.2, diversity bonus on
 */
export function curriculumPreset(domain: CurriculumDomain, strategy: Strategy, overrides: Partial<CurriculumConfig> = {}): CurriculumConfig {
  if (!CURRICULUM_DOMAINS.includes(domain)) throw new UnknownIdError('curriculum domain', domain, CURRICULUM_DOMAINS);
  if (!STRATEGIES.includes(strategy)) throw new UnknownIdError('curriculum strategy', strategy, STRATEGIES);
  // Math trains on a fixed 1,280-problem pool "re-epoched every 10 iterations".
  const baseSampling: BaseSampling = domain === 'math' ? 'epoch' : 'uniform';
  let base: CurriculumConfig;
  switch (strategy) {
    case 'grpo':
      // The buffer is never used; capacity 1 keeps the state valid and tiny.
      base = { ...common, strategy, capacity: 1, minSize: 1, replayProb: 0, divergeProb: 0, selfIterate: false, diversityBonus: false, baseSampling };
      break;
    case 'curriculum':
      base = { ...common, ...PAPER_TABLE[domain][strategy], strategy, selfIterate: false, diversityBonus: false, baseSampling };
      break;
    case 'improve':
    case 'diverge':
      base = { ...common, ...PAPER_TABLE[domain][strategy], strategy, selfIterate: true, diversityBonus: false, baseSampling };
      break;
    case 'exit':
      base = { ...common, ...PAPER_TABLE[domain][strategy], strategy, selfIterate: true, diversityBonus: true, baseSampling };
      break;
    default:
      return assertNever(strategy, 'strategy');
  }
  return resolveCurriculumConfig({ ...base, ...overrides });
}

function check(cond: boolean, field: string, value: unknown, accepted: string): void {
  if (!cond) throw new ConfigError(`curriculum config: ${field} must be ${accepted}; got ${JSON.stringify(value)}.`);
}

/** Validates a full config (e.g. read from a file) and returns it; throws `ConfigError` naming the field. */
export function resolveCurriculumConfig(config: CurriculumConfig): CurriculumConfig {
  const c = config;
  if (!STRATEGIES.includes(c.strategy)) throw new UnknownIdError('curriculum strategy', String(c.strategy), STRATEGIES);
  check(Number.isInteger(c.capacity) && c.capacity >= 1, 'capacity', c.capacity, 'an integer >= 1');
  check(Number.isInteger(c.minSize) && c.minSize >= 1, 'minSize', c.minSize, 'an integer >= 1');
  // B_min > N would mean the buffer can never be replayed from: a silent GRPO run.
  check(c.minSize <= c.capacity, 'minSize', c.minSize, `<= capacity (${c.capacity}), or replay never starts`);
  check(c.replayProb >= 0 && c.replayProb <= 1, 'replayProb', c.replayProb, 'in [0, 1]');
  check(c.divergeProb >= 0 && c.divergeProb <= 1, 'divergeProb', c.divergeProb, 'in [0, 1]');
  check(typeof c.selfIterate === 'boolean', 'selfIterate', c.selfIterate, 'a boolean');
  check(typeof c.diversityBonus === 'boolean', 'diversityBonus', c.diversityBonus, 'a boolean');
  check(c.prioritisation === 'softmax' || c.prioritisation === 'rank', 'prioritisation', c.prioritisation, '"softmax" or "rank"');
  check(Number.isFinite(c.kappa) && c.kappa >= 0 && c.kappa <= MAX_KAPPA, 'kappa', c.kappa, `a number in [0, ${MAX_KAPPA}] (larger underflows exp(κ·S))`);
  check(Number.isFinite(c.rankTemperature) && c.rankTemperature > 0, 'rankTemperature', c.rankTemperature, 'a number > 0');
  check(c.staleness >= 0 && c.staleness <= 1, 'staleness', c.staleness, 'in [0, 1]');
  check(c.baseSampling === 'uniform' || c.baseSampling === 'epoch', 'baseSampling', c.baseSampling, '"uniform" or "epoch"');
  if (!c.selfIterate && c.divergeProb > 0) {
    throw new ConfigError(`curriculum config: divergeProb ${c.divergeProb} needs selfIterate: true (strategy "${c.strategy}" replays base tasks as they are); set divergeProb to 0.`);
  }
  return { ...c };
}
