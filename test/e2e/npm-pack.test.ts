/**
 * The package as users get it: `npm pack` (which runs `prepare`, the TypeScript build), the
 * tarball installed in a temp folder, and its `exitgym eval` run on the math env over the
 * hand-written fixture problems against a local OpenAI-compatible server.
 *
 * How it installs offline: `npm install --offline <tgz>` fails here (npm's cache holds the
 * tarballs but not the registry metadata it asks for first: ENOTCACHED), and `npm install` into a
 * node_modules that links to a shared install treats linked scope folders as its own and prunes
 * them. So the test does what `npm install <tgz>` does for the package itself — unpack it into
 * `node_modules/exitgym` and link its bin — and resolves the dependencies from a `node_modules`
 * link one folder up, which npm never touches. That those dependencies are the package's own is
 * checked separately: every package the built files import is a declared dependency.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startChatServer, type ChatServer } from '../fixtures/chat-server.js';
import { MATH_FIXTURE_DATA_DIR } from '../fixtures/conformance-cases.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };

let work: string;
let installed: string;
let server: ChatServer;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'exitgym-pack-'));
  // `npm pack` runs `prepare` (tsc -p tsconfig.build.json) and writes the tarball it would publish.
  const { stdout } = await run('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: root, maxBuffer: 64 << 20 });
  const tarball = join(work, stdout.trim().split('\n').pop() as string);
  const project = join(work, 'project');
  installed = join(project, 'node_modules', 'exitgym');
  await mkdir(installed, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  await mkdir(join(project, 'node_modules', '.bin'));
  await symlink('../exitgym/bin/exitgym.js', join(project, 'node_modules', '.bin', 'exitgym'));
  await symlink(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  // Right for the fixture problems' first answers, so the numbers below are known.
  server = await startChatServer((messages) => {
    const last = messages[messages.length - 1]?.content ?? '';
    if (last.includes('\\frac{2}{4}')) return 'Dividing by 2: $\\boxed{\\frac{1}{2}}$';
    if (last.includes('x^2 = 4')) return 'So $\\boxed{\\pm 2}$';
    return 'I do not know.';
  });
}, { timeout: 300_000 });

after(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('the tarball holds the built package and no test code', async () => {
  const files = (dir: string, prefix = ''): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
  const shipped = files(installed);
  for (const must of ['package.json', 'README.md', 'bin/exitgym.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/testing/tiny-model.js']) {
    assert.ok(shipped.includes(must), `${must} is in the tarball`);
  }
  assert.deepEqual(shipped.filter((f) => /(^|\/)test\/|\.test\.(js|d\.ts)$|\.ts$(?<!\.d\.ts)/.test(f)), [], 'no tests, test fixtures or TypeScript sources');
  // Every package the built code imports is one npm installs with it.
  const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
  const imported = new Set<string>();
  for (const f of shipped.filter((x) => x.endsWith('.js'))) {
    const text = await readFile(join(installed, f), 'utf8');
    for (const m of text.matchAll(/(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      // (Doc examples in comments import the package itself by name: not a dependency.)
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec) || spec.split('/')[0] === pkg.name) continue;
      imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  }
  assert.deepEqual([...imported].filter((p) => !declared.has(p)).sort(), [], 'imported by dist/ but not a dependency');
  assert.ok(imported.has('ajv') && imported.has('openai'), `the scan found the imports (${[...imported].sort().join(', ')})`);
});

test('the installed `exitgym eval` runs the math env on the fixture problems', { timeout: 300_000 }, async () => {
  const out = join(work, 'eval');
  const bin = join(work, 'project', 'node_modules', '.bin', 'exitgym');
  const { stdout, stderr } = await run(
    process.execPath,
    [bin, 'eval', '--env', 'math', '--split', 'math500', '--env-option', `dataDir=${MATH_FIXTURE_DATA_DIR}`, '--steps', '1', '--model', server.baseURL, '--output', out, '--quiet'],
    { cwd: join(work, 'project'), env: { ...process.env, EXITGYM_DATA_DIR: '' } },
  );
  assert.match(stdout, /step 0: accuracy 66\.7%/, stderr);
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as { steps: { n: number; accuracy: number }[] };
  assert.deepEqual(summary.steps.map((s) => s.n), [3, 3]);
  assert.ok(Math.abs((summary.steps[0]?.accuracy ?? 0) - 2 / 3) < 1e-9);
  // The installed bin runs the built CLI (dist/), not the tsx fallback for source checkouts.
  const version = await run(process.execPath, [bin, '--version'], { cwd: join(work, 'project'), env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(version.stdout.trim(), pkg.version);
  const mistyped = await run(process.execPath, [bin, 'eval', '--env', 'math', '--env-option', 'Split=math500', '--model', server.baseURL, '--quiet'], { cwd: join(work, 'project') }).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  assert.equal(mistyped?.code, 1);
  assert.match(mistyped?.stderr ?? '', /unknown option "Split" \(did you mean "split"\?\)/);
});
