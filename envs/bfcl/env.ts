/**
 * `BfclEnv`: BFCL v3 multi-turn tool use on the recurrent-task interface.
 *
 * ## Protocol
 * One `step` = one assistant call, which does one of three things (SPEC §3.2): call tools
 * (`<tool>[{"name": …, "args": {…}}]</tool>`; the results come back as one `tool` message),
 * finish the current user request (`<TASK_FINISHED>`; the next request comes back as a `user`
 * message), or give up (`<TASK_ERROR>`; the episode ends); when a message holds several of these,
 * the last one counts (`bespokeCompat`: Bespoke's fixed order). The episode also ends after the last
 * request is finished, or when the step budget runs out (train: first request only, 10 calls;
 * test: every request, 60 calls). Reward is 0 until the last step, which gets the episode's
 * quality q ∈ {0, 1} (`reward.ts`); `info` then carries the official per-turn checks too.
 *
 * ## How self-iteration maps onto Turn / Iterate
 * The paper treats each assistant call of a BFCL episode as one turn (its "10-turn budget"), and
 * self-iterates per assistant step. So here:
 * - a `Turn` is one assistant step. `Turn.input` holds what the env said before that step that
 *   no attempt caused: the system prompt and first request (turn 0), the next user request
 *   (the step after a `<TASK_FINISHED>`), or nothing (the step after a tool call);
 * - an `Iterate` is one attempt at that step: `response` = the assistant message plus the tool
 *   result it produced (`kind` initial / improve / diverge), `feedback` = what the env said about
 *   it; its `quality` is the return of the episode it was played in (set when that ends);
 * - a start state `{turns, mode: 'improve' | 'diverge'}` means: rebuild the world by replaying
 *   the last iterate of every turn before the last one on fresh API instances (model side and
 *   ground-truth side), then ask for a new attempt at the last turn's step. The observation is
 *   the conversation up to that step, then the improve/diverge prompt wrapping the current user
 *   request and the previous attempt (assistant message + tool result). The new attempt is
 *   appended to that turn; the episode then goes on from the new world state as usual.
 * - `mode: 'base'` with a non-empty history replays every turn and continues after it.
 * The curriculum can therefore pick any prefix ending at any iterate, and the K-step eval's
 * "improve each turn in order given the improved earlier turns" improves each assistant step.
 * A replayed step that ended its episode (`<TASK_ERROR>`, or finishing the last request) has
 * no effect on replay, so histories stitched together by the K-step eval stay usable. The step
 * budget counts the replayed steps too: an episode's calls, old and new, share one budget; an
 * improve episode always gets its one new call.
 */
