/**
 * Runs the conformance suite over every registered env and over the fixture env. Envs that need
 * the benchmark data or a working sandbox skip with one line where those are missing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../envs/builtin.js';
import { envEntries, envIds } from '../envs/registry.js';
import { baseStart } from '../core/start-state.js';
import { runEnvConformance } from '../testing/index.js';
import { ArithEnv, arithAnswer } from './fixtures/arith-env.js';
import { CONFORMANCE_CASES } from './fixtures/conformance-cases.js';
import { localSandboxMissing } from './fixtures/sandbox/local-gate.js';

runEnvConformance({
  name: 'fixture arith (1 turn)',
  makeEnv: () => new ArithEnv(),
  start: baseStart('arith/0'),
  actions: [String(arithAnswer('arith/0', 0))],
});
runEnvConformance({
  name: 'fixture arith (3 turns)',
  makeEnv: () => new ArithEnv(),
  start: baseStart('arith/5'),
  actions: [String(arithAnswer('arith/5', 0)), 'no idea', String(arithAnswer('arith/5', 2))],
});

const covered: string[] = [];
for (const entry of envEntries()) {
  const c = CONFORMANCE_CASES[entry.id];
  if (!c) continue;
  covered.push(entry.id);
  const { options, start, actions, requires = [] } = c;
  const missing = requires.includes('data') && !process.env.EXITGYM_DATA_DIR ? 'EXITGYM_DATA_DIR not set' : requires.includes('sandbox') ? localSandboxMissing() : undefined;
  if (missing) {
    test(`conformance: ${entry.id}`, (t) => t.skip(missing));
    continue;
  }
  runEnvConformance({ name: entry.id, makeEnv: () => entry.create(options), start, actions });
}

test('the suite covers every registered env, including all six MLE-bench competitions', () => {
  assert.deepEqual(covered, envIds());
  assert.deepEqual(covered.filter((id) => id.startsWith('mlebench-')).length, 6);
  assert.ok(covered.includes('math') && covered.includes('bfcl'));
});
