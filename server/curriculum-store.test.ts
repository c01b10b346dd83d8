import assert from 'node:assert/strict';
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { registerEnv, unregisterEnv } from '../envs/registry.js';
import { arithEntry } from '../test/fixtures/arith-env.js';
import { call } from '../test/fixtures/serve.js';
import { startEnvServer } from './app.js';
import { loadAll } from './curriculum-store.js';

const ENV = 'fixture-arith-store';
let dir: string;
before(async () => {
  registerEnv(arithEntry(ENV));
  dir = await mkdtemp(join(tmpdir(), 'exitgym-store-'));
});
after(async () => {
  unregisterEnv(ENV);
  await rm(dir, { recursive: true, force: true });
});

test('changed curricula are autosaved; a save cut between its renames is taken back at load', async () => {
  const server = await startEnvServer({ port: 0, stateDir: dir, autosaveSeconds: 0.2 });
  let state: unknown;
  try {
    await call(server.url, 'POST', '/v1/curricula', { id: 'auto', env: ENV, domain: 'math', seed: 2 });
    await call(server.url, 'POST', '/v1/curricula/auto/next', { n: 2 });
    state = structuredClone(server.curricula.get('auto').state);
    // An autosave, before any shutdown save.
    for (let i = 0; i < 100 && !(await readdir(dir)).includes('auto'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok((await readdir(dir)).includes('auto'), 'no autosave within 5 s');
  } finally {
    await server.close();
  }
  // Shutdown saved the latest state and left no temporary folders.
  assert.deepEqual(await readdir(dir), ['auto']);
  const saved = await loadAll(dir);
  assert.deepEqual(saved[0]?.state, state);
  assert.equal(saved[0]?.open.size, 2);
  // A crash after "rename old away" and before "rename new in" leaves only the old copy.
  await rename(join(dir, 'auto'), join(dir, '.auto.old-1-2-3'));
  const back = await loadAll(dir);
  assert.equal(back[0]?.spec.id, 'auto');
  assert.deepEqual(await readdir(dir), ['auto']);
});
