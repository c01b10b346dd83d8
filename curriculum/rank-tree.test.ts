import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../core/rng.js';
import { RankTree } from './rank-tree.js';

test('ranks follow score descending, ties by earlier scoredAt; removals and re-keys keep it exact', () => {
  const rng = Rng.fromSeed(5);
  const n = 300;
  const score: number[] = [];
  const at: number[] = [];
  let clock = 0;
  const tree = new RankTree(n, (s) => score[s]!, (s) => at[s]!);
  const present = new Set<number>();
  const check = (): void => {
    const expected = [...present].sort((a, b) => score[b]! - score[a]! || at[a]! - at[b]!);
    assert.equal(tree.count, expected.length);
    expected.forEach((slot, r) => assert.equal(tree.at(r), slot, `rank ${r}`));
  };
  for (let step = 0; step < 2000; step++) {
    const slot = rng.int(n);
    if (present.has(slot)) {
      tree.remove(slot);
      if (rng.bool(0.3)) {
        present.delete(slot);
      } else {
        score[slot] = rng.int(6) * 0.05; // many ties
        at[slot] = ++clock;
        tree.insert(slot);
      }
    } else {
      score[slot] = rng.int(6) * 0.05;
      at[slot] = ++clock;
      tree.insert(slot);
      present.add(slot);
    }
    if (step % 97 === 0) check();
  }
  check();
  assert.throws(() => tree.at(tree.count), /outside/);
});
