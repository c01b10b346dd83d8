import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURE_CHARTS, writeTrainingRun } from '../test/fixtures/training-run.js';
import { readRun } from './report-data.js';
import { braceKeys, PANELS, pickEvenly } from './report-panels.js';
import { buildReport, writeReport } from './report.js';

const now = new Date('2026-01-02T03:04:05Z');

/** The figures of a report page: panel id, its SVG and its caption. */
function figures(html: string): { id: string; svg: string; caption: string }[] {
  return [...html.matchAll(/<figure class="chart" id="panel-([a-z-]+)" data-panel="\1">\n(<svg[\s\S]*?<\/svg>)\n(?:<figcaption>([\s\S]*?)<\/figcaption>)?<\/figure>/g)].map((m) => ({
    id: m[1] as string,
    svg: m[2] as string,
    caption: m[3] ?? '',
  }));
}

test('the report of a 40-iteration run draws every panel it has data for, and notes the one it lacks', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-'));
  await writeTrainingRun(dir);
  const report = await buildReport(await readRun(dir), { now });
  assert.equal(report.charts.length, FIXTURE_CHARTS);
  assert.deepEqual(report.skipped.map((s) => s.id), ['staleness']);
  assert.match(report.skipped[0]!.reason, /`rollout\/staleness_mean` not in metrics\.jsonl \(recorded only when rollouts come from a model server\)/);
  const figs = figures(report.html);
  assert.deepEqual(figs.map((f) => f.id), report.charts);
  assert.match(report.html, new RegExp(`<meta name="exitgym-charts" content="${FIXTURE_CHARTS}">`));
  for (const f of figs) assert.match(f.svg, /aria-roledescription="line mark"[^>]*\sd="M/, `${f.id} has no line`);
  const byId = new Map(figs.map((f) => [f.id, f]));
  // Four lines (k = 0..3) in the eval chart, five quantiles, two curriculum depth lines.
  const lines = (id: string): number => byId.get(id)!.svg.match(/aria-roledescription="line mark"/g)?.length ?? 0;
  assert.equal(lines('eval-accuracy'), 4);
  assert.equal(lines('eval-k-curves'), 4);
  assert.equal(lines('buffer-scores'), 5);
  assert.equal(lines('depth-turn'), 2);
  assert.match(byId.get('kl')!.caption, /1 null\/NaN value left out/);
  assert.match(byId.get('entropy')!.caption, /1 null\/NaN value left out/);
  assert.match(byId.get('reward')!.svg, /aria-roledescription="area mark"/);
  assert.match(report.html, /data-panel-skipped="staleness"><b>Policy staleness of samples<\/b> not drawn/);
  assert.match(report.html, /<th>status<\/th><td>finished: 40 of 40 iterations logged<\/td>/);
  assert.match(report.html, /<div class="v">0\.\d+<\/div><div class="l">reward <span title="iteration">@40<\/span>/);
  // Titles, subtitles and legend labels fit: Vega marks a cut text with an ellipsis.
  const cut = [...report.html.matchAll(/<text[^>]*>([^<]*…)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(cut, []);
  // Self-contained: nothing to fetch, nothing to run.
  assert.doesNotMatch(report.html, /<script|<link|<img|<iframe|\ssrc=|href="(?!#)|url\(|@import/i);
  // The same run and clock give the same page.
  assert.equal((await buildReport(await readRun(dir), { now })).html, report.html);
});

test('a run in progress: planned iterations, the torn last line and repeated iterations are stated', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-'));
  const lines = await writeTrainingRun(dir, { iterations: 23, planned: 40, tornTail: false });
  // A resume rewrote iteration 23, then the writer was cut off mid-line.
  await writeFile(join(dir, 'metrics.jsonl'), `${(await readFile(join(dir, 'metrics.jsonl'), 'utf8'))}${JSON.stringify(lines[22])}\n{"iteration": 24, "rollout/re`);
  const { html, charts } = await buildReport(await readRun(dir), { now });
  assert.match(html, /in progress or stopped: 23 of 40 iterations logged/);
  assert.match(html, /last line of metrics\.jsonl is incomplete/);
  assert.match(html, /1 line repeated an earlier iteration/);
  assert.equal(charts.length, FIXTURE_CHARTS);
});

test('a grpo run without curriculum or validation metrics gets one note per missing section, no empty charts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-'));
  const all = await writeTrainingRun(dir, { iterations: 5 });
  const omit = Object.keys(Object.assign({}, ...all)).filter((k) => k.startsWith('curriculum/') || k.startsWith('eval/'));
  await writeTrainingRun(dir, { iterations: 5, omit });
  const report = await buildReport(await readRun(dir), { now });
  const skipped = new Set(report.skipped.map((s) => s.id));
  for (const p of PANELS.filter((p) => p.section === 'Curriculum' || p.section === 'Evaluation')) assert.ok(skipped.has(p.id), p.id);
  assert.ok(!report.charts.some((id) => skipped.has(id)));
  assert.equal(figures(report.html).length, report.charts.length);
  assert.match(report.html, /<p class="skipped" data-panel-skipped="learnability buffer-size [^"]*">No curriculum charts: Learnability of sampled groups — <code>curriculum\/learnability_mean<\/code> not in metrics\.jsonl/);
  assert.match(report.html, /K-step curve at each validation — no validation has logged <code>eval\/accuracy@&lt;k&gt;<\/code> yet/);
});

