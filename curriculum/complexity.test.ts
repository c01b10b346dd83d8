/**
 * "Insert and sample stay fast at N = 100 000": checked by counting work, not by timing, so it
 * cannot flake on a busy machine. The buffer's entries array is wrapped in a Proxy that counts
 * element reads; any O(N) scan (find, map, sort, a loop over entries) would read ~N elements per
 * operation, while the indexed heap, treap and sum trees read O(log N).
 */
import assert from 'node:assert/strict';
import type { History } from '../core/start-state.js';
import { test } from 'node:test';
import { Rng } from '../core/rng.js';
import { insert } from './buffer.js';
import type { BufferEntry } from './buffer-types.js';
import { curriculumPreset } from './config.js';
import { createCurriculum, nextStart } from './episode-start.js';
import { updateCurriculum } from './expansion.js';
import { sampleSlot, type SamplingParams } from './sampling.js';

const h = (i: number): History => ({
  taskId: `t/${i % 97}`,
  turns: [{ input: [{ role: 'user', content: `q${i % 97}` }], iterates: [{ response: [{ role: 'assistant', content: `a${i}` }], quality: i % 2, kind: 'initial' }] }],
});

const softmax: SamplingParams = { prioritisation: 'softmax', kappa: 20, rankTemperature: 0.5, staleness: 0 };
const rankStale: SamplingParams = { prioritisation: 'rank', kappa: 20, rankTemperature: 0.5, staleness: 0.3 };

/** The most element reads any single operation of each kind made, on a full buffer of capacity n. */
function worstReadsPerOp(n: number): Record<'insert' | 'update' | 'softmax' | 'rank' | 'episode', number> {
  const config = curriculumPreset('math', 'exit', { capacity: n, minSize: 1, replayProb: 1, kappa: 20 });
  const state = createCurriculum(config, ['t/0', 't/1']);
  const rng = Rng.fromSeed(n);
  for (let i = 0; i < n; i++) insert(state.buffer, { history: h(i), score: rng.int(26) / 100 });

  let reads = 0;
  state.buffer.entries = new Proxy(state.buffer.entries, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  }) as BufferEntry[];
  // The first use after the swap rebuilds the derived indexes (O(N) once, by design); the sum
  // trees and the rank tree are built on their first draw.
  insert(state.buffer, { history: h(n), score: 0.25 });
  sampleSlot(state.buffer, softmax, rng);
  sampleSlot(state.buffer, rankStale, rng);

  const worst = { insert: 0, update: 0, softmax: 0, rank: 0, episode: 0 };
  const measure = (kind: keyof typeof worst, op: () => unknown): void => {
    reads = 0;
    op();
    worst[kind] = Math.max(worst[kind], reads);
  };
  for (let i = 0; i < 200; i++) {
    measure('insert', () => insert(state.buffer, { history: h(n + 1 + i), score: rng.int(26) / 100 })); // replace or reject
    measure('update', () => insert(state.buffer, { history: state.buffer.entries[rng.int(n)]!.history, score: rng.int(26) / 100 }));
    measure('softmax', () => sampleSlot(state.buffer, softmax, rng));
    measure('rank', () => sampleSlot(state.buffer, rankStale, rng));
    measure('episode', () => {
      const episode = nextStart(state, config, rng);
      const trace = structuredClone(episode.start.turns);
      trace[trace.length - 1]!.iterates.push({ response: [{ role: 'assistant', content: `r${i}` }], quality: 1, kind: 'improve' });
      updateCurriculum(state, config, { episode, traces: [trace], qualities: [1, 0] });
    });
  }
  return worst;
}

test('insert, score update, softmax and rank+staleness draws, and a whole episode read O(log N) entries, never O(N)', () => {
  const small = worstReadsPerOp(1 << 10);
  const large = worstReadsPerOp(1 << 15);
  for (const kind of Object.keys(large) as (keyof typeof large)[]) {
    // log2(32768) = 15: a logarithmic operation reads a few dozen entries per level at most.
    assert.ok(large[kind] <= 40 * 15, `${kind}: ${large[kind]} entry reads for one operation at N = 32768 (an O(N) scan reads ~32768)`);
    // 32× more entries must not mean 32× more reads: logarithmic growth is 15/10 = 1.5×.
    assert.ok(large[kind] <= 3 * Math.max(small[kind], 10), `${kind}: ${small[kind]} reads at N = 1024 but ${large[kind]} at N = 32768`);
  }
});
