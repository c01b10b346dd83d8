import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { captureIo } from '../test/fixtures/cli-io.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

test('--help lists every command; no arguments prints it and exits 2', async () => {
  const c = captureIo();
  assert.equal(await main(['--help'], c.io), 0);
  const help = c.out.join('\n');
  for (const cmd of ['eval', 'serve-model', 'serve', 'envs list', 'bfcl replay', 'math verify', 'datasets pull', 'mlebench grade', 'model generate', 'model score']) {
    assert.match(help, new RegExp(`^  ${cmd} `, 'm'), `help lists ${cmd}`);
  }
  const none = captureIo();
  assert.equal(await main([], none.io), 2);
  assert.equal(none.out.join('\n'), help);
});

test('--version prints the package version', async () => {
  const c = captureIo();
  assert.equal(await main(['--version'], c.io), 0);
  assert.deepEqual(c.out, [pkg.version]);
});

test('unknown commands, subcommands and flags exit 2 with one line saying what to type', async () => {
  const cmd = captureIo();
  assert.equal(await main(['evl'], cmd.io), 2);
  assert.deepEqual(cmd.err, ['exitgym: unknown command "evl" (did you mean "exitgym eval"?); run `exitgym --help` for the list.']);
  const sub = captureIo();
  assert.equal(await main(['envs', 'lst'], sub.io), 2);
  assert.deepEqual(sub.err, ['exitgym envs: unknown subcommand "lst"; try one of: exitgym envs list.']);
  const flag = captureIo();
  assert.equal(await main(['envs', 'list', '--jsn'], flag.io), 2);
  assert.equal(flag.err.length, 1);
  assert.match(flag.err[0] ?? '', /^exitgym envs list: unknown flag --jsn.*see `exitgym envs list --help`/);
});

test('envs list shows id, domain, quality range and budgets of every registered env', async () => {
  const c = captureIo();
  assert.equal(await main(['envs', 'list'], c.io), 0);
  const lines = c.out.join('\n').split('\n');
  assert.match(lines[0] ?? '', /^ID\s+DOMAIN\s+QUALITY\s+BUDGETS$/);
  assert.match(lines.find((l) => l.startsWith('bfcl ')) ?? '', /^bfcl\s+bfcl\s+\[0, 1\]\s+train: 10 steps; test: 60 steps$/);
  assert.match(lines.find((l) => l.startsWith('math ')) ?? '', /^math\s+math\s+\[0, 1\]\s+default: 1 steps$/);
  assert.equal(lines.filter((l) => l.startsWith('mlebench-')).length, 6);
  const json = captureIo();
  assert.equal(await main(['envs', 'list', '--json'], json.io), 0);
  const rows = JSON.parse(json.out.join('\n')) as { id: string; options: { properties: Record<string, unknown> } }[];
  assert.deepEqual(Object.keys(rows.find((r) => r.id === 'math')?.options.properties ?? {}), ['split', 'dataDir', 'verifyTimeoutMs'], 'each env lists its options schema');
});

// The installed command runs the compiled CLI from dist/ (built by `npm ci`'s prepare script); the
// version lookup once broke only there, so the built entry point gets its own check.
test('the bin script answers --version and a bad command the same way as the source', { skip: existsSync(`${root}/dist/cli/main.js`) ? false : 'dist/ not built (npm run build)' }, () => {
  const ok = spawnSync(process.execPath, [`${root}/bin/exitgym.js`, '--version'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), pkg.version);
  const bad = spawnSync(process.execPath, [`${root}/bin/exitgym.js`, 'evl'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});
