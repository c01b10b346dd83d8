import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyRun, type RunObservation } from './classify.js';
import { describeSandboxFailure } from './describe.js';
import { resolveLimits } from './limits.js';
import { BoundedOutput } from './output.js';

const observe = (o: Partial<RunObservation>): RunObservation => {
  const stderr = new BoundedOutput(1024);
  stderr.push(Buffer.from('MemoryError\nfork: Resource temporarily unavailable\n'));
  return { exitStatus: 0, timedOut: false, aborted: false, outputFlood: false, oomKilled: false, pidsLimitHit: false, cpuMs: 10, wallMs: 100, stdout: new BoundedOutput(1024), stderr, files: {}, refused: {}, limits: resolveLimits({ cpuSeconds: 10 }), ...o };
};

test('an exit status is only a status: 137, 152 or 125 and limit-like stderr name no cause (issue 15 #2, #7)', () => {
  for (const status of [125, 137, 152, 139]) {
    const r = classifyRun(observe({ exitStatus: status }));
    assert.equal(r.exitCode, status);
    assert.equal(r.signal, undefined);
    assert.equal(r.oom || r.cpuLimited || r.processLimitHit || r.timedOut, false);
    assert.equal(describeSandboxFailure(r), `exited with code ${status}`);
  }
});

test('causes come from the sandbox\'s own records', () => {
  assert.equal(describeSandboxFailure(classifyRun(observe({ exitStatus: 137, oomKilled: true }))), 'killed: out of memory (limit 2048 MB)');
  assert.equal(classifyRun(observe({ exitStatus: 152, cpuMs: 9_900 })).cpuLimited, true);
  assert.equal(classifyRun(observe({ exitStatus: 152, cpuMs: 7_280 })).cpuLimited, true, 'tick accounting ran ahead of the cgroup under load (seen in CI: 728 ms at a 1 s limit)');
  assert.equal(classifyRun(observe({ exitStatus: 152, cpuMs: 1_000 })).cpuLimited, false, 'too little CPU time for the limit');
  assert.equal(classifyRun(observe({ exitStatus: 152, cpuMs: undefined })).cpuLimited, false, 'unmeasured: never guessed');
  const timed = classifyRun(observe({ exitStatus: 137, timedOut: true, pidsLimitHit: true }));
  assert.equal(timed.exitCode, null);
  assert.equal(timed.signal, 'SIGKILL');
  assert.equal(describeSandboxFailure(timed), 'killed: wall-time limit of 300 s exceeded (process limit of 64 reached)');
});
