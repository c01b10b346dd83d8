/**
 * `MleBenchEnv`: one MLE-bench competition on the recurrent interface. The policy writes
 * solution.py; it runs in a sandbox over the competition's public files, and submission.csv is
 * graded by the TypeScript graders. Single turn: one step per episode. Base and diverge steps earn
 * the normalised score q; improve steps the normalised improvement over the previous iterate.
 */
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, ValidationError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { answerText, checkHistoryTask, iterateKind, latestIterate } from '../../core/start-state.js';
import type { Iterate, StartState, Turn } from '../../core/types.js';
import { competition as competitionById, type Competition } from '../../datasets/mlebench/competitions.js';
import { competitionDescription } from '../../datasets/mlebench/descriptions.js';
import { previewPublicDir } from '../../datasets/mlebench/preview.js';
import { ensureSynthetic } from '../../datasets/mlebench/synthetic/index.js';
import { publishPublicDir } from './publish-data.js';
import { BaseEnv } from '../base.js';
import { stepReward } from '../reward.js';
import type { EnvSpec, ResetResult, StepResult } from '../types.js';
import { extractCode } from './extract-code.js';
import { gradeSubmission, parseAnswers, type GradeReport, type Table } from './grading/index.js';
import { mlebenchOptions, type MleBenchEnvOptions } from './options.js';
import { DEFAULT_SOLUTION, mlePrompt, type MleGoal, untrustedBlock } from './prompt.js';
import { createSandbox, DEFAULT_PYTHON, describeSandboxFailure, type Sandbox, type SandboxResult } from './sandbox/index.js';

/** Feedback of an attempt that produced no valid submission starts with this; the next step debugs it. */
export const FAILURE_PREFIX = 'solution.py failed: ';

interface Prepared {
  publicDir: string;
  answers: Table;
  description: string;
  previews: string;
}

const tail = (text: string, chars: number): string => (text.length > chars ? `…${text.slice(-chars)}` : text);

/** The schema checks each option; these rules relate two of them. */
function checkOptions(id: string, options: MleBenchEnvOptions): MleBenchEnvOptions {
  const o = mlebenchOptions(id, options);
  if (o.synthetic === true && o.dataRoot !== undefined) throw new ConfigError(`${id}: give either dataRoot (real data) or synthetic: true, not both.`);
  if (o.synthetic === false && o.dataRoot === undefined) throw new ConfigError(`${id}: synthetic: false needs dataRoot, a folder holding ${id.replace(/^mlebench-/, '')}/prepared/{public,private} (see \`exitgym datasets prepare mlebench\`).`);
  return o;
}

/**
 * The first folder on the way to `dir` that other users cannot enter (or `dir` itself when they
 * cannot list it), or undefined. Run as root, the local sandbox drops to an unprivileged uid
 * before mounting the data dir, so the data must be reachable to "others".
 */
export async function closedToOthers(dir: string): Promise<string | undefined> {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) {
    const mode = (await stat(d)).mode;
    const need = d === chain[chain.length - 1] ? 0o005 : 0o001;
    if ((mode & need) !== need) return d;
  }
  return undefined;
}

/** The prompt goal for a start state (debug when the iterate acted on failed). */
export function goalFor(start: StartState): MleGoal {
  if (start.mode === 'base') return 'draft';
  if (start.mode === 'diverge') return 'diverge';
  const last = latestIterate(start);
  return last?.feedback?.startsWith(FAILURE_PREFIX) ? 'debug' : 'improve';
}

/**
 * The solution.py of an iterate: its fenced code, else its whole text. MLE-bench's previous answer
 * is the model's text alone (core/start-state.ts `AnswerView`); the run's output is the error trace.
 */
export function iterateSolution(it: Iterate): string {
  const text = answerText(it.response, 'assistant');
  const code = extractCode(text);
  return code.ok ? code.value : text;
}

export class MleBenchEnv extends BaseEnv {
  readonly spec: EnvSpec;
  readonly competition: Competition;
  private readonly options: MleBenchEnvOptions;
  private prepared: Promise<Prepared> | undefined;
  private sandbox: Sandbox | undefined;
  private turns: Turn[] = [];
  private goal: MleGoal = 'draft';
  private observation = '';

