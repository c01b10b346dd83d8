import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, SandboxError } from '../../../core/errors.js';
import { fixture, hostileSuite, hostProcesses } from '../../../test/fixtures/sandbox/hostile-suite.js';
import { cgroupsAvailable, listRunCgroups, RUN_CGROUP_PREFIX, sweepCgroups } from './cgroup.js';
import { describeSandboxFailure } from './describe.js';
import { ownerTag } from './owner.js';
import { DEFAULT_PYTHON } from './env.js';
import { createSandbox } from './index.js';
import { findBwrap, LocalSandbox } from './local.js';

const hasBwrap = findBwrap() !== undefined;

if (!hasBwrap) {
  test('local sandbox', (t) => t.skip('bubblewrap not installed (apt-get install -y bubblewrap)'));
} else {
  hostileSuite('local sandbox (bubblewrap) vs hostile scripts', new LocalSandbox(), { detectsProcessLimit: true });

  describe('local sandbox: behaviour', { concurrency: true }, () => {
    test('refuses to run without bubblewrap unless an unisolated run is opted into', async () => {
      assert.throws(
        () => new LocalSandbox({ bwrapPath: '/nonexistent/bwrap', allowUnisolated: false }),
        (e: unknown) => e instanceof SandboxError && /bubblewrap \(bwrap\) was not found at \/nonexistent\/bwrap/.test(e.message) && /allowUnisolated: true/.test(e.message),
      );
      const unisolated = new LocalSandbox({ bwrapPath: '/nonexistent/bwrap', allowUnisolated: true });
      assert.equal(unisolated.isolated, false);
      const r = await unisolated.run([{ path: 'a.py', content: 'import os\nprint(os.getcwd().endswith("/work"))\n' }], [DEFAULT_PYTHON, 'a.py'], { wallSeconds: 20 });
      assert.equal(r.stdout, 'True\n');
      const loop = await unisolated.run([{ path: 'l.py', content: fixture('infinite_loop.py') }], [DEFAULT_PYTHON, 'l.py'], { wallSeconds: 1, cpuSeconds: 30 });
      assert.equal(describeSandboxFailure(loop), 'killed: wall-time limit of 1 s exceeded');
    });

    test('without cgroups (as root: a uid of its own), rlimits still bound memory and the pid namespace still reaps leftovers', async () => {
      const sb = new LocalSandbox({ cgroups: false });
      const hog = await sb.run([{ path: 'hog.py', content: fixture('memory_hog.py') }], [DEFAULT_PYTHON, 'hog.py'], { wallSeconds: 20, memoryMb: 256 });
      // The address-space limit makes the allocation fail inside the script: its own error, not a kill the sandbox saw.
      assert.equal(hog.oom, false);
      assert.equal(hog.exitCode, 1);
      assert.match(hog.stderr, /MemoryError/);
      const marker = `${800 + (process.pid % 100)}.${Date.now() % 1000000}`;
      const child = await sb.run([{ path: 'c.py', content: fixture('leftover_child.py') }], [DEFAULT_PYTHON, 'c.py', marker], { wallSeconds: 30 });
      assert.equal(child.exitCode, 0);
      assert.deepEqual(hostProcesses(`sleep ${marker}`), []);
    });

    test('exit codes, signals and the last stderr line reach the result', async () => {
      const sb = createSandbox('local');
      const r = await sb.run([{ path: 'e.py', content: 'import sys\nprint("partial")\nraise ValueError("bad column")\n' }], [DEFAULT_PYTHON, 'e.py'], { wallSeconds: 20 });
      assert.equal(r.exitCode, 1);
      assert.equal(r.stdout, 'partial\n');
      // The sandbox's words only; the script's own last line stays in stderr.
      assert.equal(describeSandboxFailure(r), 'exited with code 1');
      assert.match(r.stderr, /ValueError: bad column\n$/);
      // A signal inside the sandbox arrives as 128+N, which a script could also exit with: reported as a status.
      const s = await sb.run([{ path: 's.py', content: 'import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n' }], [DEFAULT_PYTHON, 's.py'], { wallSeconds: 20 });
      assert.equal(s.exitCode, 139);
      assert.equal(s.signal, undefined);
      assert.equal(describeSandboxFailure(s), 'exited with code 139');
      const missing = await sb.run([], ['/usr/bin/does-not-exist'], { wallSeconds: 20 });
      assert.notEqual(missing.exitCode, 0);
      await sb.close();
    });

    test('as a non-root user without cgroups it refuses to run unless opted in; a root-owned cgroup folder does not break it (issue 15 #5)', { skip: process.getuid?.() !== 0 ? 'needs root to start the probe as another user' : false }, () => {
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', 'test/fixtures/sandbox/nonroot-probe.ts'], {
        cwd: new URL('../../../', import.meta.url).pathname,
        env: { PATH: '/usr/bin:/bin', HOME: mkdtempSync(join(tmpdir(), 'exitgym-nonroot-')) },
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { uid: number; refused: string | false; optedIn: { exitCode: number; stdout: string } };
      assert.equal(out.uid, 65534);
      assert.match(String(out.refused), /non-root user without writable cgroups.*limits would not hold.*EXITGYM_SANDBOX_UNISOLATED=1/);
      assert.deepEqual(out.optedIn, { exitCode: 0, stdout: 'True\n', stderr: '' });
    });

    test('the start-up sweep removes cgroups of dead owners, never a live one\'s', async () => {
      if (!(await cgroupsAvailable())) return;
      const dead = `${RUN_CGROUP_PREFIX}4194305-1-1`;
      const live = `${RUN_CGROUP_PREFIX}${ownerTag()}-sweeptest`;
      // An old-style name (no prefix) whose owner cannot be judged: never swept.
      const legacy = '4194305-3000001-1700000000000';
      for (const c of ['memory', 'pids', 'cpu', 'cpuacct', 'freezer']) {
        mkdirSync(`/sys/fs/cgroup/${c}/exitgym/${dead}`, { recursive: true });
        mkdirSync(`/sys/fs/cgroup/${c}/exitgym/${live}`, { recursive: true });
        mkdirSync(`/sys/fs/cgroup/${c}/exitgym/${legacy}`, { recursive: true });
      }
      try {
        // Sweeps of the runs beside this test may get there first; either way it must be gone.
        await sweepCgroups();
        const left = await listRunCgroups();
        assert.ok(!left.includes(dead), 'the dead owner\'s group is gone');
        assert.ok(left.includes(live), 'the live owner\'s group stays');
        for (const c of ['memory', 'pids']) assert.ok(existsSync(`/sys/fs/cgroup/${c}/exitgym/${legacy}`), 'an unjudgeable old-style group stays');
      } finally {
        for (const c of ['memory', 'pids', 'cpu', 'cpuacct', 'freezer']) {
          for (const name of [live, legacy]) rmdirSync(`/sys/fs/cgroup/${c}/exitgym/${name}`);
        }
      }
    });

    test('an abort signal kills the run', async () => {
      const sb = new LocalSandbox();
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 300);
      const r = await sb.run([{ path: 'l.py', content: fixture('infinite_loop.py') }], [DEFAULT_PYTHON, 'l.py'], { wallSeconds: 30 }, { signal: ac.signal });
      assert.equal(r.aborted, true);
      assert.equal(r.timedOut, false);
      assert.equal(describeSandboxFailure(r), 'killed: run aborted by the caller');
    });

    test('bad arguments throw one-line errors naming the field', async () => {
      const sb = new LocalSandbox();
      await assert.rejects(sb.run([{ path: '../x.py', content: '' }], [DEFAULT_PYTHON]), (e: unknown) => e instanceof ConfigError && /files\[0\]\.path/.test(e.message));
      await assert.rejects(sb.run([], []), (e: unknown) => e instanceof ConfigError && /non-empty array/.test(e.message));
      await assert.rejects(sb.run([], [DEFAULT_PYTHON], { wallSeconds: -1 }), (e: unknown) => e instanceof ConfigError && /limits\.wallSeconds = -1/.test(e.message));
      await assert.rejects(sb.run([], [DEFAULT_PYTHON], {}, { collect: ['/etc/passwd'] }), (e: unknown) => e instanceof ConfigError && /collect\[0\]/.test(e.message));
      await assert.rejects(sb.run([], [DEFAULT_PYTHON], {}, { dataDir: { hostPath: '/nonexistent-data', env: 'D' } }), (e: unknown) => e instanceof SandboxError && /does not exist/.test(e.message));
      if (process.getuid?.() === 0) {
        const priv = mkdtempSync(join(tmpdir(), 'exitgym-priv-'));
        try {
          await assert.rejects(sb.run([], [DEFAULT_PYTHON], {}, { dataDir: { hostPath: priv, env: 'D' } }), (e: unknown) => e instanceof SandboxError && /chmod -R o\+rX/.test(e.message));
        } finally {
          rmSync(priv, { recursive: true });
        }
      }
      if (process.getuid?.() === 0) {
        const hidden = mkdtempSync(join(tmpdir(), 'exitgym-hidden-'));
        try {
          const inHidden = new LocalSandbox({ tmpDir: hidden });
          await assert.rejects(inHidden.run([], [DEFAULT_PYTHON]), (e: unknown) => e instanceof SandboxError && /is not searchable by other users.*set the tmpDir option/.test(e.message));
        } finally {
          rmSync(hidden, { recursive: true });
        }
      }
      await sb.close();
      await assert.rejects(sb.run([], [DEFAULT_PYTHON]), (e: unknown) => e instanceof SandboxError && /after close\(\)/.test(e.message));
    });
  });
}
