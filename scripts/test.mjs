#!/usr/bin/env node
// The one honest test command: type-check, lint, then Node's test runner over every *.test.ts.
// Node 20's `--test` does not expand globs and tsx finds no .ts tests on its own, so we list the
// files ourselves and pass them explicitly.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skipDirs = new Set(['node_modules', 'dist', '.git', '.ci', 'coverage']);

function findTests(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    if (skipDirs.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// Optional filters: `npm test -- curriculum envs/math` runs only tests whose path contains one.
const filters = process.argv.slice(2);
const files = findTests(root).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no *.test.ts files found${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}
if (!process.env.EXITGYM_SKIP_TYPECHECK) {
  console.log('» tsc --noEmit');
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  console.log('» eslint');
  run(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '--max-warnings=0', '.']);
}
console.log(`» node --test (${files.length} files)`);
const concurrency = process.env.EXITGYM_TEST_CONCURRENCY ?? '2';
run(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files]);
