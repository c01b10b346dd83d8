import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { STRATEGIES } from '../../curriculum/config.js';
import { configHelp, TRAIN_CONFIG_SCHEMA } from './config.js';
import { parsePresetName, presetNames, resolveTrainConfig, trainPreset } from './presets.js';

const domainOf = (env: string): string => (env === 'math' ? 'math' : env === 'bfcl' ? 'bfcl' : env.startsWith('mlebench-') ? 'mlebench' : 'fixture');

test('paper presets carry Tables 4–6: learning rate per strategy, P, G, epochs, β, M, α, Dr. GRPO for tool use', () => {
  const m = trainPreset('math', 'exit');
  assert.deepEqual([m.grpo.learningRate, m.promptsPerIteration, m.groupSize, m.grpo.epochs, m.grpo.beta, m.reference.every, m.reference.alpha], [1e-6, 128, 8, 1, 0.001, 100, 1]);
  assert.deepEqual([m.curriculum.capacity, m.curriculum.minSize, m.curriculum.replayProb, m.curriculum.divergeProb], [512, 128, 0.5, 0.2]);
  assert.equal(trainPreset('bfcl', 'improve').grpo.learningRate, 5e-7);
  assert.equal(trainPreset('bfcl', 'exit').grpo.learningRate, 1e-6);
  assert.equal(trainPreset('bfcl', 'grpo').grpo.learningRate, 1e-6);
  const b = trainPreset('bfcl', 'exit');
  assert.deepEqual([b.promptsPerIteration, b.groupSize, b.grpo.epochs, b.grpo.normaliser, b.grpo.scale, b.curriculum.divergeProb], [16, 8, 2, 'dr_grpo', 'none', 0.5]);
  const x = trainPreset('mlebench', 'diverge');
  assert.deepEqual([x.promptsPerIteration, x.reference.alpha, x.curriculum.capacity, x.curriculum.minSize, x.curriculum.divergeProb], [4, 0.5, 32, 8, 0.2]);
});

test('every preset name resolves to a valid config; local variants are sized for a 2-core CPU', () => {
  assert.equal(presetNames().length, 30);
  for (const name of presetNames()) {
    const p = parsePresetName(name);
    const c = resolveTrainConfig(trainPreset(p.domain, p.strategy, { local: p.local }), domainOf, name);
    assert.equal(c.strategy, p.strategy);
    if (p.local) assert.ok(c.promptsPerIteration * c.groupSize <= 8 && c.maxTokens <= 32 && c.backend === 'wasm', name);
    assert.ok(c.curriculum.minSize <= c.curriculum.capacity, name);
  }
  assert.throws(() => parsePresetName('math/exitt'), /training preset/);
});

test('a partial config file is filled from the paper preset of its env and strategy; bad fields are refused by name', () => {
  const c = resolveTrainConfig({ env: 'bfcl', strategy: 'diverge', model: 'm', grpo: { beta: 0 } }, domainOf);
  assert.equal(c.grpo.learningRate, 5e-7);
  assert.equal(c.grpo.beta, 0);
  assert.equal(c.curriculum.capacity, 640);
  assert.equal(c.curriculum.learnabilityFrom, 'reward', 'learnability from the trained rewards by default');
  assert.throws(() => resolveTrainConfig({ env: 'math', strategy: 'exit', model: 'm', grpo: { lr: 1 } }, domainOf), /grpo: unexpected field "lr"/);
  assert.throws(() => resolveTrainConfig({ env: 'math', strategy: 'exit' }, domainOf), /missing required field "model"/);
  assert.throws(() => resolveTrainConfig({ env: 'math', strategy: 'grpo', model: 'm', curriculum: { divergeProb: 0.3 } }, domainOf), /divergeProb/);
  for (const s of STRATEGIES) assert.equal(resolveTrainConfig({ env: 'math', strategy: s, model: 'm' }, domainOf).strategy, s);
});

test('--help-config documents every field of the schema', () => {
  const help = configHelp();
  const walk = (schema: { properties?: Record<string, unknown> }, prefix: string): void => {
    for (const [k, v] of Object.entries(schema.properties ?? {})) {
      const path = prefix ? `${prefix}.${k}` : k;
      assert.match(help, new RegExp(`^${path.replace('.', '\\.')} \\(`, 'm'), `${path} is documented`);
      walk(v as { properties?: Record<string, unknown> }, path);
    }
  };
  walk(TRAIN_CONFIG_SCHEMA as unknown as { properties: Record<string, unknown> }, '');
});

test('the README config table names every field of the schema, and no other', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('| field | default | meaning |')).split('\n\n')[0] as string;
  const named = new Set<string>();
  for (const row of table.split('\n').slice(2)) {
    for (const [, cell] of (row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)) {
      const m = /^(\w+)\.\{([^}]+)\}$/.exec(cell as string);
      if (m) for (const k of (m[2] as string).split(',')) named.add(`${m[1]}.${k.trim()}`);
      else named.add(cell as string);
    }
  }
  const fields: string[] = [];
  const walk = (schema: { properties?: Record<string, unknown> }, prefix: string): void => {
    for (const [k, v] of Object.entries(schema.properties ?? {})) {
      const sub = v as { properties?: Record<string, unknown> };
      if (sub.properties) walk(sub, prefix ? `${prefix}.${k}` : k);
      else fields.push(prefix ? `${prefix}.${k}` : k);
    }
  };
  walk(TRAIN_CONFIG_SCHEMA as unknown as { properties: Record<string, unknown> }, '');
  assert.deepEqual([...named].sort(), fields.sort());
});
