/**
 * The Python client (`clients/python`, standard library only) against the real server, run on
 * Debian's /usr/bin/python3: full math and BFCL episodes give the rewards the in-process envs give
 * for the same starts, seeds and actions; the unittest suite covers the client, the asyncio client,
 * retries, the curriculum calls and the verl/TRL adapters.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { StartState } from '../../core/types.js';
import { loadBfcl } from '../../datasets/bfcl.js';
import { perfectActions } from '../../envs/bfcl/scripted-agent.js';
import { makeEnv, registerEnv, unregisterEnv } from '../../envs/registry.js';
import { baseStart } from '../../core/start-state.js';
import { startEnvServer, type EnvServer } from '../../server/app.js';
import { arithEntry } from '../fixtures/arith-env.js';
import { ROOT } from '../fixtures/serve.js';

const PYTHON = '/usr/bin/python3';
const MATH_DATA = `${ROOT}test/fixtures/math/data`;
const bfclData = process.env.EXITGYM_DATA_DIR && existsSync(`${process.env.EXITGYM_DATA_DIR}/bfcl`) ? process.env.EXITGYM_DATA_DIR : undefined;
const noPython = existsSync(PYTHON) ? false : `needs ${PYTHON}`;
let server: EnvServer;

before(async () => {
  // Math reads the repository's fixture split; BFCL reads EXITGYM_DATA_DIR (the test is skipped without it).
  if (!bfclData) process.env.EXITGYM_DATA_DIR = MATH_DATA;
  registerEnv(arithEntry('fixture-arith-py'));
  server = await startEnvServer({ port: 0 });
});
after(async () => {
  await server?.close();
  unregisterEnv('fixture-arith-py');
});

/** Runs a Python file with stdin and env; resolves with stdout, rejects with stderr on a non-zero exit. */
export function runPython(args: string[], stdin: string, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(PYTHON, args, { cwd: `${ROOT}clients/python`, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env } });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out + err);
      else reject(new Error(`python ${args.join(' ')} exited ${code}:\n${out}\n${err}`));
    });
    p.stdin.end(stdin);
  });
}

interface Episode {
  env: string;
  options: Record<string, unknown>;
  start: StartState;
  seed: number;
  actions: string[];
  /** Python sends each `<tool>` action as an OpenAI tool_calls list (the in-process run sends the text). */
  toolCalls?: boolean;
}

async function inProcess(ep: Episode): Promise<number[]> {
  const env = await makeEnv(ep.env, ep.options);
  await env.reset(structuredClone(ep.start), { seed: ep.seed });
  const rewards: number[] = [];
  for (const a of ep.actions) {
    const r = await env.step(a);
    rewards.push(r.reward);
    if (r.terminated || r.truncated) break;
  }
  await env.close();
  return rewards;
}

test('the Python client plays full math and BFCL episodes with the in-process rewards', { skip: noPython }, async (t) => {
  const episodes: Episode[] = [];
  const math = { split: 'math500' };
  if (!bfclData) {
    episodes.push(
      { env: 'math', options: math, start: baseStart('math500/1'), seed: 0, actions: ['So $\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}$'] },
      { env: 'math', options: math, start: baseStart('math500/1'), seed: 1, actions: ['I think it is \\boxed{(3, \\pi)}'] },
    );
  } else {
    t.diagnostic('math via EXITGYM_DATA_DIR; BFCL episodes included');
    episodes.push(
      // MATH500 problem 0 is the polar point (0, 3): the first answer is right, the second wrong.
      { env: 'math', options: math, start: baseStart('math500/0'), seed: 0, actions: ['So $\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}$'] },
      { env: 'math', options: math, start: baseStart('math500/0'), seed: 1, actions: ['\\boxed{3}'] },
    );
    const data = await loadBfcl();
    for (const id of ['multi_turn_base_101', 'multi_turn_base_0']) {
      const task = data.byId.get(id);
      if (!task) continue;
      const perfect = perfectActions(task, 1)[0] as string[];
      episodes.push({ env: 'bfcl', options: { split: 'all', config: 'train' }, start: baseStart(id), seed: 3, actions: perfect });
      episodes.push({ env: 'bfcl', options: { split: 'all', config: 'train' }, start: baseStart(id), seed: 3, actions: perfect, toolCalls: true });
      // A wrong first call, then the rest: a lower reward.
      episodes.push({ env: 'bfcl', options: { split: 'all', config: 'train' }, start: baseStart(id), seed: 4, actions: ['<tool>[{"name": "nope", "args": {}}]</tool>', ...perfect.slice(1)] });
    }
  }
  const expected = await Promise.all(episodes.map(inProcess));
  t.diagnostic(`rewards per episode: ${JSON.stringify(expected)}`);
  const out = await runPython(['tests/run_episodes.py'], JSON.stringify({ url: server.url, episodes }));
  assert.deepEqual(JSON.parse(out.trim().split('\n').pop() as string), expected);
  assert.ok(expected.flat().some((r) => r > 0), 'some episode was solved');
});

test('the Python unittest suite (client, asyncio, retries, curriculum, verl and TRL adapters) passes against the server', { skip: noPython }, async () => {
  const out = await runPython(['-m', 'unittest', 'discover', '-s', 'tests', '-v'], '', { EXITGYM_URL: server.url, EXITGYM_TEST_ENV: 'fixture-arith-py' }, 300_000);
  assert.match(out, /\nOK/);
  assert.ok(Number(/Ran (\d+) tests/.exec(out)?.[1]) >= 10, out);
});

test('examples/grpo_torch.py raises its reward, drawing starts from the ExIt curriculum', { skip: noPython }, async (t) => {
  const torch = await runPython(['-c', 'import torch'], '').then(
    () => true,
    () => false,
  );
  if (!torch) {
    t.skip('needs PyTorch in /usr/bin/python3 (Debian python3-torch)');
    return;
  }
  const out = await runPython(['examples/grpo_torch.py', '--url', server.url, '--env', 'fixture-arith-py', '--iterations', '15', '--seed', '1'], '', {}, 120_000);
  const rows = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, number>);
  assert.equal(rows.length, 15);
  const mean = (xs: Record<string, number>[]): number => xs.reduce((a, r) => a + (r.reward_mean as number), 0) / xs.length;
  const first = mean(rows.slice(0, 3));
  const last = mean(rows.slice(-3));
  t.diagnostic(`reward_mean first 3 iterations ${first.toFixed(3)}, last 3 ${last.toFixed(3)}`);
  assert.ok(last > first + 0.3, `reward did not rise: ${first} → ${last}`);
  const final = rows[rows.length - 1] as Record<string, number>;
  assert.equal(final['curriculum/groups_completed'], 15 * 4);
  assert.ok(final['curriculum/replays']! > 0, 'the curriculum replayed some starts');
});
