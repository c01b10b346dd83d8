/**
 * A uid of its own for each local run (when the host runs as root): the run's processes can then be
 * counted (RLIMIT_NPROC), found and killed by uid, and cannot signal or ptrace another run's.
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// Each run gets its own uid, so RLIMIT_NPROC (counted per uid) limits that run alone and two runs
// cannot signal or ptrace each other. The range is far above any real account's uid.
const UID_BASE = 3_000_000;
let uidCounter = 0;
/** The next run uid of this process (its pid picks a block of 1,000; the hostile suite checks that block is empty afterwards). */
export function nextUid(): number {
  uidCounter = (uidCounter + 1) % 1000;
  return UID_BASE + (process.pid % 100_000) * 1000 + uidCounter;
}

/** Host pids whose real uid is `uid`: with a uid of its own per run, exactly that run's processes. */
async function pidsOfUid(uid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (entry.charCodeAt(0) > 57) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    const m = /^Uid:\s+(\d+)/m.exec(status);
    if (m && Number(m[1]) === uid) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Kills every process of a run's uid and resolves once none is left (or after ~2 s). The rlimit-only
 * path's counterpart of the cgroup kill: a daemonised grandchild escapes the process group, and the
 * kernel tears the pid namespace down asynchronously, so without this it could outlive `run()`.
 */
export async function killUid(uid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const pids = await pidsOfUid(uid);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await sleep(20);
  }
}
