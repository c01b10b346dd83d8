import assert from 'node:assert/strict';
import { test } from 'node:test';
import { divergePrompt, improvePrompt, iterationPrompt } from './prompts.js';

const input = { instruction: 'What is 2+2?', previousResponse: 'It is 5.' };

test('improve prompt is the paper text', () => {
  assert.equal(improvePrompt(input), 'Improve your current response to this request:\n\n## Request:\nWhat is 2+2?\n\n## Current response:\nIt is 5.');
});

test('diverge prompt is the paper text', () => {
  assert.equal(
    divergePrompt(input),
    'Consider your current response to this request, and provide another response that takes an approach that SIGNIFICANTLY DIFFERS from the approach of the current response.\n\n## Request:\nWhat is 2+2?\n\n## Current response:\nIt is 5.\n\n## Your new response format:\n- First, provide a brief summary of the approach in the current response above.\n- Next, state a meaningfully different approach that can be taken instead.\n- Finally, provide your new response using this different approach.',
  );
});

test('iterationPrompt picks the template of the mode', () => {
  assert.equal(iterationPrompt('improve', input), improvePrompt(input));
  assert.equal(iterationPrompt('diverge', input), divergePrompt(input));
});
