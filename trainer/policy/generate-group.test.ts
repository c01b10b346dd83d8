import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../../testing/tiny-model.js';
import { tf } from '../backend.js';
import type { Generation } from './generate.js';
import { loadPolicy, type Policy } from './policy.js';

async function tinyPolicy(): Promise<Policy> {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-group-'));
  await writeTinyModel(dir, { seed: 7, embedStd: 0.3 });
  return loadPolicy(dir, { backend: 'wasm', trainable: false, log: () => {} });
}

function sameSamples(got: readonly Generation[], want: readonly Generation[], what: string): void {
  assert.equal(got.length, want.length, `${what}: result count`);
  got.forEach((g, r) => {
    const w = want[r] as Generation;
    assert.deepEqual(g.tokenIds, w.tokenIds, `${what}: tokens of result ${r}`);
    assert.deepEqual(g.promptIds, w.promptIds, `${what}: prompt of result ${r}`);
    assert.equal(g.text, w.text, `${what}: text of result ${r}`);
    assert.equal(g.finishReason, w.finishReason, `${what}: finish of result ${r}`);
    g.logprobs.forEach((lp, j) => assert.ok(Math.abs(lp - (w.logprobs[j] as number)) < 1e-4, `${what}: logprob ${r}/${j}: ${lp} vs ${w.logprobs[j]}`));
  });
}

test('a group of n samples per prompt equals the prompts repeated n times, and n sequential generations with the same streams', async () => {
  const policy = await tinyPolicy();
  try {
    const prompts = ['the cat sat', 'x1', [{ role: 'user' as const, content: 'an' }]];
    const n = 4;
    // Stop strings and eos end rows at different steps, so finished rows leave the batch mid-way.
    const opts = { maxTokens: 10, temperature: 1, seed: 21, stop: ['e', '\n'] };
    const before = tf.memory().numTensors;
    const group = await policy.generate(prompts, { ...opts, n });
    assert.equal(tf.memory().numTensors, before, 'group generation frees its tensors');
    const lengths = new Set(group.map((g) => g.tokenIds.length));
    assert.ok(lengths.size > 1, `rows finish at different steps (lengths ${[...lengths].join(', ')})`);
    const repeated = await policy.generate(prompts.flatMap((p) => new Array(n).fill(p) as (typeof p)[]), opts);
    sameSamples(group, repeated, 'repeated prompts');
    for (let r = 0; r < group.length; r++) {
      const [one] = await policy.generate([prompts[Math.floor(r / n)] as (typeof prompts)[number]], { ...opts, sampleOffset: r });
      sameSamples([one as Generation], [group[r] as Generation], `sequential result ${r}`);
    }
    const distinct = new Set(group.slice(0, n).map((g) => g.tokenIds.join(',')));
    assert.ok(distinct.size > 1, 'the n samples of one prompt use different streams');
    await assert.rejects(policy.generate(prompts, { ...opts, n: 0 }), /n \(samples per prompt\) must be a positive integer/);
    await assert.rejects(policy.generate(prompts, { ...opts, sampleOffset: -1 }), /sampleOffset must be a non-negative integer/);
  } finally {
    policy.dispose();
  }
});

test('onToken reports every sampled token under its result index', async () => {
  const policy = await tinyPolicy();
  try {
    const seen = new Map<number, number[]>();
    const out = await policy.generate(['the', 'cat'], { maxTokens: 5, seed: 3, n: 2, stopAtEos: false, onToken: (r, id) => seen.set(r, [...(seen.get(r) ?? []), id]) });
    out.forEach((g, r) => assert.deepEqual(seen.get(r), g.tokenIds, `result ${r}`));
  } finally {
    policy.dispose();
  }
});

test('a long generation lets the event loop turn (a server beside it still reads requests)', async () => {
  const policy = await tinyPolicy();
  try {
    let done = false;
    let ticks = 0;
    let ticksDuring = 0;
    const timer = setInterval(() => {
      ticks++;
      if (!done) ticksDuring = ticks;
    }, 1);
    const t0 = performance.now();
    await policy.generate(['the cat sat'], { maxTokens: 200, temperature: 1, seed: 3, stopAtEos: false, n: 8 });
    done = true;
    clearInterval(timer);
    const ms = performance.now() - t0;
    // The loop yields every 20 ms, so a run of a few hundred ms sees the timer several times
    // (without the yields: never). Loose enough for a loaded machine's slow steps.
    assert.ok(ms > 100, `the generation is long enough to tell (${ms.toFixed(0)} ms)`);
    assert.ok(ticksDuring >= 2, `${ticksDuring} timer ticks during a ${ms.toFixed(0)} ms generation`);
  } finally {
    policy.dispose();
  }
});

test('an aborted generation stops between decode steps, rejects with the reason and frees its tensors', async () => {
  const policy = await tinyPolicy();
  try {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let tokens = 0;
    const reason = new Error('client gone');
    await assert.rejects(
      policy.generate(['the cat sat'], {
        maxTokens: 200,
        n: 4,
        seed: 1,
        stopAtEos: false,
        signal: controller.signal,
        onToken: () => {
          if (++tokens === 12) controller.abort(reason);
        },
      }),
      (e) => e === reason,
    );
    assert.ok(tokens >= 12 && tokens <= 16, `stopped at the next step (${tokens} tokens for 4 rows)`);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  } finally {
    policy.dispose();
  }
});
