import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../core/errors.js';
import { compareChart, drawablePoints, lineChart, renderSvg, type LineSeries } from './charts.js';

/** The `d` attribute of every line path Vega drew. */
function linePaths(svg: string): string[] {
  return [...svg.matchAll(/aria-roledescription="line mark"[^>]*\sd="([^"]+)"|\sd="([^"]+)"[^>]*aria-roledescription="line mark"/g)].map((m) => (m[1] ?? m[2]) as string);
}

const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);

test('lineChart renders one path per series, with title, axis titles and a legend', async () => {
  const series: LineSeries[] = [
    { label: 'k = 0', points: [[10, 0.3], [20, 0.4], [30, 0.5]] },
    { label: 'k = 3', points: [[10, 0.35], [20, 0.5], [30, 0.62]] },
  ];
  const svg = await renderSvg(lineChart(series, { title: 'Validation accuracy', subtitle: 'eval/accuracy@k', xTitle: 'iteration', yTitle: 'accuracy (% of tasks)', percent: true }));
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const paths = linePaths(svg);
  assert.equal(paths.length, 2);
  // Three points per line: a move and two line segments.
  for (const d of paths) assert.equal(d.match(/[ML]/g)?.length, 3, d);
  const t = texts(svg);
  for (const want of ['Validation accuracy', 'eval/accuracy@k', 'iteration', 'accuracy (% of tasks)', 'k = 0', 'k = 3', '50%']) assert.ok(t.includes(want), `missing text "${want}" in ${t.join(' | ')}`);
  assert.doesNotMatch(svg, /<script|<image|href="http/);
});

test('missing values (null, NaN, ±Infinity) are left out and the line joins the points it has', async () => {
  const series: LineSeries[] = [{ label: 'kl', points: [[1, 0.1], [2, null], [3, Number.NaN], [4, Number.POSITIVE_INFINITY], [5, 0.3], [6, 0.2]] }];
  assert.equal(drawablePoints(series), 3);
  const svg = await renderSvg(lineChart(series, { title: 'KL', xTitle: 'iteration', yTitle: 'KL (nats / token)' }));
  const [d] = linePaths(svg);
  assert.equal(d?.match(/[ML]/g)?.length, 3);
  assert.doesNotMatch(svg, /NaN/);
  // One series: no legend.
  assert.doesNotMatch(svg, /aria-roledescription="legend"/);
});

test('a series of zeros gets a [0, 1] axis, not an empty range', async () => {
  const t = texts(await renderSvg(lineChart([{ label: 'reward', points: [[1, 0], [2, 0], [3, 0]] }], { title: 'Reward', xTitle: 'iteration', yTitle: 'reward' })));
  assert.ok(t.includes('1.0') && t.includes('0.4') && !t.some((x) => /0\.0000/.test(x)), t.join(' | '));
});

test('a chart with nothing to draw is refused with the series named', () => {
  assert.throws(
    () => lineChart([{ label: 'staleness', points: [[1, null]] }], { title: 'Staleness', xTitle: 'iteration', yTitle: 'versions' }),
    (e: unknown) => e instanceof ValidationError && /"Staleness".*"staleness"/.test(e.message),
  );
  assert.throws(() => lineChart([], { title: 'Empty', xTitle: 'x', yTitle: 'y' }), ValidationError);
});

test('a band is drawn as an area under the line', async () => {
  const svg = await renderSvg(
    lineChart([{ label: 'reward', points: [[1, 0.2], [2, 0.4]], band: [[1, 0.1, 0.3], [2, null, 0.5], [2, 0.3, 0.5]] }], { title: 'Reward', xTitle: 'iteration', yTitle: 'reward' }),
  );
  assert.match(svg, /aria-roledescription="area mark"/);
  assert.equal(linePaths(svg).length, 1);
});

test('compareChart overlays K-step curves of several runs on a step axis, in the given legend order', async () => {
  const runs: LineSeries[] = [
    { label: 'exit', points: [[0, 0.4], [1, 0.45], [2, 0.5], [3, 0.52]] },
    { label: 'grpo', points: [[0, 0.42], [1, 0.42], [2, 0.41], [3, 0.4]] },
    { label: 'diverge', points: [[0, 0.38], [1, 0.44], [2, 0.47]] },
  ];
  const spec = compareChart(runs, { subtitle: 'math · MATH500' });
  const svg = await renderSvg(spec);
  assert.equal(linePaths(svg).length, 3);
  const t = texts(svg);
  assert.ok(t.includes('self-improvement step k'));
  assert.ok(t.includes('Accuracy vs self-improvement step'));
  const legend = t.filter((x) => runs.some((r) => r.label === x));
  assert.deepEqual(legend, ['exit', 'grpo', 'diverge']);
  // Accuracies above 50 % get the full 0–100 % axis; low ones are zoomed to the next tenth.
  assert.ok(t.includes('100%'));
  const low = texts(await renderSvg(compareChart([{ label: 'a', points: [[0, 0.05], [1, 0.12]] }])));
  assert.ok(!low.includes('100%') && low.includes('20%'), low.join(' | '));
});

test('specs that ask for remote data are refused, never fetched', async () => {
  const spec = { ...lineChart([{ label: 'a', points: [[0, 1], [1, 2]] }], { title: 't', xTitle: 'x', yTitle: 'y' }) } as Record<string, unknown>;
  const remote = { ...spec, layer: undefined, data: { url: 'http://127.0.0.1:9/data.json' }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } };
  delete remote.layer;
  await assert.rejects(renderSvg(remote as never), /inline data only/);
});
