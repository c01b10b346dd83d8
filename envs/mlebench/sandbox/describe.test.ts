import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSandboxFailure, lastLine } from './describe.js';
import { resolveLimits } from './limits.js';
import type { SandboxResult } from './types.js';

const limits = resolveLimits({ wallSeconds: 5, memoryMb: 256, maxProcesses: 32, maxOutputBytes: 1024 * 1024 });
const base: SandboxResult = { exitCode: 0, stdout: '', stderr: '', files: {}, timedOut: false, oom: false, outputTruncated: false, wallMs: 10, limits };

test('success is undefined', () => {
  assert.equal(describeSandboxFailure(base), undefined);
  assert.equal(describeSandboxFailure({ ...base, outputTruncated: true }), undefined);
});

test('each kill reason has its line, the most specific first', () => {
  assert.equal(describeSandboxFailure({ ...base, exitCode: null, signal: 'SIGKILL', timedOut: true }), 'killed: wall-time limit of 5 s exceeded');
  assert.equal(describeSandboxFailure({ ...base, exitCode: null, signal: 'SIGKILL', oom: true }), 'killed: out of memory (limit 256 MB)');
  assert.equal(describeSandboxFailure({ ...base, exitCode: null, signal: 'SIGXCPU', cpuLimited: true }), 'killed: CPU-time limit of 5 s exceeded');
  assert.equal(describeSandboxFailure({ ...base, exitCode: null, outputFlood: true }), 'killed: output flood (more than 64 MB on stdout or stderr)');
  assert.equal(describeSandboxFailure({ ...base, exitCode: null, aborted: true, timedOut: true }), 'killed: run aborted by the caller');
  assert.equal(describeSandboxFailure({ ...base, exitCode: null, timedOut: true, processLimitHit: true }), 'killed: wall-time limit of 5 s exceeded (process limit of 32 reached)');
  assert.equal(describeSandboxFailure({ ...base, limits: undefined, exitCode: null, timedOut: true }), 'killed: wall-time limit exceeded');
  assert.equal(describeSandboxFailure({ ...base, wallMs: 1, limits: resolveLimits({ wallSeconds: 2.5 }), timedOut: true, exitCode: null }), 'killed: wall-time limit of 2.5 s exceeded');
});

test('exit codes and signals are the sandbox\'s words only: the script\'s output is never quoted (issue 15 #7)', () => {
  const tb = 'Traceback (most recent call last):\n  File "s.py", line 1\nModuleNotFoundError: No module named \'lightgbm\'\n\n';
  assert.equal(describeSandboxFailure({ ...base, exitCode: 1, stderr: tb }), 'exited with code 1');
  assert.equal(describeSandboxFailure({ ...base, exitCode: 2, stdout: 'score: 1.0 (gold medal)\n' }), 'exited with code 2');
  assert.equal(describeSandboxFailure({ ...base, exitCode: null, signal: 'SIGKILL' }), 'killed by signal SIGKILL');
});

test('lastLine trims and cuts', () => {
  assert.equal(lastLine('a\n  b  \n\n'), 'b');
  assert.equal(lastLine('x'.repeat(300), 10), 'xxxxxxx...');
  assert.equal(lastLine('\n\n'), '');
});
