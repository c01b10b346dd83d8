import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../testing/tiny-model.js';
import { selectBackend, tf } from './backend.js';
import { grpoLoss } from './loss.js';
import { loadPolicy } from './policy/policy.js';

test('tensorflow and webgpu fall back with a log line saying why; strict mode throws instead', async () => {
  // No GPU and no tfjs-node here: this checks the fallback path only (the native paths need hardware).
  const lines: string[] = [];
  const tfChoice = await selectBackend('tensorflow', { log: (l) => lines.push(l) });
  assert.equal(tfChoice.backend, 'wasm');
  assert.equal(tfChoice.skipped[0]?.backend, 'tensorflow');
  assert.match(tfChoice.skipped[0]?.reason ?? '', /@tensorflow\/tfjs-node-gpu: .*; @tensorflow\/tfjs-node: /);
  assert.match(lines[0] ?? '', /^\[exitgym\] tfjs backend: wasm \(skipped tensorflow: /);
  await tf.setBackend('cpu');
  const gpu = await selectBackend('webgpu', { log: () => {} });
  assert.equal(gpu.backend, 'wasm');
  assert.match(gpu.skipped[0]?.reason ?? '', /navigator\.gpu|adapter/);
  await assert.rejects(selectBackend('webgpu', { strict: true, log: () => {} }), /tfjs backend "webgpu" is not available/);
  await assert.rejects(selectBackend('gpu' as never), /unknown tfjs backend "gpu"; use one of auto, tensorflow, webgpu, wasm, cpu/);
  const auto = await selectBackend('auto', { log: () => {} });
  assert.equal(auto.backend, 'wasm');
});

test('the gather gradient (our single-pass UnsortedSegmentSum kernel) matches hand numbers on wasm and cpu', async () => {
  const gradOn = async (backend: 'wasm' | 'cpu'): Promise<number[]> => {
    await selectBackend(backend, { log: () => {} });
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([2, 0, 2, 7 - 5], 'int32')), tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]))))(table);
    return Array.from(g.dataSync());
  };
  // Row 0 gets [3,4]; row 1 nothing; row 2 gets [1,2]+[5,6]+[7,8].
  assert.deepEqual(await gradOn('wasm'), [3, 4, 0, 0, 13, 16]);
  assert.deepEqual(await gradOn('cpu'), [3, 4, 0, 0, 13, 16]);
});

test('wasm and cpu give the same logprobs and the same greedy tokens', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-be-'));
  await writeTinyModel(dir, { seed: 2, embedStd: 0.5 });
  const run = async (backend: 'wasm' | 'cpu'): Promise<{ lp: number[]; ids: number[] }> => {
    const p = await loadPolicy(dir, { backend, log: () => {} });
    const [g] = await p.generate(['the cat sat'], { maxTokens: 5, temperature: 0, stopAtEos: false });
    const lp = await p.tokenLogprobs([{ ids: [269, 117, 260, 32, 99, 97, 116, 10], start: 1 }]);
    p.dispose();
    return { lp: lp[0] as number[], ids: g?.tokenIds ?? [] };
  };
  const w = await run('wasm');
  const c = await run('cpu');
  assert.deepEqual(w.ids, c.ids);
  w.lp.forEach((x, i) => assert.ok(Math.abs(x - (c.lp[i] as number)) < 1e-4, `token ${i}: wasm ${x} vs cpu ${c.lp[i]}`));
});

test('wasm and cpu give the same GRPO-loss gradients (embedding gather included)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-be-'));
  await writeTinyModel(dir, { seed: 5, embedStd: 0.5 });
  const gradsOn = async (backend: 'wasm' | 'cpu'): Promise<Map<string, Float32Array>> => {
    const p = await loadPolicy(dir, { backend, log: () => {} });
    const ids = tf.tensor2d([[269, 117, 260, 32, 99, 97], [116, 263, 115, 10, 270, 97]], [2, 6], 'int32');
    const old = tf.tidy(() => tf.add<tf.Tensor2D>(p.logprobsTensor(ids), 0.1));
    const mask = tf.tensor2d([[0, 1, 1, 1, 1], [0, 0, 1, 1, 1]]);
    const adv = tf.tensor1d([1, -1]);
    const { grads, value } = tf.variableGrads(() => grpoLoss({ logprobs: p.logprobsTensor(ids), oldLogprobs: old, mask, advantages: adv }, { epsilon: 0.2, beta: 0, normaliser: 'grpo' }, 2).loss, p.trainableVariables());
    const out = new Map([...p.weights].map(([name, v]) => [name, Float32Array.from(grads[v.name]?.dataSync() ?? [])]));
    tf.dispose([ids, old, mask, adv, value, ...Object.values(grads)]);
    p.dispose();
    return out;
  };
  const w = await gradsOn('wasm');
  const c = await gradsOn('cpu');
  assert.equal(w.size, c.size);
  for (const [name, g] of w) {
    const h = c.get(name) as Float32Array;
    assert.equal(g.length, h.length, name);
    let scale = 0;
    let worst = 0;
    g.forEach((x, i) => {
      scale = Math.max(scale, Math.abs(x));
      worst = Math.max(worst, Math.abs(x - (h[i] as number)));
    });
    assert.ok(scale > 0, `${name}: zero gradient`);
    assert.ok(worst <= 1e-4 * scale + 1e-6, `${name}: wasm vs cpu gradients differ by ${worst} (max |g| ${scale})`);
  }
});
