import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import '../builtin.js';
import { ConfigError, ValidationError } from '../../core/errors.js';
import { baseStart, divergeStart, improveStart } from '../../core/start-state.js';
import type { Turn } from '../../core/types.js';
import { envTasks, makeEnv } from '../registry.js';
import { MleBenchEnv } from './env.js';
import type { MleBenchEnvOptions } from './options.js';
import type { SandboxLimits } from './sandbox/types.js';

// Compile-time: the schema's limits name exactly the sandbox's limits (a new limit must be added to the schema).
type SchemaLimits = NonNullable<MleBenchEnvOptions['limits']>;
const sameLimitKeys: [keyof SchemaLimits] extends [keyof SandboxLimits] ? ([keyof SandboxLimits] extends [keyof SchemaLimits] ? true : never) : never = true;
void sameLimitKeys;

const SPOOKY = 'spooky-author-identification';
const PIZZA = 'random-acts-of-pizza';
const configError = (re: RegExp) => (e: unknown) => e instanceof ConfigError && re.test(e.message);

test('mlebench: an unknown or mistyped option is an error naming it', async () => {
  const id = `mlebench-${SPOOKY}`;
  await assert.rejects(makeEnv(id, { Sandbox: 'docker' }), configError(new RegExp(`^${id}: unknown option "Sandbox" \\(did you mean "sandbox"\\?\\); the options are sandbox, dataRoot, synthetic,`)));
  await assert.rejects(envTasks(id, { sandbx: 'local' }), configError(/unknown option "sandbx" \(did you mean "sandbox"\?\)/));
  assert.throws(() => new MleBenchEnv(SPOOKY, { sandbox: 'podman' as 'local' }), configError(/option sandbox must be one of "local", "docker"; got "podman"/));
  assert.throws(() => new MleBenchEnv(SPOOKY, { limits: { wallSecond: 5 } as never }), configError(/unknown option "limits\/wallSecond"/));
  assert.throws(() => new MleBenchEnv(SPOOKY, { limits: { wallSeconds: -1 } }), configError(/option limits\/wallSeconds must be > 0; got -1/));
  assert.throws(() => new MleBenchEnv(SPOOKY, { seed: 1.5 }), configError(/option seed must be integer; got 1.5/));
  // A sandbox object has no JSON form: the registry (CLI, HTTP) refuses it, the constructor checks its shape.
  await assert.rejects(makeEnv(id, { sandboxInstance: {} }), configError(/unknown option "sandboxInstance"/));
  assert.throws(() => new MleBenchEnv(SPOOKY, { sandboxInstance: {} as never }), configError(/option sandboxInstance must be a Sandbox object/));
  // The rules that relate two options stay.
  assert.throws(() => new MleBenchEnv(SPOOKY, { synthetic: true, dataRoot: '/x' }), configError(/either dataRoot .* or synthetic: true/));
  assert.deepEqual(await envTasks(id, { sandbox: 'local', limits: { wallSeconds: 60 } }), [SPOOKY]);
});

test("mlebench: a history recorded on another competition is refused, not run against this one's answers", { skip: process.env.EXITGYM_DATA_DIR ? false : 'EXITGYM_DATA_DIR not set (competition descriptions)' }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'exitgym-mle-history-'));
  await chmod(root, 0o755);
  const spooky = new MleBenchEnv(SPOOKY, { syntheticRoot: root, scale: 0.2 });
  const pizza = new MleBenchEnv(PIZZA, { syntheticRoot: root, scale: 0.2 });
  try {
    // A pizza history as the env records it: the draft prompt as the turn's input, one attempt.
    const draft = await pizza.reset(baseStart(PIZZA));
    const turns: Turn[] = [{ input: draft.observation, iterates: [{ response: [{ role: 'assistant', content: 'no code' }], quality: 0, feedback: 'solution.py failed: no code', kind: 'initial' }] }];
    await pizza.reset(improveStart({ taskId: PIZZA, turns }));
    for (const start of [improveStart({ taskId: SPOOKY, turns }), divergeStart({ taskId: SPOOKY, turns })]) {
      await assert.rejects(spooky.reset(start), (e: unknown) => e instanceof ValidationError && e.message.startsWith(`mlebench-${SPOOKY}: the start state's history does not belong to task "${SPOOKY}": its first turn asks "You are a Kaggle grandmaster.`));
    }
    // The task id itself must be the env's competition (one task per env).
    await assert.rejects(spooky.reset(improveStart({ taskId: PIZZA, turns })), (e: unknown) => e instanceof ValidationError && /taskId must be "spooky-author-identification"/.test(e.message));
  } finally {
    await spooky.close();
    await pizza.close();
    await rm(root, { recursive: true, force: true });
  }
});
