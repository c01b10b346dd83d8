import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samplingDefaults } from './generation-defaults.js';

test('sampling defaults: only the fields generation_config.json sets; -1 top_k means every token; bad values name the field', () => {
  assert.deepEqual(samplingDefaults({ eos_token_id: 2 }), {});
  assert.deepEqual(samplingDefaults({ temperature: 0.7, top_p: 0.8, top_k: 20, do_sample: true }), { temperature: 0.7, topP: 0.8, topK: 20 });
  assert.deepEqual(samplingDefaults({ top_k: -1, temperature: null }), { topK: 0 });
  assert.throws(() => samplingDefaults({ top_p: 0 }, 'm/generation_config.json'), /m\/generation_config\.json: "top_p" must be a number in \(0, 1\]; got 0/);
  assert.throws(() => samplingDefaults({ temperature: '1' }), /"temperature" must be a number/);
});
