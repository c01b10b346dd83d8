/**
 * The runnable examples (examples/*.ts, mirrored in the README) run as users run them, as
 * processes through tsx, with a time limit that fails the test. Those that need the benchmark data
 * skip in one line without it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runExample(file: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${file}`], { cwd: root, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`examples/${file} did not finish within ${timeoutMs / 1000} s; stdout so far:\n${stdout}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What each example must print; `data` marks the ones that read EXITGYM_DATA_DIR. */
const EXPECTED: Record<string, { data?: boolean; lines: RegExp[] }> = {
  'check-custom-env.ts': {
    lines: [/^checkEnv: 9 checks passed/m, /^initial answer: reward 0 \("gmy" is not the word reversed\)$/m, /^Improve your current response to this request:$/m, /^improved answer: reward 1 \(correct\)$/m],
  },
  'exit-loop.ts': { lines: [/^iteration 40: /m, /^buffer: 16 entries, median score 0\.\d+$/m, /^distinct task instances seen: \d+$/m] },
  'math-quickstart.ts': {
    data: true,
    lines: [/^task: Convert the point \$\(0,3\)\$/m, /^reward 0: Incorrect/m, /^Improve your current response to this request:$/m, /"correct":true,"extracted":"0\.5"/],
  },
  'bfcl-episode.ts': {
    data: true,
    lines: [/^2 messages: /m, /^tool result: <tool_result> .*get_current_time.*Succeeded/m, /^a bad call is fed back, not thrown: .*Failed/m, /^episode over: reward 0 after 6 finished requests/m],
  },
};

test('every example has expectations here', () => {
  const files = readdirSync(`${root}/examples`).filter((f) => f.endsWith('.ts') && f !== 'reverse-env.ts');
  assert.deepEqual(files.sort(), Object.keys(EXPECTED).sort());
});

for (const [file, { data, lines }] of Object.entries(EXPECTED)) {
  const skip = data && !process.env.EXITGYM_DATA_DIR ? 'EXITGYM_DATA_DIR not set' : false;
  test(`examples/${file} runs and prints what the README says`, { skip }, async () => {
    const r = await runExample(file, 90_000);
    assert.equal(r.code, 0, `exit ${r.code}; stderr:\n${r.stderr}`);
    for (const line of lines) assert.match(r.stdout, line);
  });
}
