/**
 * The public conformance suite on one MLE-bench env (the registry-wide suite in
 * test/conformance.test.ts covers all six with the same cases), plus the manifest's pinned
 * checksums against the data dir. Needs EXITGYM_DATA_DIR and bubblewrap.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { MANIFESTS } from '../../datasets/manifests.js';
import { runEnvConformance } from '../../testing/index.js';
import { MLEBENCH_ENVS } from './entries.js';
import { CONFORMANCE_CASES } from '../../test/fixtures/conformance-cases.js';
import { localSandboxMissing } from '../../test/fixtures/sandbox/local-gate.js';

const dataDir = process.env.EXITGYM_DATA_DIR;
const entry = MLEBENCH_ENVS.find((e) => e.id === 'mlebench-spooky-author-identification');
const conformance = CONFORMANCE_CASES['mlebench-spooky-author-identification'];
assert.ok(entry && conformance);

const missing = localSandboxMissing({ data: true });
if (missing) {
  test('conformance: mlebench-spooky-author-identification', (t) => t.skip(missing));
} else {
  runEnvConformance({ name: entry.id, makeEnv: () => entry.create(conformance.options), start: conformance.start, actions: conformance.actions });
}

test('the mlebench manifest pins the data dir descriptions byte for byte', { skip: dataDir ? false : 'EXITGYM_DATA_DIR not set' }, async () => {
  const files = MANIFESTS.mlebench ?? [];
  assert.equal(files.length, 12);
  for (const f of files) {
    const bytes = await readFile(join(dataDir as string, 'mlebench', f.path));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, f.path);
    assert.equal(bytes.length, f.bytes, f.path);
  }
});
