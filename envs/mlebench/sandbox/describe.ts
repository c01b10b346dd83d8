/**
 * One-line account of why a sandbox run failed, in the sandbox's own words only: it never quotes
 * the script's output, so a script cannot write its own verdict. Callers that show output to a
 * model label it as the script's (see `untrustedBlock` in ../prompt.ts).
 */
import { FLOOD_FACTOR } from './output.js';
import type { SandboxResult } from './types.js';

const MB = 1024 * 1024;

function bytes(n: number): string {
  if (n >= MB && n % MB === 0) return `${n / MB} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

function seconds(s: number): string {
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** The last non-empty line of a text, trimmed and cut to `max` characters. */
export function lastLine(text: string, max = 200): string {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] as string).trim();
    if (line) return line.length > max ? `${line.slice(0, max - 3)}...` : line;
  }
  return '';
}

/**
 * Why the run failed, in one line, or `undefined` when it exited 0 and nothing was killed.
 * The most specific cause wins: abort, wall time, memory, CPU time, output flood, signal, exit code.
 *
 * @example
 * describeSandboxFailure(result) // "killed: wall-time limit of 5 s exceeded"
 * describeSandboxFailure(result) // "exited with code 1"
 */
export function describeSandboxFailure(result: SandboxResult): string | undefined {
  const l = result.limits;
  const procNote = result.processLimitHit ? ` (process limit${l ? ` of ${l.maxProcesses}` : ''} reached)` : '';
  if (result.aborted) return `killed: run aborted by the caller${procNote}`;
  if (result.timedOut) return `killed: wall-time limit${l ? ` of ${seconds(l.wallSeconds)}` : ''} exceeded${procNote}`;
  if (result.oom) return `killed: out of memory${l ? ` (limit ${l.memoryMb} MB)` : ''}${procNote}`;
  if (result.cpuLimited) return `killed: CPU-time limit${l ? ` of ${seconds(l.cpuSeconds)}` : ''} exceeded${procNote}`;
  if (result.outputFlood) {
    return `killed: output flood (more than ${l ? bytes(l.maxOutputBytes * FLOOD_FACTOR) : '64x the kept output'} on stdout or stderr)`;
  }
  if (result.exitCode === 0 && !result.signal) return undefined;
  return `${result.signal ? `killed by signal ${result.signal}` : `exited with code ${String(result.exitCode)}`}${procNote}`;
}
