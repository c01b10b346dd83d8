/**
 * Per-run cgroup v1 groups (memory, pids, cpu, cpuacct, freezer): hard memory, process and CPU-share
 * limits for a whole run, an exact out-of-memory signal, CPU accounting, and a way to kill every process of a
 * run at once (freeze, kill, thaw), which a process group cannot do once a child calls setsid.
 * Where cgroups are not writable (no root, cgroup v2 only), `createRunCgroup` returns undefined and
 * the local sandbox falls back to rlimits.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResolvedLimits } from './limits.js';
import { ownerAlive, ownerTag, parseOwnerTag } from './owner.js';

const ROOT = '/sys/fs/cgroup';
const CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct', 'freezer'] as const;
type Controller = (typeof CONTROLLERS)[number];
const PARENT = 'exitgym';
/**
 * Prefix of run group names, then the owner's pid and start time. Groups named otherwise (older
 * versions named them `<pid>-<uid>-<ms>`) are never swept: their owner cannot be judged.
 */
export const RUN_CGROUP_PREFIX = 'run-';

/** What the cgroups saw during a run. */
export interface CgroupStats {
  oomKills: number;
  pidsLimitHits: number;
  cpuMs: number | undefined;
}

/** A run's cgroups: the host moves the run's first process in (`join`) before the payload starts. */
export interface RunCgroup {
  readonly procsFiles: readonly string[];
  /** Moves process `pid` into every group of the run; rejects when a group refuses it. */
  join(pid: number): Promise<void>;
  stats(): Promise<CgroupStats>;
  /** Kills every process in the run's groups; resolves once they are gone (or after ~2 s). */
  killAll(): Promise<void>;
  /** Removes the groups (after `killAll`). */
  remove(): Promise<void>;
}

let support: Promise<boolean> | undefined;
let counter = 0;

/**
 * Whether cgroup v1 memory/pids/cpu/cpuacct/freezer hierarchies exist here and this process may
 * create groups in them. Decided by creating (and removing) a probe group: the parent folder may
 * exist but belong to another user (left by a root run), which an existence check would miss.
 */
export function cgroupsAvailable(): Promise<boolean> {
  support ??= (async () => {
    for (const c of CONTROLLERS) {
      if (!existsSync(join(ROOT, c, 'cgroup.procs'))) return false;
      const probe = join(ROOT, c, PARENT, `${RUN_CGROUP_PREFIX}${ownerTag()}-probe`);
      try {
        await mkdir(join(ROOT, c, PARENT), { recursive: true });
        await mkdir(probe).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
        await rmdir(probe);
      } catch {
        return false;
      }
    }
    return true;
  })();
  return support;
}

/** A fresh group name for a run of this process (the owner tag lets a later sweep judge it). */
export function runCgroupName(): string {
  return `${RUN_CGROUP_PREFIX}${ownerTag()}-${++counter}`;
}

async function readNumber(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

async function readKeyed(path: string, key: string): Promise<number> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const m = new RegExp(`^${key}\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * Creates the groups for run `name` with the memory and process limits set, and a CPU quota of
 * `cpus` cores when `cpus` > 0; undefined if cgroups are unavailable.
 */
export async function createRunCgroup(name: string, limits: ResolvedLimits, cpus = 0): Promise<RunCgroup | undefined> {
  if (!(await cgroupsAvailable())) return undefined;
  const dirs = Object.fromEntries(CONTROLLERS.map((c) => [c, join(ROOT, c, PARENT, name)])) as Record<Controller, string>;
  try {
    for (const c of CONTROLLERS) await mkdir(dirs[c]);
    const bytes = String(limits.memoryMb * 1024 * 1024);
    await writeFile(join(dirs.memory, 'memory.limit_in_bytes'), bytes);
    // Without this the group could swap instead of being killed (where swap accounting exists).
    if (existsSync(join(dirs.memory, 'memory.memsw.limit_in_bytes'))) {
      await writeFile(join(dirs.memory, 'memory.memsw.limit_in_bytes'), bytes).catch(() => undefined);
    }
    await writeFile(join(dirs.pids, 'pids.max'), String(limits.maxProcesses));
    if (cpus > 0) {
      await writeFile(join(dirs.cpu, 'cpu.cfs_period_us'), '100000');
      await writeFile(join(dirs.cpu, 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round(cpus * 100_000))));
    }
  } catch (e) {
    await removeDirs(Object.values(dirs));
    throw e;
  }
  const procsFiles = CONTROLLERS.map((c) => join(dirs[c], 'cgroup.procs'));
  return {
    procsFiles,
    async join(pid: number) {
      for (const f of procsFiles) await writeFile(f, String(pid));
    },
    async stats() {
      const usage = await readNumber(join(dirs.cpuacct, 'cpuacct.usage'));
      return {
        oomKills: await readKeyed(join(dirs.memory, 'memory.oom_control'), 'oom_kill'),
        pidsLimitHits: await readKeyed(join(dirs.pids, 'pids.events'), 'max'),
        cpuMs: usage === undefined ? undefined : Math.round(usage / 1e6),
      };
    },
    killAll: () => killGroup(dirs.freezer),
    async remove() {
      await removeDirs(Object.values(dirs));
    },
  };
}

/** Kills every process in a freezer group; resolves once they are gone (or after ~2 s). */
async function killGroup(freezerDir: string): Promise<void> {
  const freezer = join(freezerDir, 'freezer.state');
  // Frozen processes cannot fork between our reading the list and killing it.
  await writeFile(freezer, 'FROZEN').catch(() => undefined);
  for (let i = 0; i < 100; i++) {
    const pids = await listPids(join(freezerDir, 'cgroup.procs'));
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    // A frozen process only dies once thawed.
    await writeFile(freezer, 'THAWED').catch(() => undefined);
    await sleep(20);
    await writeFile(freezer, 'FROZEN').catch(() => undefined);
  }
  await writeFile(freezer, 'THAWED').catch(() => undefined);
}

/**
 * Kills and removes the run groups whose owner process is gone (a crashed trainer leaves them,
 * possibly with processes inside); groups of live processes are never touched. Returns how many
 * runs were swept.
 */
export async function sweepCgroups(): Promise<number> {
  if (!(await cgroupsAvailable())) return 0;
  const names = new Set<string>();
  for (const c of CONTROLLERS) {
    for (const name of await readdir(join(ROOT, c, PARENT)).catch(() => [] as string[])) {
      const owner = parseOwnerTag(name, RUN_CGROUP_PREFIX);
      if (owner && !ownerAlive(owner)) names.add(name);
    }
  }
  for (const name of names) {
    await killGroup(join(ROOT, 'freezer', PARENT, name));
    await removeDirs(CONTROLLERS.map((c) => join(ROOT, c, PARENT, name)));
  }
  return names.size;
}

/** The run groups (names) currently under the exitgym parent in the pids hierarchy, for tests. */
export async function listRunCgroups(): Promise<string[]> {
  return (await readdir(join(ROOT, 'pids', PARENT)).catch(() => [] as string[])).filter((n) => parseOwnerTag(n, RUN_CGROUP_PREFIX) !== undefined);
}

async function listPids(procs: string): Promise<number[]> {
  const text = await readFile(procs, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}

async function removeDirs(dirs: string[]): Promise<void> {
  for (const d of dirs) {
    // An exiting process can linger in a group for a moment after SIGKILL.
    for (let i = 0; i < 50; i++) {
      try {
        await rmdir(d);
        break;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        await sleep(20);
      }
    }
  }
}
