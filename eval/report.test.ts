import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracySvg } from './report.js';

test('the eval plot is the Vega K-step chart: one line per series, title, subtitle, step axis', async () => {
  const svg = await accuracySvg([{ label: 'math500', points: [[0, 0.42], [1, 0.47], [2, 0.5]] }], { subtitle: 'math · math500 · qwen' });
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
  assert.equal(svg.match(/aria-roledescription="line mark"/g)?.length, 1);
  for (const text of ['Accuracy vs self-improvement step', 'math · math500 · qwen', 'self-improvement step k', 'accuracy (% of tasks)']) assert.ok(svg.includes(`>${text}</text>`), text);
});

test('an eval with no accuracy gets a titled frame that says so, not empty axes', async () => {
  const svg = await accuracySvg([{ label: 'test', points: [] }], { subtitle: 'bfcl · test · m' });
  assert.doesNotMatch(svg, /aria-roledescription="line mark"|aria-roledescription="axis"/);
  assert.match(svg, />No accuracy: no record succeeded\.<\/text>/);
  assert.match(svg, />bfcl · test · m<\/text>/);
});
