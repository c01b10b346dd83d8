import type { FlagSpecs } from './args.js';

/** Where a command writes: injectable so tests capture output without spawning processes. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** One CLI command. `run` returns the process exit code. */
export interface Command {
  /** Words after `exitgym`, e.g. `['math', 'verify']`. */
  path: string[];
  summary: string;
  flags: FlagSpecs;
  usage?: string;
  run(argv: string[], io: CommandIo): Promise<number>;
}

/** A registry line: the path and summary are static; the command module loads on use. */
export interface CommandEntry {
  path: string[];
  summary: string;
  load: () => Promise<Command>;
}
