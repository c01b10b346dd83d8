#!/usr/bin/env node
/**
 * The `exitgym` command: dispatches `exitgym <command> [<subcommand>] [flags]` to the command
 * table. Usage mistakes exit 2 with one line; other failures exit 1 with one line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closest } from 'fastest-levenshtein';
import { ExitgymError } from '../core/errors.js';
import { UsageError } from './args.js';
import type { CommandEntry, CommandIo } from './command.js';
import { COMMANDS } from './commands.js';

/** The package version: package.json sits one level up from cli/ in a checkout, two from dist/cli/ when built. */
function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version: string };
    if (pkg.name === 'exitgym') return pkg.version;
  }
  throw new ExitgymError('io', 'exitgym: cannot find its own package.json next to the CLI; reinstall the package.');
}

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length)) + 4;
  return [
    'exitgym: train and benchmark LLMs that improve their own previous answers (ExIt).',
    '',
    'Usage: exitgym <command> [flags]     exitgym <command> --help for its flags',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}${c.summary}`),
    '',
    'Global: --help, --version',
  ].join('\n');
}

/** Finds the longest command path that prefixes argv. */
function resolve(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let best: CommandEntry | undefined;
  for (const c of COMMANDS) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { entry: best, rest: argv.slice(best.path.length) } : undefined;
}

/**
 * Loads the modules named in `EXITGYM_PLUGINS` (comma-separated paths or package names) before
 * any command runs, so users' own envs (`registerEnv(...)` at import) work with every command.
 */
async function loadPlugins(io: CommandIo): Promise<boolean> {
  const list = (process.env.EXITGYM_PLUGINS ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of list) {
    const spec = p.startsWith('.') || p.startsWith('/') ? pathToFileURL(resolvePath(p)).href : p;
    try {
      await import(spec);
    } catch (e) {
      io.stderr(`exitgym: could not load plugin "${p}" from EXITGYM_PLUGINS: ${(e as Error).message}`);
      return false;
    }
  }
  return true;
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CommandIo = defaultIo): Promise<number> {
  if (!(await loadPlugins(io))) return 1;
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(topHelp());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(version());
    return 0;
  }
  const found = resolve(argv);
  if (!found) {
    const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
    const group = COMMANDS.filter((c) => c.path[0] === words[0]);
    if (group.length > 0) {
      io.stderr(`exitgym ${words[0]}: unknown subcommand "${words[1] ?? ''}"; try one of: ${group.map((c) => `exitgym ${c.path.join(' ')}`).join(', ')}.`);
    } else {
      const names = [...new Set(COMMANDS.map((c) => c.path[0] as string))];
      const near = closest(argv[0] as string, names);
      io.stderr(`exitgym: unknown command "${argv[0]}" (did you mean "exitgym ${near}"?); run \`exitgym --help\` for the list.`);
    }
    return 2;
  }
  try {
    const command = await found.entry.load();
    return await command.run(found.rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(e.message);
      return 2;
    }
    if (e instanceof ExitgymError) {
      io.stderr(`exitgym ${found.entry.path.join(' ')}: ${e.message}`);
      if (process.env.EXITGYM_DEBUG) io.stderr(String(e.stack));
      return 1;
    }
    io.stderr(`exitgym ${found.entry.path.join(' ')}: ${(e as Error)?.message ?? String(e)} (set EXITGYM_DEBUG=1 for a stack trace)`);
    if (process.env.EXITGYM_DEBUG) io.stderr(String((e as Error)?.stack));
    return 1;
  }
}

const defaultIo: CommandIo = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
};

const invokedDirectly = process.argv[1] !== undefined && /cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
const viaBin = process.argv[1] !== undefined && /exitgym(\.js)?$/.test(process.argv[1]);
if (invokedDirectly || viaBin) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`exitgym: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
