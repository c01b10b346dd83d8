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
  assert.throws(() => parseDecoderConfig({ ...base, rope_scaling: { rope_type: 'yarn', factor: 2 } }), /rope_scaling: RoPE type "yarn" is not supported/);
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

test('RoPE: transformers v5 rope_parameters carry θ and the type; unsupported types fail listing the supported ones', () => {
  const v5 = parseDecoderConfig({ ...base, rope_parameters: { rope_type: 'llama3', rope_theta: 500000, factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 } });
  assert.equal(v5.ropeTheta, 500000);
  assert.deepEqual(v5.ropeScaling, { type: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 8192 });
  assert.equal(parseDecoderConfig({ ...base, rope_parameters: { rope_type: 'default', rope_theta: 1e6 } }).ropeTheta, 1e6);
  assert.equal(parseDecoderConfig({ ...base, rope_theta: 1e6, rope_scaling: { type: 'linear', factor: 2 } }).ropeScaling?.type, 'linear');
  for (const type of ['yarn', 'longrope', 'ntk']) {
    assert.throws(
      () => parseDecoderConfig({ ...base, rope_scaling: { rope_type: type, factor: 4 } }, {}, 'm/config.json'),
      new RegExp(`m/config\\.json rope_scaling: RoPE type "${type}" is not supported; supported: default, linear, dynamic, llama3`),
    );
  }
  assert.throws(() => parseDecoderConfig({ ...base, rope_parameters: { full_attention: { rope_type: 'default' } } }), /per-layer-type RoPE/);
  assert.throws(() => parseDecoderConfig({ ...base, rope_scaling: { rope_type: 'llama3', factor: 8 } }), /"low_freq_factor" must be a number/);
  assert.throws(() => parseDecoderConfig({ ...base, partial_rotary_factor: 0.5 }), /partial_rotary_factor 0\.5 is not supported/);
});

test('length limits: dynamic NTK past its threshold and sliding windows in force; none otherwise', () => {
  assert.equal(parseDecoderConfig(base).lengthLimit, null);
  const dyn = parseDecoderConfig({ ...base, max_position_embeddings: 2048, rope_scaling: { type: 'dynamic', factor: 2 } });
  assert.equal(dyn.lengthLimit?.tokens, 2048);
  assert.match(dyn.lengthLimit?.reason ?? '', /dynamic NTK/);
  // Dynamic NTK below its threshold is the default RoPE.
  assert.deepEqual(ropeInvFreq(dyn), ropeInvFreq({ ...dyn, ropeScaling: null }));
  assert.equal(parseDecoderConfig({ ...base, max_position_embeddings: 4096, rope_scaling: { type: 'dynamic', factor: 2, original_max_position_embeddings: 1024 } }).lengthLimit?.tokens, 1024);
  assert.equal(parseDecoderConfig({ ...base, model_type: 'mistral', sliding_window: 4096 }).lengthLimit?.tokens, 4096);
  assert.equal(parseDecoderConfig({ ...base, model_type: 'mistral', sliding_window: null }).lengthLimit, null);
  // Qwen2 configs always carry sliding_window; it is in force only with use_sliding_window on some layer.
  assert.equal(parseDecoderConfig({ ...base, model_type: 'qwen2', sliding_window: 32768, use_sliding_window: false }).lengthLimit, null);
  assert.equal(parseDecoderConfig({ ...base, model_type: 'qwen2', sliding_window: 64, use_sliding_window: true, max_window_layers: 0 }).lengthLimit?.tokens, 64);
  assert.equal(parseDecoderConfig({ ...base, model_type: 'qwen2', sliding_window: 64, use_sliding_window: true, max_window_layers: 1 }).lengthLimit, null);
  assert.equal(parseDecoderConfig({ ...base, model_type: 'qwen3', sliding_window: 64, layer_types: ['full_attention'] }).lengthLimit, null);
});

test('qwen3 has per-head q/k norms and no q/k/v bias unless attention_bias', () => {
  const q3 = parseDecoderConfig({ ...base, model_type: 'qwen3', head_dim: 16, attention_bias: false });
  assert.equal(q3.qkNorm, true);
  assert.equal(q3.qkvBias, false);
  assert.equal(q3.headDim, 16);
  assert.equal(parseDecoderConfig(base).qkNorm, false);
});
