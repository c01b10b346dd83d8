import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDecoderConfig, ropeInvFreq } from './config.js';

const base = { model_type: 'llama', vocab_size: 10, hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1 };

test('parseDecoderConfig reads shapes, biases and eos ids from both files', () => {
  const c = parseDecoderConfig({ ...base, eos_token_id: 2, attention_bias: true }, { eos_token_id: [3, 2] });
  assert.equal(c.headDim, 4);
  assert.equal(c.qkvBias, true);
  assert.equal(c.oBias, true);
  assert.deepEqual(c.eosTokenIds, [3, 2]);
  const q = parseDecoderConfig({ ...base, model_type: 'qwen2' });
  assert.equal(q.qkvBias, true);
  assert.equal(q.oBias, false);
  assert.throws(() => parseDecoderConfig({ ...base, model_type: 'gpt2' }), /model_type "gpt2" is not supported/);
  assert.throws(() => parseDecoderConfig({ ...base, num_key_value_heads: 3 }), /not a multiple/);
  assert.throws(() => parseDecoderConfig({ ...base, rope_scaling: { rope_type: 'yarn', factor: 2 } }), /rope_scaling type "yarn" is not supported/);
});

test('ropeInvFreq: default, linear and llama3 scaling against hand numbers', () => {
  // headDim 4, θ = 100: inv = [1, 100^-0.5 = 0.1].
  const plain = ropeInvFreq({ headDim: 4, ropeTheta: 100, ropeScaling: null });
  assert.ok(Math.abs((plain[0] as number) - 1) < 1e-7 && Math.abs((plain[1] as number) - 0.1) < 1e-7);
  const lin = ropeInvFreq({ headDim: 4, ropeTheta: 100, ropeScaling: { type: 'linear', factor: 4 } });
  assert.ok(Math.abs((lin[1] as number) - 0.025) < 1e-7);
  // llama3 with original 64, low 1, high 4: wavelengths 2π ≈ 6.28 (< 16, high freq: kept) and
  // 62.8 (between 16 and 64: smoothed, s = (64/62.83 − 1)/3 ≈ 0.0062 → 0.1·(1−s)/8 + 0.1·s).
  const l3 = ropeInvFreq({ headDim: 4, ropeTheta: 100, ropeScaling: { type: 'llama3', factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 64 } });
  assert.ok(Math.abs((l3[0] as number) - 1) < 1e-7);
  const s = (64 / ((2 * Math.PI) / 0.1) - 1) / 3;
  assert.ok(Math.abs((l3[1] as number) - ((1 - s) * 0.0125 + s * 0.1)) < 1e-7);
});
