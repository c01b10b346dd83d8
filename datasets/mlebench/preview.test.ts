import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { previewPublicDir } from './preview.js';
import { ensureSynthetic } from './synthetic/index.js';

test('previews: CSV heads, JSON shape, zip listing, big folders summarised by one example', async () => {
  const root = await mkdtemp(join(tmpdir(), 'exitgym-preview-'));
  try {
    const nomad = await previewPublicDir(join(await ensureSynthetic('nomad2018-predict-transparent-conductors', { root, scale: 0.2 }), 'public'));
    assert.match(nomad, /-> train\.csv \([\d.]+ kB\) \(\d+ lines\), first lines:\nid,spacegroup,number_of_total_atoms/);
    assert.match(nomad, /-> train\/ holds 108 entries \(1, 2, 3, …\); the first one:/);
    assert.match(nomad, /-> train\/1\/geometry\.xyz .*\n#/);
    assert.equal((nomad.match(/geometry\.xyz/g) ?? []).length, 2, 'one example per folder');
    const pizza = await previewPublicDir(join(await ensureSynthetic('random-acts-of-pizza', { root, scale: 0.1 }), 'public'), { maxChars: 100_000 });
    assert.match(pizza, /-> test\.json .*: a JSON array of \d+ objects with keys giver_username_if_known, request_id/);
    assert.match(pizza, /-> train\.zip .*: zip archive of 1 files \(\.json\) at the archive root, e\.g\. train\.json/);
    assert.doesNotMatch(pizza, /description\.md/);
    const short = await previewPublicDir(join(root, 'random-acts-of-pizza', 'seed0-scale0.1', 'prepared', 'public'), { maxChars: 300 });
    assert.ok(short.length < 340 && short.endsWith('(preview truncated)'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
