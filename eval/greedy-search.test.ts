import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Iterate } from '../core/types.js';
import { MleBenchEnv } from '../envs/mlebench/env.js';
import { ScriptedClient } from '../rollout/scripted-client.js';
import { greedySearch, nextAction, type SearchNode } from './greedy-search.js';
import { localSandboxMissing } from '../test/fixtures/sandbox/local-gate.js';

const node = (valid: boolean, debugDepth = 0, quality = 0): SearchNode => ({
  step: 0,
  goal: 'improve',
  parent: -1,
  iterate: { response: [], quality, kind: 'improve' } as Iterate,
  score: valid ? quality : null,
  valid,
  debugDepth,
});

test('nextAction: debug the latest failure, improve the best otherwise, stop debugging after maxDebugDepth', () => {
  assert.deepEqual(nextAction([node(true, 0, 0.5), node(false)], 0, 3), { node: 1, goal: 'debug' });
  assert.deepEqual(nextAction([node(true, 0, 0.5), node(true, 0, 0.4)], 0, 3), { node: 0, goal: 'improve' });
  assert.deepEqual(nextAction([node(true, 0, 0.5), node(false, 3)], 0, 3), { node: 0, goal: 'improve' });
  // Nothing valid yet: keep debugging whatever the depth.
  assert.deepEqual(nextAction([node(false, 5)], -1, 3), { node: 0, goal: 'debug' });
  assert.throws(() => nextAction([], -1, 3), /at least the draft/);
});

const missing = localSandboxMissing({ data: true });

test('greedySearch: draft fails, debug fixes it, improvements keep the best; per-step best recorded', { skip: missing }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'exitgym-greedy-'));
  await chmod(root, 0o755);
  const id = 'detecting-insults-in-social-commentary';
  const env = new MleBenchEnv(id, { syntheticRoot: root, scale: 0.5 });
  const copySample = "import os, shutil\nshutil.copy(os.path.join(os.environ['PUBLIC_RESOURCE_PATH'], 'sample_submission_null.csv'), 'submission.csv')";
  // A keyword heuristic: better than the constant sample submission.
  const heuristic = [
    'import os, pandas as pd',
    "t = pd.read_csv(os.path.join(os.environ['PUBLIC_RESOURCE_PATH'], 'test.csv'))",
    "bad = ['idiot', 'moron', 'stupid', 'dumb', 'loser', 'fool', 'you']",
    "t['Insult'] = t['Comment'].str.lower().apply(lambda c: min(1.0, sum(w in c for w in bad) / 3))",
    "t[['Insult', 'Date', 'Comment']].to_csv('submission.csv', index=False)",
  ].join('\n');
  const scripts = ['```python\nimport pandas\nraise RuntimeError("draft bug")\n```', `\`\`\`python\n${copySample}\n\`\`\``, `\`\`\`python\n${heuristic}\n\`\`\``, 'no code this time'];
  const prompts: string[] = [];
  const client = new ScriptedClient((req) => {
    prompts.push(req.messages[0]?.content ?? '');
    return scripts[prompts.length - 1] ?? '';
  });
  try {
    const seen: number[] = [];
    const { curve, best, nodes } = await greedySearch({ env, client, taskId: id, steps: 3, onStep: (s) => void seen.push(s.step) });
    assert.deepEqual(seen, [0, 1, 2, 3]);
    assert.deepEqual(curve.map((s) => s.goal), ['draft', 'debug', 'improve', 'improve']);
    assert.match(prompts[1] ?? '', /RuntimeError: draft bug/);
    assert.equal(curve[0]?.valid, false);
    assert.equal(curve[0]?.bestScore, null);
    assert.equal(curve[1]?.score, 0.5);
    assert.ok((curve[2]?.score as number) > 0.5, `heuristic ${curve[2]?.score}`);
    assert.equal(curve[3]?.valid, false);
    assert.equal(curve[3]?.bestScore, curve[2]?.score, 'a failed step keeps the best so far');
    assert.equal(curve[3]?.parent, 2, 'the last step improved the best node');
    assert.equal(best, 2);
    assert.ok(prompts[3]?.includes("bad = ['idiot'"), 'improving shows the best solution');
    assert.equal(nodes.length, 4);
  } finally {
    await env.close();
    await rm(root, { recursive: true, force: true });
  }
});
