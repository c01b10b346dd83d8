/**
 * Who owns a run's leftovers. Run folders, cgroups and containers carry their creator's pid and
 * process start time, so a start-up sweep removes only what a dead process left behind: other
 * processes on the same machine (tests, trainers) may be running sandboxes at the same moment.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** A process identity that survives pid reuse: the pid and its start time in clock ticks since boot. */
export interface Owner {
  pid: number;
  start: number;
}

/** The start time (field 22 of /proc/PID/stat) of a live process, or undefined when there is none. */
export function processStart(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : undefined;
}

let self: Owner | undefined;

/** This process. */
export function currentOwner(): Owner {
  self ??= { pid: process.pid, start: processStart(process.pid) ?? 0 };
  return self;
}

/**
 * This machine and boot, recorded on containers, so a sweep never judges another machine's pids
 * (machines may share a hostname and a daemon) nor those of an earlier boot.
 */
export const OWNER_HOST = `${hostname()}/${readBootId()}`;

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown-boot';
  }
}

/** Whether `owner` is still running (same pid and same start time). */
export function ownerAlive(owner: Owner): boolean {
  return processStart(owner.pid) === owner.start;
}

/** `<pid>-<start>`: the owner part of run folder and cgroup names. */
export function ownerTag(owner: Owner = currentOwner()): string {
  return `${owner.pid}-${owner.start}`;
}

/** Reads an owner back from a name that starts with `prefix` then `<pid>-<start>-`; undefined when it does not. */
export function parseOwnerTag(name: string, prefix = ''): Owner | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d+)-(\d+)-/.exec(name.slice(prefix.length));
  return m ? { pid: Number(m[1]), start: Number(m[2]) } : undefined;
}
