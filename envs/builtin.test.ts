/**
 * The built-in envs register when `envs/builtin.js` is imported: an import-time side effect, which
 * bundlers drop unless package.json declares it (`sideEffects`).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(relative(root, path));
  }
  return out;
}

test('every module that registers envs when imported is declared in package.json sideEffects', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { sideEffects?: unknown };
  assert.ok(Array.isArray(pkg.sideEffects), 'sideEffects lists the modules with import-time effects (false would let bundlers drop the registration)');
  // A registerEnv call at the start of a line outside any function body: an import-time registration.
  // Test fixtures, benches and examples are not in the package.
  const published = sources(root).filter((f) => !/^(?:test|bench|examples|scripts)\//.test(f));
  const registering = published.filter((f) => /^(?:for \([^)]*\) )?registerEnv\(/m.test(readFileSync(join(root, f), 'utf8')));
  assert.deepEqual(registering, ['envs/builtin.ts']);
  for (const f of registering) assert.ok((pkg.sideEffects as string[]).includes(`./dist/${f.replace(/\.ts$/, '.js')}`), `${f} is declared`);
});
