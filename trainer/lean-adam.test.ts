import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, selectBackend } from './backend.js';
import { LeanAdamOptimizer } from './lean-adam.js';

test('lean Adam takes the same steps as tf.train.adam, on the host path and the tensor path, and frees its temporaries', async () => {
  await selectBackend('wasm', { log: () => {} });
  const init = [tf.randomNormal([40, 6], 0, 1, 'float32', 1), tf.randomNormal([7], 0, 1, 'float32', 2)];
  let run = 0;
  const train = (opt: tf.Optimizer): Float32Array[] => {
    run += 1;
    const vars = init.map((t, i) => tf.variable(t, true, `lean-adam-${run}-${i}`));
    for (let step = 0; step < 4; step++) {
      const { grads, value } = tf.variableGrads(() => tf.add(tf.sum(tf.square(tf.sub(vars[0] as tf.Variable, 0.3 * step))), tf.sum(tf.sin(vars[1] as tf.Variable))), vars);
      opt.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const values = vars.map((x) => Float32Array.from(x.dataSync()));
    vars.forEach((x) => x.dispose());
    return values;
  };
  const want = train(tf.train.adam(0.05, 0.9, 0.999, 1e-8));
  // Threshold 10: the [40, 6] variable takes the host path, the [7] one the tensor path.
  const lean = new LeanAdamOptimizer(0.05, 0.9, 0.999, 1e-8, 10);
  const before = tf.memory().numTensors;
  const got = train(lean);
  want.forEach((w, k) => w.forEach((x, i) => assert.ok(Math.abs((got[k]?.[i] as number) - x) < 1e-6, `var ${k}[${i}]: ${got[k]?.[i]} vs ${x}`)));
  // What is left: the 4 moment slots (2 per variable); nothing per step.
  assert.equal(tf.memory().numTensors - before, 4);
  const saved = await lean.getWeights();
  assert.deepEqual(saved.map((w) => w.name), ['iter', 'lean-adam-2-0/m', 'lean-adam-2-1/m', 'lean-adam-2-0/v', 'lean-adam-2-1/v']);
});
