/**
 * Data-gated: every gold answer of every test set verifies against itself, against itself inside a
 * short model-style response, and against an equivalent rewrite; and not against the next
 * problem's answer (the collisions found are listed and pinned).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadMathSplit, MATH_TEST_SPLITS } from '../../datasets/math.js';
import { equivalentRewrite, modelStyle } from './rewrite.js';
import { goldResponse, verify } from './verify.js';

/** Known misses, pinned so a regression shows: minerva-27 and olympiadbench-2626 `\dfrac` rewrites of derivative/factorial forms, olympiadbench-1965 (a sentence with several formulas). */
const KNOWN_REWRITE_MISSES = 3;
const KNOWN_WRAPPED_MISSES = 1;

test('gold answers verify against themselves, wrapped and rewritten; not against the next problem', async (t) => {
  if (!process.env.EXITGYM_DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
  const misses = { self: [] as string[], wrapped: [] as string[], rewrite: [] as string[] };
  const collisions: string[] = [];
  let rewrites = 0;
  for (const split of MATH_TEST_SPLITS) {
    const tasks = await loadMathSplit(split);
    tasks.forEach((task, i) => {
      for (const a of task.answers) {
        if (!verify(task.answers, goldResponse(a)).correct) misses.self.push(`${task.id}: ${a}`);
        if (!verify(task.answers, modelStyle(a)).correct) misses.wrapped.push(`${task.id}: ${a}`);
        const r = equivalentRewrite(a);
        if (r !== undefined) {
          rewrites++;
          if (!verify(task.answers, modelStyle(r)).correct) misses.rewrite.push(`${task.id}: ${a} -> ${r}`);
        }
      }
      const next = tasks[(i + 1) % tasks.length];
      const other = next?.answers[0];
      if (other !== undefined && !task.answers.includes(other) && verify(task.answers, modelStyle(other)).correct) collisions.push(`${task.id}: ${task.answers[0]} ~ ${other}`);
    });
  }
  assert.deepEqual(misses.self, []);
  assert.ok(misses.wrapped.length <= KNOWN_WRAPPED_MISSES, misses.wrapped.join('\n'));
  assert.ok(rewrites > 1000);
  assert.ok(misses.rewrite.length <= KNOWN_REWRITE_MISSES, misses.rewrite.join('\n'));
  // `5` vs `x=5` is the same answer written as an assignment: a true collision of values, not a checker error.
  assert.deepEqual(collisions, ['test/algebra/1837.json: 5 ~ x=5']);
});
