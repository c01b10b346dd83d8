import assert from 'node:assert/strict';
import { test } from 'node:test';
import { curriculumPreset, resolveCurriculumConfig, type CurriculumDomain, type Strategy } from './config.js';

test('paper table: N / B_min / p / p_div per domain and strategy', () => {
  const row = (d: CurriculumDomain, s: Strategy) => {
    const c = curriculumPreset(d, s);
    return [c.capacity, c.minSize, c.replayProb, c.divergeProb, c.selfIterate, c.diversityBonus];
  };
  assert.deepEqual(row('math', 'curriculum'), [512, 128, 0.5, 0, false, false]);
  assert.deepEqual(row('math', 'improve'), [512, 128, 0.5, 0, true, false]);
  assert.deepEqual(row('math', 'diverge'), [512, 128, 0.5, 0.2, true, false]);
  assert.deepEqual(row('math', 'exit'), [512, 128, 0.5, 0.2, true, true]);
  assert.deepEqual(row('bfcl', 'curriculum'), [320, 320, 0.2, 0, false, false]);
  assert.deepEqual(row('bfcl', 'diverge'), [640, 320, 0.5, 0.2, true, false]);
  assert.deepEqual(row('bfcl', 'exit'), [640, 320, 0.5, 0.5, true, true]);
  assert.deepEqual(row('mlebench', 'curriculum'), [3, 3, 0.5, 0, false, false]);
  assert.deepEqual(row('mlebench', 'improve'), [24, 8, 0.5, 0, true, false]);
  assert.deepEqual(row('mlebench', 'diverge'), [32, 8, 0.5, 0.2, true, false]);
  assert.deepEqual(row('mlebench', 'exit'), [24, 3, 0.5, 0.5, true, true]);
  assert.equal(curriculumPreset('math', 'grpo').replayProb, 0);
  assert.equal(curriculumPreset('math', 'exit').baseSampling, 'epoch');
  assert.equal(curriculumPreset('bfcl', 'exit').baseSampling, 'uniform');
  assert.equal(curriculumPreset('math', 'exit').prioritisation, 'softmax');
});

test('overrides apply and are validated', () => {
  assert.equal(curriculumPreset('math', 'exit', { kappa: 50 }).kappa, 50);
  assert.throws(() => curriculumPreset('math', 'exit', { kappa: -1 }), /kappa must be a number in \[0, 2800\]/);
  assert.throws(() => curriculumPreset('math', 'exit', { kappa: 5000 }), /underflows/);
  assert.throws(() => curriculumPreset('math', 'exit', { minSize: 600 }), /minSize must be <= capacity \(512\)/);
  assert.throws(() => curriculumPreset('math', 'curriculum', { divergeProb: 0.3 }), /divergeProb 0.3 needs selfIterate: true/);
  assert.throws(() => curriculumPreset('math', 'exit', { replayProb: 1.5 }), /replayProb must be in \[0, 1\]; got 1.5/);
});

test('unknown domain or strategy lists the known ones', () => {
  assert.throws(() => curriculumPreset('chess' as CurriculumDomain, 'exit'), /unknown curriculum domain "chess".*math, bfcl, mlebench/);
  assert.throws(() => resolveCurriculumConfig({ ...curriculumPreset('math', 'exit'), strategy: 'plr' as Strategy }), /Known curriculum strategys: grpo, curriculum, improve, diverge, exit/);
});
