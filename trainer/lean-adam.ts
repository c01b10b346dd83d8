/**
 * Adam with the arithmetic of `tf.train.adam` but bounded temporary memory. tfjs's
 * `AdamOptimizer.applyGradients` runs every variable's update inside one `tf.tidy`, so about eight
 * temporaries the size of each variable stay alive until the last one is done: for a 0.5B-shape
 * model that is several GB on top of the weights, gradients and moments, past wasm's 4 GB heap.
 * Here each variable is updated in its own scope, and a large one (the 136M-value embedding) is
 * updated in plain numbers on the host, so the backend holds at most one extra copy of it at a
 * time. Slots, names and `getWeights`/`setWeights` are the parent's, so checkpoints are the same.
 */
import { tf } from './backend.js';

/** Variables with more values than this are updated on the host (default 4M values = 16 MB). */
export const HOST_UPDATE_THRESHOLD = 1 << 22;

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The parent's private state, read as it is (same names as tfjs 4.22's AdamOptimizer). */
interface AdamState {
  accumulatedFirstMoment: (Slot | undefined)[];
  accumulatedSecondMoment: (Slot | undefined)[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  incrementIterations(): void;
}

export class LeanAdamOptimizer extends tf.AdamOptimizer {
  constructor(
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    /** Values above which a variable is updated on the host. */
    private readonly hostThreshold = HOST_UPDATE_THRESHOLD,
  ) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const self = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const registered = tf.engine().registeredVariables;
    const acc1 = self.accBeta1.dataSync()[0] as number;
    const acc2 = self.accBeta2.dataSync()[0] as number;
    names.forEach((name, i) => {
      const value = registered[name] as tf.Variable;
      const slot = (which: 'm' | 'v'): tf.Variable => {
        const list = which === 'm' ? self.accumulatedFirstMoment : self.accumulatedSecondMoment;
        let s = list[i];
        if (!s) {
          s = { originalName: `${name}/${which}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
          list[i] = s;
        }
        return s.variable;
      };
      const m = slot('m');
      const v = slot('v');
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
      if (!gradient) return;
      if (value.size > this.hostThreshold) this.hostUpdate(value, m, v, gradient, acc1, acc2);
      else {
        tf.tidy(() => {
          const newM = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
          const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
          m.assign(newM);
          v.assign(newV);
          const mHat = tf.div(newM, 1 - acc1);
          const vHat = tf.div(newV, 1 - acc2);
          value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), value));
        });
      }
    });
    tf.tidy(() => {
      self.accBeta1.assign(tf.mul(self.accBeta1, this.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, this.beta2));
    });
    self.incrementIterations();
  }

  /** The same update in float32 on host arrays; the backend holds one new tensor at a time. */
  private hostUpdate(value: tf.Variable, m: tf.Variable, v: tf.Variable, gradient: tf.Tensor, acc1: number, acc2: number): void {
    const g = gradient.dataSync() as Float32Array;
    // slice(): a copy as one memcpy (Float32Array.from walks an iterator: minutes at 136M values).
    const mm = (m.dataSync() as Float32Array).slice();
    const vv = (v.dataSync() as Float32Array).slice();
    const w = (value.dataSync() as Float32Array).slice();
    const { beta1: b1, beta2: b2, epsilon: eps, learningRate: lr } = this;
    const c1 = Math.fround(1 - acc1);
    const c2 = Math.fround(1 - acc2);
    for (let j = 0; j < w.length; j++) {
      const gj = g[j] as number;
      const mj = Math.fround(Math.fround((mm[j] as number) * b1) + Math.fround(gj * Math.fround(1 - b1)));
      const vj = Math.fround(Math.fround((vv[j] as number) * b2) + Math.fround(Math.fround(gj * gj) * Math.fround(1 - b2)));
      mm[j] = mj;
      vv[j] = vj;
      const step = Math.fround(Math.fround(mj / c1) / Math.fround(Math.fround(Math.sqrt(Math.fround(vj / c2))) + eps));
      w[j] = Math.fround(Math.fround(step * -lr) + (w[j] as number));
    }
    for (const [target, data] of [[m, mm], [v, vv], [value, w]] as const) {
      const t = tf.tensor(data, target.shape, 'float32');
      target.assign(t);
      t.dispose();
    }
  }
}