  constructor(competitionId: string, options: MleBenchEnvOptions = {}) {
    super();
    this.competition = competitionById(competitionId);
    const id = `mlebench-${this.competition.id}`;
    this.options = checkOptions(id, options);
    this.spec = {
      id,
      domain: 'mlebench',
      qualityRange: [0, 1],
      rewardRange: [0, 1],
      budgets: { maxSteps: 1, maxSeconds: (options.limits?.wallSeconds ?? 300) + 60 },
      description: `MLE-bench ${this.competition.name}: write solution.py, graded by ${this.competition.grader.kind}.`,
    };
  }

  /** Data, answers, description and previews, loaded once. */
  private load(): Promise<Prepared> {
    this.prepared ??= (async () => {
      const o = this.options;
      const c = this.competition;
      const dropsPrivileges = process.getuid?.() === 0 && (o.sandboxInstance?.kind ?? o.sandbox ?? 'local') === 'local';
      const preparedDir =
        o.dataRoot !== undefined ? join(resolve(o.dataRoot), c.id, 'prepared') : await ensureSynthetic(c.id, { seed: o.seed ?? 0, scale: o.scale ?? 1, ...(o.syntheticRoot ? { root: o.syntheticRoot } : {}) });
      let publicDir = join(preparedDir, 'public');
      // Synthetic data stays where it was generated (answers readable by this user only); the
      // unprivileged sandbox gets a private copy of the public files (see publish-data.ts).
      if (dropsPrivileges && o.dataRoot === undefined) publicDir = await publishPublicDir(publicDir);
      const closed = dropsPrivileges ? await closedToOthers(publicDir) : undefined;
      if (closed !== undefined) {
        throw new ConfigError(
          `${this.spec.id}: the local sandbox runs scripts as an unprivileged user, which cannot enter ${closed}; ` +
            `put the data under a folder others can read (chmod o+rx, or another dataRoot), or use sandbox: "docker".`,
        );
      }
      const answersPath = join(preparedDir, 'private', c.answersFile);
      try {
        await access(answersPath);
      } catch {
        throw new ConfigError(`${this.spec.id}: no answers at ${answersPath}; dataRoot must hold <competition>/prepared/{public,private} (run \`exitgym datasets prepare mlebench --competition ${c.id}\`).`);
      }
      const [answers, description, previews] = await Promise.all([
        readFile(answersPath).then((b) => parseAnswers(b, answersPath)),
        competitionDescription(c.id),
        previewPublicDir(publicDir),
      ]);
      return { publicDir, answers, description, previews };
    })();
    return this.prepared;
  }

  protected async resetToStart(start: StartState, _rng: Rng): Promise<ResetResult> {
    if (start.taskId !== this.competition.id) {
      throw new ValidationError(`${this.spec.id}: taskId must be "${this.competition.id}" (one task per competition); got "${start.taskId}".`);
    }
    const p = await this.load();
    // A history's first turn is the draft prompt, which holds this competition's description.
    const description = p.description.trim();
    checkHistoryTask(this.spec.id, start, (input) => input.some((m) => m.role === 'user' && m.content.includes(description)), description);
    this.goal = goalFor(start);
    const last = latestIterate(start);
    const solution = last ? iterateSolution(last) : DEFAULT_SOLUTION;
    this.observation = mlePrompt({ goal: this.goal, solution, errorTrace: last?.feedback, taskDescription: p.description, previews: p.previews });
    this.turns = start.turns;
    return { observation: [{ role: 'user', content: this.observation }], info: { competition: this.competition.id, goal: this.goal, turn: 0 } };
  }

  private getSandbox(): Sandbox {
    this.sandbox ??= this.options.sandboxInstance ?? createSandbox(this.options.sandbox ?? 'local');
    return this.sandbox;
  }

