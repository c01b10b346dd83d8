/**
 * How to write an env: a single-turn task family ("reverse this word") on the recurrent-task
 * interface. Subclass `BaseEnv` (it enforces reset-before-step, seeding and budgets) and write
 * three methods: `resetToStart`, `stepEnv` and `trace`. Reset from a partial history wraps the
 * original request and the latest answer in the paper's improve/diverge prompt.
 *
 *   node --import tsx examples/check-custom-env.ts   # runs checkEnv on it
 */
import { BaseEnv, iterationPrompt, NO_OPTIONS, registerEnv, ValidationError } from 'exitgym';
import type { EnvSpec, ResetResult, StartState, StepResult, Turn } from 'exitgym';

const WORDS = ['exit', 'gym', 'buffer', 'curriculum', 'policy', 'gradient', 'tokenizer', 'iterate'];

/** Task ids `reverse/0` … `reverse/7`. */
export const reverseTaskIds = WORDS.map((_, i) => `reverse/${i}`);

function wordOf(taskId: string): string {
  const word = WORDS[Number(/^reverse\/(\d+)$/.exec(taskId)?.[1] ?? NaN)];
  // A bad task id is a caller's mistake, not model output: throw with the accepted values.
  if (word === undefined) throw new ValidationError(`reverse: unknown task id "${taskId}"; ids are reverse/0 … reverse/${WORDS.length - 1}.`);
  return word;
}

/** Quality 1 when the reply's last word is the reversed word, else 0. */
export class ReverseEnv extends BaseEnv {
  readonly spec: EnvSpec = {
    id: 'reverse',
    domain: 'example',
    qualityRange: [0, 1],
    rewardRange: [0, 1],
    budgets: { maxSteps: 1 },
    description: 'Example: reverse a word (one turn).',
  };
  private turns: Turn[] = [];
  private kind: 'initial' | 'improve' | 'diverge' = 'initial';

  protected async resetToStart(start: StartState): Promise<ResetResult> {
    const request = `Reverse the letters of "${wordOf(start.taskId)}". End your reply with the reversed word.`;
    if (start.mode === 'base') {
      this.turns = [{ input: [{ role: 'user', content: request }], iterates: [] }];
      this.kind = 'initial';
      return { observation: [{ role: 'user', content: request }], info: { turn: 0 } };
    }
    // A partial history: keep it, and ask for a new iterate of its last answer.
    this.turns = start.turns;
    this.kind = start.mode;
    const previous = this.turns[0]?.iterates.at(-1)?.response.map((m) => m.content).join('\n') ?? '';
    const prompt = iterationPrompt(start.mode, { instruction: request, previousResponse: previous });
    return { observation: [{ role: 'user', content: prompt }], info: { turn: 0, depth: start.depth } };
  }

  protected async stepEnv(action: string): Promise<StepResult> {
    const want = [...wordOf(this.start!.taskId)].reverse().join('');
    const last = action.trim().split(/\s+/).at(-1)?.replace(/[^a-z]/gi, '') ?? '';
    const quality = last === want ? 1 : 0;
    // Bad output is data: reward 0 and feedback the model can act on, never an exception.
    const feedback = quality === 1 ? 'correct' : last ? `"${last}" is not the word reversed` : 'no word found';
    this.turns[0]!.iterates.push({ response: [{ role: 'assistant', content: action }], quality, feedback, kind: this.kind });
    return { observation: [], reward: quality, terminated: true, truncated: false, info: { turn: 0, quality, feedback } };
  }

  trace(): Turn[] {
    return structuredClone(this.turns);
  }
}

/** Makes `makeEnv('reverse')` (and every CLI command, through EXITGYM_PLUGINS) know the env. */
export function registerReverseEnv(): void {
  registerEnv({
    id: 'reverse',
    domain: 'example',
    description: 'Example: reverse a word (one turn).',
    qualityRange: [0, 1],
    budgets: { default: { maxSteps: 1 } },
    optionsSchema: NO_OPTIONS,
    tasks: async () => reverseTaskIds,
    create: async () => new ReverseEnv(),
  });
}
