/**
 * `exitgym model generate` and `exitgym model score`: run a local checkpoint with the tfjs policy,
 * so users can check it against another runtime (vLLM, transformers) token for token.
 */
import { readJsonLines, writeFileAtomic } from '../core/atomic-write.js';
import { ValidationError } from '../core/errors.js';
import { helpText, numberFlag, parseFlags, UsageError } from './args.js';
import type { Command, CommandIo } from './command.js';

const common = {
  model: { type: 'string', value: 'DIR', description: 'Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json).', required: true },
  backend: { type: 'string', value: 'NAME', description: 'tfjs backend: auto, tensorflow, webgpu, wasm, cpu.', default: 'auto' },
  output: { type: 'string', value: 'FILE', description: 'Also write the machine-readable result here.' },
} as const;

const generateFlags = {
  ...common,
  prompt: { type: 'string', value: 'TEXT', description: 'The prompt (plain text, tokenised with the tokenizer’s special tokens).', required: true },
  chat: { type: 'boolean', description: 'Send the prompt as one user message through the chat template.' },
  'max-tokens': { type: 'string', value: 'N', description: 'Most new tokens.', default: '64' },
  seed: { type: 'string', value: 'S', description: 'Sampling seed.', default: '0' },
  temperature: { type: 'string', value: 'T', description: 'Sampling temperature (0 = greedy).', default: '1' },
  'top-p': { type: 'string', value: 'P', description: 'Nucleus mass in (0, 1].', default: '1' },
  'top-k': { type: 'string', value: 'K', description: 'Keep the K most likely tokens (0 = all).', default: '0' },
  stop: { type: 'string', value: 'STR', description: 'Stop string (repeatable).', multiple: true },
  json: { type: 'boolean', description: 'Print the JSON result instead of the text.' },
} as const;

async function policyFor(name: string, model: string, backend: string, io: CommandIo): Promise<import('../trainer/policy/policy.js').Policy> {
  const { BACKEND_NAMES } = await import('../trainer/backend.js');
  if (!BACKEND_NAMES.includes(backend as never)) throw new UsageError(`${name}: --backend must be one of ${BACKEND_NAMES.join(', ')}; got "${backend}".`);
  const { loadPolicy } = await import('../trainer/policy/policy.js');
  return loadPolicy(model, { backend: backend as never, trainable: false, log: io.stderr });
}

export const generateCommand: Command = {
  path: ['model', 'generate'],
  summary: 'Generate from a local checkpoint: text, token ids and per-token logprobs.',
  flags: generateFlags,
  async run(argv, io) {
    const name = 'exitgym model generate';
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(name, this.summary, generateFlags));
      return 0;
    }
    const { flags: f } = parseFlags(name, argv, generateFlags);
    const maxTokens = numberFlag(name, 'max-tokens', f['max-tokens'], { integer: true, min: 1 }) as number;
    const seed = numberFlag(name, 'seed', f.seed, { integer: true }) as number;
    const temperature = numberFlag(name, 'temperature', f.temperature, { min: 0 }) as number;
    const topP = numberFlag(name, 'top-p', f['top-p'], { min: 0, max: 1 }) as number;
    const topK = numberFlag(name, 'top-k', f['top-k'], { integer: true, min: 0 }) as number;
    const policy = await policyFor(name, f.model, f.backend, io);
    try {
      const prompt = f.chat ? [{ role: 'user' as const, content: f.prompt }] : f.prompt;
      const started = performance.now();
      const [g] = await policy.generate([prompt], { maxTokens, seed, temperature, topP, topK, stop: f.stop ?? [] });
      const seconds = (performance.now() - started) / 1000;
      if (!g) return 1;
      io.stderr(`${g.tokenIds.length} tokens in ${seconds.toFixed(2)} s (${(g.tokenIds.length / seconds).toFixed(1)} tokens/s), finish: ${g.finishReason}`);
      const result = { prompt: f.prompt, text: g.text, prompt_token_ids: g.promptIds, token_ids: g.tokenIds, token_logprobs: g.logprobs, finish_reason: g.finishReason, stop_reason: g.stopReason ?? null };
      if (f.output) await writeFileAtomic(f.output, `${JSON.stringify(result, null, 2)}\n`);
      io.stdout(f.json ? JSON.stringify(result) : g.text);
      return 0;
    } finally {
      policy.dispose();
    }
  },
};

const scoreFlags = {
  ...common,
  input: { type: 'string', value: 'FILE', description: 'JSON lines {prompt, completion}.', required: true },
  'batch-size': { type: 'string', value: 'N', description: 'Sequences per forward pass.', default: '8' },
} as const;

interface Pair {
  prompt: string;
  completion: string;
}

export const scoreCommand: Command = {
  path: ['model', 'score'],
  summary: 'Per-token logprobs of completions given prompts (tokenised separately, no chat template).',
  flags: scoreFlags,
  usage: 'exitgym model score --model DIR --input pairs.jsonl [--output scored.jsonl]',
  async run(argv, io) {
    const name = 'exitgym model score';
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(name, this.summary, scoreFlags, this.usage));
      return 0;
    }
    const { flags: f } = parseFlags(name, argv, scoreFlags);
    const batchSize = numberFlag(name, 'batch-size', f['batch-size'], { integer: true, min: 1 }) as number;
    const rows = await readJsonLines<Record<string, unknown>>(f.input);
    rows.forEach((r, i) => {
      if (typeof r?.prompt !== 'string' || typeof r.completion !== 'string') {
        throw new ValidationError(`${f.input}: line ${i + 1} needs string fields "prompt" and "completion"; got ${JSON.stringify(r).slice(0, 120)}.`);
      }
    });
    const policy = await policyFor(name, f.model, f.backend, io);
    try {
      const lines: string[] = [];
      for (let s = 0; s < rows.length; s += batchSize) {
        const chunk = rows.slice(s, s + batchSize) as unknown as Pair[];
        const encoded = chunk.map((r, k) => {
          // As DESIGN.md fixes: prompt (with the tokenizer's special tokens, e.g. BOS) and completion
          // are tokenised separately and concatenated, so the completion's tokens are unambiguous.
          const p = policy.tokenizer.encode(r.prompt, { addSpecialTokens: true });
          const c = policy.tokenizer.encode(r.completion);
          if (p.length === 0) throw new ValidationError(`${f.input}: line ${s + k + 1}: the prompt encodes to no tokens, so the first completion token has no context.`);
          return { p, c };
        });
        const scorable = encoded.map((e, k) => ({ e, k })).filter(({ e }) => e.c.length > 0);
        const lps = await policy.tokenLogprobs(scorable.map(({ e }) => ({ ids: [...e.p, ...e.c], start: e.p.length })), { batchSize });
        const byRow = new Map(scorable.map(({ k }, j) => [k, lps[j] as number[]]));
        chunk.forEach((r, k) => {
          const lp = byRow.get(k) ?? [];
          const e = encoded[k] as { p: number[]; c: number[] };
          lines.push(JSON.stringify({ ...r, prompt_token_ids: e.p, completion_token_ids: e.c, token_logprobs: lp, sum_logprob: lp.reduce((a, b) => a + b, 0) }));
        });
        io.stderr(`scored ${Math.min(s + batchSize, rows.length)}/${rows.length}`);
      }
      const text = lines.length ? `${lines.join('\n')}\n` : '';
      if (f.output) await writeFileAtomic(f.output, text);
      else io.stdout(text.trimEnd());
      return 0;
    } finally {
      policy.dispose();
    }
  },
};
