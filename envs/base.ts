import { EpisodeEndedError, ExitgymError, ResetNeededError, ValidationError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { StartState, Turn } from '../core/types.js';
import { validateStartState } from '../core/start-state.js';
import type { EnvSpec, RecurrentEnv, ResetOptions, ResetResult, StepResult } from './types.js';

/**
 * Base class for envs: enforces reset-before-step and no-step-after-end, validates start states,
 * seeds the episode's `Rng`, applies the step and time budgets (`truncated`) and checks that
 * rewards are finite and in range. Env authors implement `resetToStart`, `stepEnv` and `trace`,
 * and may override `onBudgetExhausted` to score an episode cut off by a budget.
 *
 * @example
 * class Echo extends BaseEnv {
 *   readonly spec = { id: 'echo', domain: 'demo', qualityRange: [0, 1], rewardRange: [0, 1], budgets: { maxSteps: 1 } };
 *   private turns: Turn[] = [];
 *   protected async resetToStart(start: StartState) { this.turns = start.turns; return { observation: [{ role: 'user', content: 'say hi' }], info: {} }; }
 *   protected async stepEnv(action: string) { const q = action === 'hi' ? 1 : 0; return { observation: [], reward: q, terminated: true, truncated: false, info: { turn: 0, quality: q } }; }
 *   trace() { return structuredClone(this.turns); }
 * }
 */
export abstract class BaseEnv implements RecurrentEnv {
  abstract readonly spec: EnvSpec;

  /** The episode's random source, re-seeded by every `reset`. */
  protected rng: Rng = Rng.fromSeed(0);
  /** The validated start state of the current episode. */
  protected start: StartState | undefined;
  /** Steps taken in the current episode. */
  protected stepCount = 0;

  private phase: 'idle' | 'running' | 'ended' = 'idle';
  private startedAt = 0;

  /**
   * Rebuild the world state for `start` and return the first observation. `start` is the env's
   * own deep copy (made once, in `reset`): keep it and append to its turns without copying again.
   */
  protected abstract resetToStart(start: StartState, rng: Rng): Promise<ResetResult>;
  /** Apply one assistant action. Bad output is a normal result (reward 0, info.error/feedback). */
  protected abstract stepEnv(action: string): Promise<StepResult>;
  abstract trace(): Turn[];

  /**
   * Called when a step that did not terminate used up a budget. The default marks the result
   * truncated; envs whose reward is computed at episode end override it to score the episode.
   */
  protected async onBudgetExhausted(result: StepResult, reason: 'steps' | 'time'): Promise<StepResult> {
    return { ...result, truncated: true, info: { ...result.info, truncatedBy: reason } };
  }

  /** True between a successful reset and the step that ends the episode. */
  protected get running(): boolean {
    return this.phase === 'running';
  }

  async reset(start: StartState, opts: ResetOptions = {}): Promise<ResetResult> {
    const valid = validateStartState(start, this.spec.id);
    if (opts.seed !== undefined && !Number.isFinite(opts.seed)) {
      throw new ValidationError(`${this.spec.id}: reset seed must be a finite number; got ${opts.seed}.`);
    }
    this.phase = 'idle';
    // The one deep copy at the env boundary: callers may reuse or change their start state freely.
    this.start = structuredClone(valid);
    this.rng = Rng.fromSeed(opts.seed ?? 0);
    this.stepCount = 0;
    this.startedAt = Date.now();
    const result = await this.resetToStart(this.start, this.rng);
    this.phase = 'running';
    return result;
  }

  async step(action: string): Promise<StepResult> {
    if (this.phase === 'idle') throw new ResetNeededError(this.spec.id);
    if (this.phase === 'ended') throw new EpisodeEndedError(this.spec.id);
    if (typeof action !== 'string') {
      throw new ValidationError(`${this.spec.id}: step(action) needs the assistant's text as a string; got ${typeof action}.`);
    }
    this.stepCount++;
    let result = await this.stepEnv(action);
    if (!result.terminated && !result.truncated) {
      const { maxSteps, maxSeconds } = this.spec.budgets;
      if (this.stepCount >= maxSteps) result = await this.onBudgetExhausted(result, 'steps');
      else if (maxSeconds !== undefined && (Date.now() - this.startedAt) / 1000 >= maxSeconds) {
        result = await this.onBudgetExhausted(result, 'time');
      }
    }
    this.checkResult(result);
    if (result.terminated || result.truncated) this.phase = 'ended';
    return result;
  }

  async close(): Promise<void> {
    this.phase = 'idle';
  }

  /** A reward outside the spec is a bug in the env, not bad model output: fail loudly. */
  private checkResult(result: StepResult): void {
    const [lo, hi] = this.spec.rewardRange;
    if (!Number.isFinite(result.reward) || result.reward < lo || result.reward > hi) {
      throw new ExitgymError('internal', `${this.spec.id}: step returned reward ${result.reward}, outside the spec's rewardRange [${lo}, ${hi}]; this is a bug in the env.`);
    }
    const q = result.info.quality;
    if (q !== undefined) {
      const [qlo, qhi] = this.spec.qualityRange;
      if (!Number.isFinite(q) || q < qlo || q > qhi) {
        throw new ExitgymError('internal', `${this.spec.id}: step returned info.quality ${q}, outside the spec's qualityRange [${qlo}, ${qhi}]; this is a bug in the env.`);
      }
    }
  }
}
