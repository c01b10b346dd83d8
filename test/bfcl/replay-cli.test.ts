import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UsageError } from '../../cli/args.js';
import { command } from '../../cli/bfcl-replay.js';
import { ExitgymError } from '../../core/errors.js';
import type { ReplayLine } from '../../envs/bfcl/replay.js';
import { DATA_DIR } from './helpers.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bfcl-replay-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  const err: string[] = [];
  const code = await command.run(argv, { stdout: () => {}, stderr: (t) => err.push(t) });
  return { code, stderr: err.join('\n') };
}

const lines = async (file: string): Promise<ReplayLine[]> => (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ReplayLine);

describe('exitgym bfcl replay', () => {
  test('replays the ground truth of chosen tasks: result strings and canonical states per turn', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const out = join(dir, 'gt.jsonl');
    const r = await run(['--ground-truth', '--ids', 'multi_turn_base_0,multi_turn_base_101', '--output', out]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /2 scenarios, 15 calls \(0 raised\)/);
    const [t0, t101] = await lines(out);
    assert.equal(t0?.id, 'multi_turn_base_0');
    assert.deepEqual(Object.keys(t0?.initial_state ?? {}), ['TwitterAPI', 'GorillaFileSystem']);
    assert.equal(t0?.turns.length, 4);
    assert.deepEqual(t0?.turns[0]?.calls[0], { call: "cd(folder='document')", result_str: '{"current_working_directory": "document"}', error: null });
    const root = t0?.turns[0]?.state.GorillaFileSystem?.root as { contents: { document: { contents: Record<string, unknown> } } };
    assert.deepEqual(Object.keys(root.contents.document.contents).sort(), ['previous_report.pdf', 'temp']);
    assert.equal(t101?.turns[0]?.calls.length, 2);
  });

  test('replays scenarios from a file, recording raised errors and unknown methods', async () => {
    const input = join(dir, 'scen.jsonl');
    const scenario = {
      id: 's1',
      involved_classes: ['TwitterAPI'],
      initial_config: { TwitterAPI: { username: 'u', password: 'p', authenticated: true, tweets: {}, tweet_counter: 0 } },
      turns: [["post_tweet(content='hi', tags=['#a'])", 'post_tweet()'], ['no_such_method()']],
    };
    await writeFile(input, `${JSON.stringify(scenario)}\n`);
    const out = join(dir, 'scen-out.jsonl');
    assert.equal((await run(['--input', input, '--output', out])).code, 0);
    const [line] = await lines(out);
    const calls = line?.turns[0]?.calls ?? [];
    assert.equal(calls[0]?.error, null);
    assert.match(calls[0]?.result_str ?? '', /"content": "hi"/);
    // CPython names the method (qualified or not, by version); the rest of the text is fixed.
    assert.match(calls[1]?.error ?? '', /^TypeError: (TwitterAPI\.)?post_tweet\(\) missing 1 required positional argument: 'content'$/);
    assert.match(calls[1]?.result_str ?? '', /^Error during execution: (TwitterAPI\.)?post_tweet\(\) missing 1 required positional argument: 'content'$/);
    assert.deepEqual(line?.turns[1]?.calls[0], { call: 'no_such_method()', result_str: "Error during execution: name 'no_such_method' is not defined", error: "NameError: name 'no_such_method' is not defined" });
    assert.equal(line?.turns[0]?.state.TwitterAPI?.tweet_counter, 1);
  });

  test('bad usage and bad scenario files fail with one line naming the problem', async () => {
    await assert.rejects(run(['--ground-truth', '--input', 'x.json', '--output', join(dir, 'o')]), UsageError);
    await assert.rejects(run(['--ground-truth']), (e: unknown) => e instanceof UsageError && /missing --output/.test(e.message));
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"id": "a", "involved_classes": ["Nope"], "turns": []}\n');
    await assert.rejects(run(['--input', bad, '--output', join(dir, 'o')]), (e: unknown) => e instanceof ExitgymError && /bad\.jsonl line 1 \(a\): "involved_classes"/.test(e.message));
  });
});
