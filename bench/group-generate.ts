/**
 * Shared-prefix group generation against G sequential generations, on the small decoder
 * (`bench/shapes.ts`): one call `generate([prompt], { n: G })` (one prefill, one batched decode)
 * versus G calls `generate([prompt], { sampleOffset: j })`, which draw the same samples.
 *
 *   node --import tsx bench/group-generate.ts [--backend wasm] [--group 8] [--prompt-tokens 64] [--new-tokens 48] [--repeats 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../core/rng.js';
import type { BackendName } from '../trainer/backend.js';
import type { Generation } from '../trainer/policy/generate.js';
import { loadPolicy } from '../trainer/policy/policy.js';
import { median, writeSmallModel } from './shapes.js';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    group: { type: 'string', default: '8' },
    'prompt-tokens': { type: 'string', default: '64' },
    'new-tokens': { type: 'string', default: '48' },
    repeats: { type: 'string', default: '3' },
  },
});
const G = Number(args.group);
const dir = await mkdtemp(join(tmpdir(), 'exitgym-group-bench-'));
await writeSmallModel(dir);
const policy = await loadPolicy(dir, { backend: args.backend as BackendName, trainable: false, log: () => {} });
const rng = Rng.fromSeed(5);
const prompt = { promptIds: Array.from({ length: Number(args['prompt-tokens']) }, () => 1 + rng.int(255)) };
const opts = { maxTokens: Number(args['new-tokens']), temperature: 1, seed: 9, stopAtEos: false };
await policy.generate([prompt], { ...opts, maxTokens: 2, n: 2 }); // warm-up (kernel setup)
const groupTimes: number[] = [];
const seqTimes: number[] = [];
for (let k = 0; k < Number(args.repeats); k++) {
  let t0 = performance.now();
  const group = await policy.generate([prompt], { ...opts, n: G });
  groupTimes.push(performance.now() - t0);
  t0 = performance.now();
  const seq: Generation[] = [];
  for (let j = 0; j < G; j++) seq.push(...(await policy.generate([prompt], { ...opts, sampleOffset: j })));
  seqTimes.push(performance.now() - t0);
  const same = group.every((g, j) => g.tokenIds.join(',') === seq[j]?.tokenIds.join(','));
  if (!same) throw new Error('bench: group and sequential samples differ; the group path is wrong.');
}
policy.dispose();
await rm(dir, { recursive: true, force: true });
const g = median(groupTimes);
const s = median(seqTimes);
console.log(`backend ${policy.backend}: G = ${G}, prompt ${args['prompt-tokens']} tokens, ${opts.maxTokens} new tokens each (median of ${args.repeats})`);
console.log(`  one group call:        ${(g / 1000).toFixed(3)} s (${((G * opts.maxTokens) / (g / 1000)).toFixed(0)} tokens/s)`);
console.log(`  ${G} sequential calls:   ${(s / 1000).toFixed(3)} s (${((G * opts.maxTokens) / (s / 1000)).toFixed(0)} tokens/s)`);
console.log(`  speed-up: ${(s / g).toFixed(2)}× (identical samples)`);
