/**
 * `exitgym math verify`: scores saved model outputs. Reads `{gold, pred}` JSON lines (gold: one
 * answer or a list of accepted ones; pred: the model's full response) and writes each line back
 * with `correct`, `extracted` and `reason`.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomic-write.js';
import { ValidationError } from '../core/errors.js';
import { validate } from '../core/schema.js';
import { verify } from '../envs/math/verify.js';
import { helpText, numberFlag, parseFlags } from './args.js';
import type { Command } from './command.js';
import { Progress } from './progress.js';

const flags = {
  input: { type: 'string', value: 'FILE', required: true, description: 'JSON lines with {gold, pred} (gold: string or list of accepted strings).' },
  output: { type: 'string', value: 'FILE', description: 'Write the scored lines here (atomically) instead of stdout.' },
  'timeout-ms': { type: 'string', value: 'MS', description: 'Per-check time limit; past it a line is scored incorrect with reason "time limit".', default: '2000' },
} as const;

const lineSchema = {
  type: 'object',
  required: ['gold', 'pred'],
  properties: {
    gold: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
    pred: { type: 'string' },
  },
} as const;

interface Line {
  gold: string | string[];
  pred: string;
  [k: string]: unknown;
}

export const command: Command = {
  path: ['math', 'verify'],
  summary: 'Score saved model responses against gold answers with the math checker.',
  flags,
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText('exitgym math verify', this.summary, flags));
      return 0;
    }
    const { flags: f } = parseFlags('exitgym math verify', argv, flags);
    const timeoutMs = numberFlag('exitgym math verify', 'timeout-ms', f['timeout-ms'], { min: 1 }) as number;
    let text: string;
    try {
      text = await readFile(f.input, 'utf8');
    } catch (e) {
      throw new ValidationError(`cannot read --input ${f.input}: ${(e as Error).message}`);
    }
    const rows: Line[] = [];
    text.split('\n').forEach((raw, k) => {
      if (raw.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (e) {
        throw new ValidationError(`${f.input} line ${k + 1}: not valid JSON (${(e as Error).message}).`);
      }
      rows.push(validate<Line>(lineSchema, value, `${f.input} line ${k + 1}`));
    });
    const progress = new Progress('verify', rows.length, (t) => io.stderr(t.replace(/\n$/, '')), false);
    let correct = 0;
    const out = rows.map((row) => {
      const v = verify(row.gold, row.pred, { timeoutMs });
      if (v.correct) correct++;
      progress.tick(1, `${correct} correct`);
      return JSON.stringify({ ...row, correct: v.correct, extracted: v.extracted ?? null, reason: v.reason });
    });
    if (f.output !== undefined) await writeFileAtomic(f.output, out.length ? `${out.join('\n')}\n` : '');
    else if (out.length) io.stdout(out.join('\n'));
    io.stderr(`${rows.length} checked, ${correct} correct (${rows.length ? ((100 * correct) / rows.length).toFixed(1) : '0.0'} %)`);
    return 0;
  },
};