test('partly missing series are drawn with a note naming the missing keys', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-'));
  await writeTrainingRun(dir, { iterations: 12, omit: ['curriculum/score_p25'] });
  const report = await buildReport(await readRun(dir), { now });
  const f = figures(report.html).find((x) => x.id === 'buffer-scores')!;
  assert.equal(f.svg.match(/aria-roledescription="line mark"/g)?.length, 4);
  assert.match(f.caption, /Not drawn: <code>curriculum\/score_p25<\/code> not in metrics\.jsonl\./);
});

test('a single logged iteration still renders, and run-supplied text is escaped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-'));
  await writeFile(join(dir, 'metrics.jsonl'), '{"iteration": 0, "rollout/reward_mean": 0.25, "losses/kl": 0}\n');
  await writeFile(join(dir, 'config.json'), JSON.stringify({ env: '<script>alert(1)</script>', iterations: 'many' }));
  const report = await buildReport(await readRun(dir), { now });
  assert.deepEqual(report.charts, ['reward', 'kl']);
  assert.doesNotMatch(report.html, /<script>/);
  assert.match(report.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(report.html, /1 iterations logged \(planned count unknown\)/);
});

test('writeReport writes RUN_DIR/report.html atomically (no temp file left), or --output', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-'));
  await writeTrainingRun(dir, { iterations: 10 });
  const r = await writeReport(dir);
  assert.equal(r.path, join(dir, 'report.html'));
  assert.equal(await readFile(r.path, 'utf8'), r.html);
  assert.deepEqual((await readdir(dir)).sort(), ['config.json', 'metrics.jsonl', 'report.html']);
  const other = join(dir, 'out', 'page.html');
  assert.equal((await writeReport(dir, other)).path, other);
  assert.match(await readFile(other, 'utf8'), /^<!doctype html>/);
});

test('braceKeys names several keys in one short subtitle', () => {
  assert.equal(braceKeys(['curriculum/sampled_depth_mean', 'curriculum/start_turn_mean']), 'curriculum/{sampled_depth,start_turn}_mean');
  assert.equal(braceKeys(['perf/tokens_per_second', 'perf/trained_tokens_per_second']), 'perf/{tokens,trained_tokens}_per_second');
  assert.equal(braceKeys(['curriculum/score_max', 'curriculum/score_p75', 'curriculum/score_min']), 'curriculum/score_{max,p75,min}');
  assert.equal(braceKeys(['a/x_mean', 'a/mean']), 'a/{x_mean,mean}');
  assert.equal(braceKeys(['losses/kl']), 'losses/kl');
});

test('pickEvenly keeps the first and the last', () => {
  assert.deepEqual(pickEvenly([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4), [1, 4, 7, 10]);
  assert.deepEqual(pickEvenly([1, 2, 3], 6), [1, 2, 3]);
  assert.deepEqual(pickEvenly([1, 2, 3], 1), [3]);
});
