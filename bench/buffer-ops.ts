/**
 * Buffer operation throughput at N = 1k, 10k, 100k: inserts/s while filling, inserts/s at
 * capacity (replace / reject / update mix), samples/s (softmax, sum tree) and samples/s for PLR
 * rank sampling. Sampling should not slow down with N beyond O(log N): the last line prints
 * samples/s at 1k relative to 100k (target: within 3×). One draw at a time, the gap is memory
 * latency (the 1k tree sits in L1, the 100k one does not), not work; batched draws walk the tree
 * in sorted order and share cache lines.
 *
 * Run: node --import tsx bench/buffer-ops.ts
 */
import { Rng } from '../core/rng.js';
import type { History } from '../core/start-state.js';
import { createBuffer, insert } from '../curriculum/buffer.js';
import type { SamplingParams } from '../curriculum/sampling.js';
import { sampleSlot, sampleSlots } from '../curriculum/sampling.js';

const SIZES = [1_000, 10_000, 100_000];

function history(i: number): History {
  return {
    taskId: `math/${i % 1280}`,
    turns: [{ input: [{ role: 'user', content: `Problem ${i % 1280}: compute the sum.` }], iterates: [{ response: [{ role: 'assistant', content: `The answer is \\boxed{${i}}.` }], quality: i % 2, kind: 'initial' }] }],
  };
}

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
}

const softmax: SamplingParams = { prioritisation: 'softmax', kappa: 20, rankTemperature: 0.1, staleness: 0 };
const rank: SamplingParams = { prioritisation: 'rank', kappa: 20, rankTemperature: 1, staleness: 0.3 };
const sampleRates: number[] = [];
const batchRates: number[] = [];

console.log('N        fill inserts   full inserts   softmax samples   softmax (batches of 128)   rank+staleness samples   insert+sample pairs (rank)');
for (const N of SIZES) {
  const rng = Rng.fromSeed(N);
  const starts = Array.from({ length: N + 20_000 }, (_, i) => history(i));
  const b = createBuffer(N);
  let t = performance.now();
  for (let i = 0; i < N; i++) insert(b, { history: starts[i]!, score: rng.int(26) / 100 });
  const fill = performance.now() - t;
  const fullN = 20_000;
  t = performance.now();
  for (let i = 0; i < fullN; i++) insert(b, { history: starts[N + (i % 20_000)]!, score: rng.int(26) / 100 });
  const full = performance.now() - t;
  sampleSlot(b, softmax, rng); // build the sum tree outside the timing (O(N) once)
  const samples = 200_000;
  t = performance.now();
  for (let i = 0; i < samples; i++) sampleSlot(b, softmax, rng);
  const samp = performance.now() - t;
  sampleRates.push(samples / samp);
  t = performance.now();
  for (let i = 0; i < samples; i += 128) sampleSlots(b, softmax, rng, 128);
  const batched = performance.now() - t;
  batchRates.push(samples / batched);
  sampleSlot(b, rank, rng);
  t = performance.now();
  for (let i = 0; i < samples; i++) sampleSlot(b, rank, rng);
  const rk = performance.now() - t;
  // Interleaved: every sample follows a buffer change, so nothing can be cached between draws.
  const pairs = 10_000;
  t = performance.now();
  for (let i = 0; i < pairs; i++) {
    insert(b, { history: starts[N + (i % 20_000)]!, score: rng.int(26) / 100 });
    sampleSlot(b, rank, rng);
  }
  const mixed = performance.now() - t;
  console.log(`${String(N).padEnd(8)} ${rate(N, fill).padEnd(14)} ${rate(fullN, full).padEnd(14)} ${rate(samples, samp).padEnd(17)} ${rate(samples, batched).padEnd(26)} ${rate(samples, rk).padEnd(24)} ${rate(pairs, mixed)}`);
}
const ratio = (r: number[]): string => ((r[0] as number) / (r[r.length - 1] as number)).toFixed(2);
console.log(`softmax samples/s at N=1k ÷ at N=100k: one at a time ${ratio(sampleRates)}×, batches of 128 ${ratio(batchRates)}× (target ≤ 3×)`);