import { ValidationError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { answerText, checkHistoryTask, iterateKind } from '../../core/start-state.js';
import type { Iterate, Message, StartState, Turn } from '../../core/types.js';
import { loadBfcl, type BfclData, type BfclFuncDoc, type BfclTask } from '../../datasets/bfcl.js';
import { BaseEnv } from '../base.js';
import { iterationPrompt } from '../prompts.js';
import type { EnvSpec, ResetResult, StepInfo, StepResult } from '../types.js';
import { BfclWorld, executeCallString, executeModelCalls, parameterNames } from './executor.js';
import { checkTurn, type TurnCheck } from './checker.js';
import { systemPrompt, toolList, toolResultMessage, userRequest } from './prompts.js';
import { jsonLoads } from './python/json.js';
import type { PyDict } from './python/value.js';
import { exitReward, groundTruthRecord, type CallRecord, type ExitRewardResult } from './reward.js';
import { bfclOptions, type BfclEnvOptions } from './options.js';
import { BFCL_BUDGETS, configName, episodeTurns, splitName, splitTaskIds, type BfclConfigName, type BfclSplitName } from './tasks.js';
import { parseAction } from './tool-call.js';
import { parseCallString } from './call-string.js';
import type { BfclApi } from './apis/index.js';

/** What one action did, before it is recorded in the trace. */
interface ActionOutcome {
  /** The env's reply messages (a tool result, or the next request). */
  reply: Message[];
  /** The tool-result message, part of the attempt's response. */
  toolMessage?: Message;
  feedback?: string;
  error?: string;
  /** The episode ends with this step. */
  ended?: 'finished' | 'gave_up';
  /** A new user request starts after this step. */
  advanced: boolean;
}

/**
 * Generation ends at any of the protocol's three response types (PAPER.md §1.9: "vLLM stops on
 * any of these"), so a reply never runs on into an invented tool result. The episode runner gives
 * the env the text with the matched stop string (`Completion.stopString`, vLLM's `stop_reason`).
 */
const STOP = ['</tool>', '<TASK_FINISHED>', '<TASK_ERROR>'];

export class BfclEnv extends BaseEnv {
  readonly spec: EnvSpec;
  readonly split: BfclSplitName;
  readonly config: BfclConfigName;
  readonly bespokeCompat: boolean;
  private readonly ids: Set<string>;
  private readonly docs: Map<string, BfclFuncDoc>;
  private readonly configs = new Map<string, PyDict>();
  private readonly systemPrompts = new Map<string, string>();
  private readonly today: string | undefined;

  // The episode.
  private task: BfclTask | undefined;
  private requests: string[] = [];
  private groundTruth: string[][] = [];
  private model!: BfclWorld;
  private gt!: BfclWorld;
  private request = 0;
  private successful: CallRecord[][] = [];
  private callCounts: number[] = [];
  private modelResults: string[] = [];
  private checks: TurnCheck[] = [];
  private turns: Turn[] = [];
  /** Index of the turn the next step adds an iterate to (improve/diverge), else a new turn. */
  private activeTurn: number | undefined;
  private pendingInput: Message[] = [];
  private newIterates: Iterate[] = [];
  private startStep = 0;

  constructor(
    private readonly data: BfclData,
    options: BfclEnvOptions = {},
  ) {
    super();
    bfclOptions(options);
    this.split = splitName(options.split);
    this.config = configName(options.config, this.split);
    this.bespokeCompat = options.bespokeCompat ?? false;
    this.today = options.today;
    this.ids = new Set(splitTaskIds(data, this.split));
    this.docs = new Map(Object.values(data.funcDocs).flatMap((docs) => docs.map((d) => [d.name, d] as const)));
    this.spec = {
      id: 'bfcl',
      domain: 'bfcl',
      qualityRange: [0, 1],
      rewardRange: [0, 1],
      budgets: { ...BFCL_BUDGETS[this.config], ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}) },
      stop: STOP,
      description: `BFCL v3 multi_turn_base, ${this.split} split, ${this.config} configuration${this.bespokeCompat ? ', Bespoke-compatible reward' : ''}`,
    };
  }

  /** Task ids this env serves. */
  taskIds(): string[] {
    return [...this.ids];
  }

  private initialConfig(task: BfclTask): PyDict {
    let c = this.configs.get(task.id);
    if (!c) {
      c = jsonLoads(task.initialConfigText) as PyDict;
      this.configs.set(task.id, c);
    }
    return c;
  }

  private systemPromptFor(task: BfclTask): string {
    const key = task.involvedClasses.join(',');
    let p = this.systemPrompts.get(key);
    if (p === undefined) {
      p = systemPrompt(toolList(task.involvedClasses, this.data.funcDocs));
      this.systemPrompts.set(key, p);
    }
    return p;
  }

  private requestMessage(i: number): Message {
    return { role: 'user', content: userRequest(this.requests[i] as string, i, this.bespokeCompat) };
  }

  protected async resetToStart(start: StartState, _rng: Rng): Promise<ResetResult> {
    const task = this.data.byId.get(start.taskId);
    if (!task || !this.ids.has(start.taskId)) {
      const sample = [...this.ids].slice(0, 3).join(', ');
      throw new ValidationError(`bfcl: unknown task id "${start.taskId}" for split "${this.split}" (ids look like ${sample}, …); use an id of this split, or split "all".`);
    }
    // Every history's first turn holds the task's first request (in either request format).
    const first = [false, true].map((compat) => userRequest(task.requests[0] ?? '', 0, compat));
    checkHistoryTask('bfcl', start, (input) => input.some((m) => m.role === 'user' && first.includes(m.content)), task.requests[0] ?? '');
    this.task = task;
    ({ requests: this.requests, groundTruth: this.groundTruth } = episodeTurns(task, this.config));
    const opts = this.today ? { today: this.today } : {};
    this.model = BfclWorld.create(task.involvedClasses, this.initialConfig(task), opts);
    this.gt = BfclWorld.create(task.involvedClasses, this.initialConfig(task), opts);
    this.request = 0;
    this.successful = this.requests.map(() => []);
    this.callCounts = this.requests.map(() => 0);
    this.modelResults = [];
    this.checks = [];
    this.newIterates = [];
    this.turns = start.turns;

    const system: Message = { role: 'system', content: this.systemPromptFor(task) };
    const context: Message[] = [system, this.requestMessage(0)];
    // What the env said since the last replayed attempt: the input of the next turn.
    let tail: Message[] = [...context];
    const replayed = start.mode === 'base' ? start.turns.length : start.turns.length - 1;
    for (let t = 0; t < replayed; t++) {
      const turn = start.turns[t] as Turn;
      const last = turn.iterates[turn.iterates.length - 1];
      const assistant = last?.response.find((m) => m.role === 'assistant');
      if (!assistant) {
        throw new ValidationError(`bfcl: start state turn ${t} has no iterate with an assistant message to replay; every turn of a partial history needs one.`);
      }
      const out = this.apply(assistant.content, true);
      tail = out.advanced ? out.reply : [];
      context.push({ role: 'assistant', content: assistant.content }, ...(out.toolMessage ? [out.toolMessage] : []), ...tail);
    }
    this.startStep = replayed;
    // The budget counts every assistant call of the history.
    this.stepCount = replayed;
    // Complexity metrics for the curriculum: ground-truth calls of the episode, and where it starts.
    const info = { taskId: task.id, requests: this.requests.length, gtSteps: this.groundTruth.flat().length, startStep: replayed, request: this.request };
    if (start.mode === 'base') {
      this.activeTurn = undefined;
      this.pendingInput = tail;
      return { observation: context, info };
    }
    const t = start.turns.length - 1;
    const turn = start.turns[t] as Turn;
    const previous = turn.iterates[turn.iterates.length - 1] as Iterate;
    this.activeTurn = t;
    const instruction = this.requests[this.request] as string;
    // BFCL's previous answer is the whole attempt, call and tool result (core/start-state.ts `AnswerView`).
    const prompt = iterationPrompt(start.mode, { instruction, previousResponse: answerText(previous.response, 'transcript') });
    // The prompt carries the current request, so a request that opened this step is not repeated.
    const before = [...context.slice(0, context.length - tail.length), ...tail.filter((m) => m.role !== 'user')];
    return { observation: [...before, { role: 'user', content: prompt }], info };
  }

  /** Applies one action to the worlds; `replay` turns episode-ending actions into no-ops. */
  private apply(text: string, replay: boolean): ActionOutcome {
    const action = parseAction(text, { bespokeOrder: this.bespokeCompat });
    switch (action.kind) {
      case 'error':
        if (replay) return { reply: [], advanced: false };
        return { reply: [], advanced: false, ended: 'gave_up', feedback: 'Gave up with <TASK_ERROR>.' };
      case 'finished': {
        const last = this.request === this.requests.length - 1;
        if (last && replay) return { reply: [], advanced: false };
        this.finishRequest(this.request);
        if (last) return { reply: [], advanced: false, ended: 'finished', feedback: 'Finished the last request.' };
        this.request++;
        return { reply: [this.requestMessage(this.request)], advanced: true, feedback: `Finished request ${this.request - 1}; request ${this.request} follows.` };
      }
      case 'invalid': {
        const toolMessage: Message = { role: 'tool', content: toolResultMessage([action.reason]) };
        return { reply: [toolMessage], toolMessage, advanced: false, feedback: action.reason, error: action.error };
      }
      case 'tools': {
        const results = executeModelCalls(this.model, action.items, { docs: this.docs, bespokeCompat: this.bespokeCompat });
        for (const r of results) {
          if (r.wellFormed) this.callCounts[this.request] = (this.callCounts[this.request] ?? 0) + 1;
          if (r.officialResult !== undefined) this.modelResults.push(r.officialResult);
          if (r.ok && r.record) this.successful[this.request]?.push(r.record);
        }
        const toolMessage: Message = { role: 'tool', content: toolResultMessage(results.map((r) => r.text)) };
        const failed = results.find((r) => !r.ok);
        return { reply: [toolMessage], toolMessage, advanced: false, feedback: toolMessage.content, ...(failed?.error ? { error: failed.error } : {}) };
      }
    }
  }

  /** Runs the ground truth of request r and records the official check for it. */
  private finishRequest(r: number): void {
    const calls = this.groundTruth[r] ?? [];
    const results = calls.map((c) => {
      const res = executeCallString(this.gt, c);
      if (!res.outcome.ok && res.parsed === undefined) {
        throw new ValidationError(`bfcl: ground-truth call ${JSON.stringify(c)} of ${this.task?.id} turn ${r} does not parse; the data files are damaged — re-download them.`);
      }
      return res.resultString;
    });
    this.checks.push(
      checkTurn({
        turn: r,
        groundTruthCalls: calls,
        groundTruthResults: results,
        modelCallCount: this.callCounts[r] ?? 0,
        modelResultsSoFar: this.modelResults,
        stateMismatches: this.model.stateMismatches(this.gt),
      }),
    );
  }

  protected async stepEnv(action: string): Promise<StepResult> {
    const turnIndex = this.activeTurn ?? this.turns.length;
    const request = this.request;
    const out = this.apply(action, false);
    const iterate: Iterate = {
      response: [{ role: 'assistant', content: action }, ...(out.toolMessage ? [out.toolMessage] : [])],
      quality: 0,
      // Only the iterated turn's new attempt is an improve/diverge; later steps answer new turns.
      kind: this.activeTurn !== undefined ? iterateKind(this.start?.mode ?? 'base') : 'initial',
      ...(out.feedback !== undefined ? { feedback: out.feedback } : {}),
    };
    if (this.activeTurn !== undefined) (this.turns[this.activeTurn] as Turn).iterates.push(iterate);
    else this.turns.push({ input: this.pendingInput, iterates: [iterate] });
    this.activeTurn = undefined;
    this.pendingInput = out.advanced ? out.reply : [];
    this.newIterates.push(iterate);
    const info: StepInfo = { turn: turnIndex, request, ...(out.feedback !== undefined ? { feedback: out.feedback } : {}), ...(out.error ? { error: out.error } : {}) };
    // A finished request's official check is known now (the final step carries all of them).
    if (out.advanced) info.check = this.checks[this.checks.length - 1];
    const result: StepResult = { observation: out.reply, reward: 0, terminated: false, truncated: false, info };
    if (out.ended) return this.finish({ ...result, terminated: true }, out.ended);
    return result;
  }

  protected override async onBudgetExhausted(result: StepResult, reason: 'steps' | 'time'): Promise<StepResult> {
    return this.finish({ ...result, truncated: true, info: { ...result.info, truncatedBy: reason } }, 'budget');
  }

  /** Ends the episode: runs the ground truth of the remaining requests and scores. */
  private finish(result: StepResult, how: 'finished' | 'gave_up' | 'budget'): StepResult {
    const finishedRequests = this.checks.length;
    for (let r = finishedRequests; r < this.requests.length; r++) this.finishRequest(r);
    const score = this.score();
    const q = score.reward;
    for (const it of this.newIterates) it.quality = q;
    const summary = this.summary(score, how, finishedRequests);
    const last = this.newIterates[this.newIterates.length - 1];
    if (last) last.feedback = last.feedback ? `${last.feedback}\n${summary}` : summary;
    return {
      ...result,
      reward: q,
      info: {
        ...result.info,
        quality: q,
        feedback: summary,
        ended: how,
        stateMatches: score.stateMatches,
        turnMatches: score.turnMatches,
        checks: this.checks,
        officialPassed: this.checks.every((c) => c.passed),
        // The first user request alone (what training scores): its calls and the state after it.
        firstTurnCorrect: (score.turnMatches[0] ?? false) && (this.checks[0]?.passed ?? false),
        requestsFinished: finishedRequests,
        gtSteps: this.groundTruth.flat().length,
        startStep: this.startStep,
      },
    };
  }

  private score(): ExitRewardResult {
    const gtRecords = this.groundTruth.map((turn) =>
      turn.map((c) => {
        const parsed = parseCallString(c);
        return groundTruthRecord(parsed, parameterNames(this.gt, parsed.name), this.bespokeCompat);
      }),
    );
    const stateMatches = this.gt.instances.map((g, i) => g.stateEquals(this.model.instances[i] as BfclApi));
    return exitReward({ stateMatches, groundTruth: gtRecords, model: this.successful, bespokeCompat: this.bespokeCompat });
  }

  private summary(score: ExitRewardResult, how: 'finished' | 'gave_up' | 'budget', finished: number): string {
    const why: string[] = [];
    const classes = this.task?.involvedClasses ?? [];
    const badState = classes.filter((_, i) => !score.stateMatches[i]);
    if (badState.length > 0) why.push(`the final state of ${badState.join(', ')} differs from the expected one`);
    const badTurns = score.turnMatches.flatMap((ok, i) => (ok ? [] : [i]));
    if (badTurns.length > 0) why.push(`${badTurns.length > 1 ? 'requests' : 'request'} ${badTurns.join(', ')} ${badTurns.length > 1 ? 'lack' : 'lacks'} expected successful calls`);
    const ending = how === 'finished' ? 'all requests finished' : how === 'gave_up' ? `gave up during request ${this.request}` : `step budget used up during request ${this.request} (${finished}/${this.requests.length} requests finished)`;
    return `Episode over (${ending}): quality ${score.reward}${why.length > 0 ? `; ${why.join('; ')}` : ''}.`;
  }

  trace(): Turn[] {
    return structuredClone(this.turns);
  }
}

/**
 * Builds the `bfcl` env (loads and validates the data first).
 *
 * @example
 * const env = await createBfclEnv({ split: 'test', config: 'test' });
 * const { observation } = await env.reset(baseStart(env.taskIds()[0]));
 */
export async function createBfclEnv(options: BfclEnvOptions = {}): Promise<BfclEnv> {
  // Checked before any data is read, so a typo fails fast.
  const checked = bfclOptions(options);
  const data = await loadBfcl(checked.dataDir ? { dataDir: checked.dataDir } : {});
  return new BfclEnv(data, checked);
}
