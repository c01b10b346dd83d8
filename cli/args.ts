import { parseArgs } from 'node:util';
import { closest } from 'fastest-levenshtein';

/** A CLI flag: its type, default and the help line (help text is generated from these). */
export interface FlagSpec {
  type: 'string' | 'boolean';
  description: string;
  default?: string | boolean;
  short?: string;
  /** Placeholder shown in help, e.g. `DIR`. */
  value?: string;
  multiple?: boolean;
  required?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** A user mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Parsed<F extends FlagSpecs> = {
  [K in keyof F]: F[K]['multiple'] extends true
    ? string[]
    : F[K]['type'] extends 'boolean'
      ? boolean
      : F[K]['required'] extends true
        ? string
        : F[K]['default'] extends string
          ? string
          : string | undefined;
};

/**
 * Parses flags with node:util's strict parser and turns its errors into one line that says what
 * to type. `command` is the full command name for messages (e.g. `exitgym math verify`).
 */
export function parseFlags<F extends FlagSpecs>(command: string, argv: string[], flags: F): { flags: Parsed<F>; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }> = {};
  for (const [name, spec] of Object.entries(flags)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
    if (spec.default !== undefined) options[name].default = spec.default;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg);
    if (unknown) {
      const given = (unknown[1] as string).replace(/^-+/, '');
      const names = Object.keys(flags);
      const near = names.length ? closest(given, names) : undefined;
      throw new UsageError(`${command}: unknown flag ${unknown[1]}${near ? ` (did you mean --${near}?)` : ''}; see \`${command} --help\`.`);
    }
    throw new UsageError(`${command}: ${msg.split('\n')[0]}; see \`${command} --help\`.`);
  }
  for (const [name, spec] of Object.entries(flags)) {
    if (spec.multiple && parsed.values[name] === undefined) (parsed.values as Record<string, unknown>)[name] = [];
    if (spec.required && parsed.values[name] === undefined) {
      throw new UsageError(`${command}: missing --${name} ${spec.value ?? ''}`.trimEnd() + `; see \`${command} --help\`.`);
    }
  }
  return { flags: parsed.values as Parsed<F>, positionals: parsed.positionals };
}

/** Parses a numeric flag value, or throws a `UsageError` naming the flag and the accepted range. */
export function numberFlag(command: string, name: string, raw: string | undefined, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const bad =
    raw.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max);
  if (bad) {
    const kind = opts.integer ? 'an integer' : 'a number';
    const range = opts.min !== undefined || opts.max !== undefined ? ` in [${opts.min ?? '-∞'}, ${opts.max ?? '∞'}]` : '';
    throw new UsageError(`${command}: --${name} must be ${kind}${range}; got "${raw}".`);
  }
  return n;
}

/** Help text generated from the flag specs. */
export function helpText(command: string, summary: string, flags: FlagSpecs, usage?: string): string {
  const lines = [`${summary}`, '', `Usage: ${usage ?? `${command} [flags]`}`, '', 'Flags:'];
  const rows = Object.entries(flags).map(([name, s]) => {
    const left = `  ${s.short ? `-${s.short}, ` : ''}--${name}${s.type === 'string' ? ` ${s.value ?? 'VALUE'}` : ''}`;
    const def = s.default !== undefined && s.default !== false ? ` (default: ${String(s.default)})` : '';
    return [left, `${s.description}${s.required ? ' (required)' : ''}${def}`] as const;
  });
  rows.push(['  -h, --help', 'Show this help.']);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  for (const [l, r] of rows) lines.push(l.padEnd(width) + r);
  return lines.join('\n');
}
