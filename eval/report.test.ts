import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracySvg, kStepSeries, plotTitle } from './report.js';

const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);

test('the eval plot is the Vega K-step chart: one line per series, title, subtitle, step axis', async () => {
  const svg = await accuracySvg(plotTitle('accuracy'), [{ label: 'math500', points: [[0, 0.42], [1, 0.47], [2, 0.5]] }], 'accuracy', { subtitle: 'math · math500 · qwen' });
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
  assert.equal(svg.match(/aria-roledescription="line mark"/g)?.length, 1);
  const t = texts(svg);
  for (const want of ['Accuracy at each step k', 'math · math500 · qwen', 'self-improvement step k', 'accuracy (% of tasks)', '60%']) assert.ok(t.includes(want), `${want} not in ${t.join(' | ')}`);
});

test('a score plot shows numbers, not percentages, and several series get a legend', async () => {
  const svg = await accuracySvg(plotTitle('mean normalised score'), [
    { label: 'a', points: [[0, 0.2], [1, 0.3]] },
    { label: 'b', points: [[0, 0.25], [1, 0.28]] },
  ], 'mean normalised score', { metric: 'score' });
  const t = texts(svg);
  assert.ok(t.includes('Mean normalised score at each step k') && t.includes('mean normalised score'), t.join(' | '));
  assert.ok(!t.some((x) => x.endsWith('%')), t.join(' | '));
  assert.ok(t.includes('a') && t.includes('b'));
  assert.equal(svg.match(/aria-roledescription="line mark"/g)?.length, 2);
});

test('an eval with no value gets a titled frame that says so, not empty axes', async () => {
  const svg = await accuracySvg(plotTitle('accuracy'), [{ label: 'test', points: [] }], 'accuracy', { subtitle: 'bfcl · test · m' });
  assert.doesNotMatch(svg, /aria-roledescription="line mark"|aria-roledescription="axis"/);
  const t = texts(svg);
  assert.ok(t.includes('No value: no record succeeded.') && t.includes('bfcl · test · m') && t.includes('Accuracy at each step k'), t.join(' | '));
});

test('kStepSeries skips missing steps and shades mean ± std where a std exists', async () => {
  assert.deepEqual(kStepSeries('a', [0.4, null, 0.5]), { label: 'a', points: [[0, 0.4], [2, 0.5]] });
  const s = kStepSeries('suite', [0.4, 0.5], [0.1, null]);
  assert.deepEqual(s.band, [[0, 0.4 - 0.1, 0.4 + 0.1]]);
  const svg = await accuracySvg(plotTitle('accuracy'), [s], 'accuracy');
  assert.match(svg, /aria-roledescription="area mark"/);
});
