#!/usr/bin/env node
// Builds the optional native matmul (native/blas.c → native/build/Release/exitgym_blas.node) with
// node-gyp, npm's own copy. Runs at `npm install` / `npm ci`; it never fails the install: without a
// C compiler, Node's headers or OpenBLAS (Debian: libopenblas-dev) it prints one line saying what
// is missing, and the learner keeps tfjs's own wasm matmul. Re-run with `npm run build:native`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`exitgym: ${line}\n`);
const skip = (why) => {
  say(`optional native BLAS matmul not built (${why}); the wasm learner uses tfjs's XNNPACK matmul instead. To build it: install a C compiler and libopenblas-dev, then \`npm run build:native\`.`);
  process.exit(0);
};

if (process.env.EXITGYM_NATIVE_BLAS === '0') skip('EXITGYM_NATIVE_BLAS=0');
if (!existsSync(join(root, 'native', 'binding.gyp'))) process.exit(0); // an install without the sources
const header = ['/usr/include/cblas.h', '/usr/include/x86_64-linux-gnu/cblas.h', '/usr/include/aarch64-linux-gnu/cblas.h', '/usr/include/openblas/cblas.h'];
if (process.platform === 'linux' && !header.some((h) => existsSync(h))) skip('no cblas.h: OpenBLAS headers are missing');

// npm sets npm_config_node_gyp for lifecycle scripts; run by hand, take the node-gyp that ships with npm.
const npmGyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const gyp = process.env.npm_config_node_gyp ?? npmGyp;
if (!existsSync(gyp)) skip(`node-gyp not found at ${gyp}`);
// Node's headers ship with this Node (no download: installs here cannot reach nodejs.org).
const nodedir = process.env.npm_config_nodedir ?? join(dirname(process.execPath), '..');
const args = [gyp, 'rebuild', '--directory', join(root, 'native'), '--loglevel', 'error'];
if (existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodedir}`);
try {
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  say('built the native BLAS matmul (native/build/Release/exitgym_blas.node)');
} catch (e) {
  const detail = String(e.stderr ?? e.message).split('\n').find((l) => /error/i.test(l)) ?? String(e.message).split('\n')[0];
  skip(`node-gyp failed: ${detail.trim().slice(0, 300)}`);
}