  /** Runs one script and grades its submission.csv. Exposed for the greedy-search scaffold and the CLI. */
  async runSolution(code: string): Promise<{ report: GradeReport; run: SandboxResult; feedback: string }> {
    const p = await this.load();
    const run = await this.getSandbox().run(
      [{ path: 'solution.py', content: code }],
      [this.options.python ?? DEFAULT_PYTHON, 'solution.py'],
      { wallSeconds: 300, ...this.options.limits },
      { dataDir: { hostPath: p.publicDir, env: 'PUBLIC_RESOURCE_PATH' }, collect: ['submission.csv'] },
    );
    let report = gradeSubmission(this.competition, run.files['submission.csv'], p.answers, { paperRange: this.options.paperSpookyRange });
    const refused = run.refused?.['submission.csv'];
    if (refused !== undefined) report = { ...report, submissionExists: true, errorKind: 'unreadable_csv', error: `submission.csv was not read: ${refused}` };
    return { report, run, feedback: feedbackFor(this.competition, report, run) };
  }

  protected async stepEnv(action: string): Promise<StepResult> {
    const start = this.start as StartState;
    const code = extractCode(action);
    let quality = 0;
    let feedback: string;
    let extra: Record<string, unknown> = {};
    if (!code.ok) {
      feedback = `${FAILURE_PREFIX}${code.reason}`;
      extra = { valid: false, score: null, errorKind: 'no_code' };
    } else {
      const { report, run, feedback: fb } = await this.runSolution(code.value);
      quality = report.normalized;
      feedback = fb;
      extra = {
        valid: report.valid,
        score: report.score,
        normalized: report.normalized,
        medal: report.medal ?? 'none',
        aboveMedian: report.aboveMedian,
        errorKind: report.errorKind,
        runtimeMs: run.wallMs,
        exitCode: run.exitCode,
        timedOut: run.timedOut,
        oom: run.oom,
        stderrTail: tail(run.stderr, 2000),
      };
    }
    const previous = latestIterate(start)?.quality;
    const reward = stepReward(start.mode, quality, previous, 'improvement');
    const iterate: Iterate = { response: [{ role: 'assistant', content: action }], quality, feedback, kind: iterateKind(start.mode) };
    if (start.mode === 'base') this.turns.push({ input: [{ role: 'user', content: this.observation }], iterates: [iterate] });
    else (this.turns[this.turns.length - 1] as Turn).iterates.push(iterate);
    const failed = feedback.startsWith(FAILURE_PREFIX);
    return {
      observation: [],
      reward,
      terminated: true,
      truncated: false,
      info: { turn: 0, quality, feedback, ...(failed ? { error: feedback.slice(FAILURE_PREFIX.length).split('\n')[0] } : {}), goal: this.goal, competition: this.competition.id, ...extra },
    };
  }

  trace(): Turn[] {
    return structuredClone(this.turns);
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.sandbox && this.sandbox !== this.options.sandboxInstance) await this.sandbox.close();
    this.sandbox = undefined;
  }
}

/**
 * The feedback for one graded run: the score and medal when valid; otherwise why (the sandbox's
 * one-line failure, else the grader's validation message). The first line is always the sandbox's
 * or the grader's own words; what the script printed follows in a block labelled as its own and
 * fenced so that it cannot close (see `untrustedBlock`). No timings: the same script must give the
 * same trace (`info.runtimeMs` has them).
 */
export function feedbackFor(c: Competition, report: GradeReport, run: SandboxResult): string {
  if (report.valid) {
    const medal = report.medal ? `${report.medal} medal` : report.aboveMedian ? 'no medal, above the median' : 'no medal';
    const out = run.stdout.trim() ? `\n${untrustedBlock('stdout (end)', tail(run.stdout.trimEnd(), 1500))}` : '';
    return `submission.csv is valid: score ${report.score} (${c.lowerIsBetter ? 'lower' : 'higher'} is better; normalised ${report.normalized.toFixed(4)}; ${medal}).${out}`;
  }
  const crash = describeSandboxFailure(run);
  const why = crash ?? report.error ?? 'the submission is invalid';
  const graded = crash && report.errorKind !== 'no_submission' && report.error ? `\nGrader: ${report.error}` : '';
  const noSub = crash && report.errorKind === 'no_submission' ? ' (no submission.csv was written)' : '';
  const stderr = run.stderr.trim() ? `\n${untrustedBlock('stderr (end)', tail(run.stderr.trimEnd(), 2000))}` : '';
  return `${FAILURE_PREFIX}${why}${noSub}${graded}${stderr}`;
}
