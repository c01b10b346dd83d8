/**
 * `exitgym report`: turns a training run directory into one self-contained HTML page
 * (`RUN_DIR/report.html`): the run's facts, then the curves of `PANELS` as inline SVG rendered by
 * Vega. The page has no scripts and loads nothing, so it opens offline and can be mailed around.
 * Works on a run still in progress (it shows what has been logged so far).
 */
import { basename, join, resolve } from 'node:path';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { writeFileAtomic } from '../core/atomic-write.js';
import { renderSvg } from '../eval/charts.js';
import { metricKeys, readRun, type MetricsRow, type RunData } from './report-data.js';
import { PANELS, SECTIONS, type Panel, type Section } from './report-panels.js';
import { RUN_FILES } from './run-files.js';

/** What `buildReport` produced, besides the page. */
export interface ReportSummary {
  html: string;
  /** Ids of the panels drawn, in page order. */
  charts: string[];
  /** Panels not drawn, with why. */
  skipped: { id: string; section: Section; title: string; reason: string }[];
}

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Escapes, then shows `backticked` key names as code. */
const prose = (t: string): string => esc(t).replace(/`([^`]+)`/g, '<code>$1</code>');
const utc = (d: Date): string => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

interface Drawn {
  panel: Panel;
  svg: string;
  notes: string[];
}

/**
 * Builds the report page of a run read by `readRun`. `now` is when the page says it was made
 * (injectable so tests get identical pages).
 */
export async function buildReport(run: RunData, opts: { now?: Date } = {}): Promise<ReportSummary> {
  const iterations = run.rows.map((r) => r.iteration);
  // One x range for every iteration chart, so charts stacked on the page line up.
  const first = Math.min(...iterations);
  const xDomain = [first, Math.max(first + 1, ...iterations)] as const;
  const drawn: Drawn[] = [];
  const skipped: ReportSummary['skipped'] = [];
  for (const panel of PANELS) {
    const result = panel.build(run.rows, xDomain);
    if ('skip' in result) skipped.push({ id: panel.id, section: panel.section, title: panel.title, reason: result.skip });
    else drawn.push({ panel, svg: await renderSvg(result.spec), notes: result.notes });
  }
  const sections = SECTIONS.map((s) => sectionHtml(s, drawn.filter((d) => d.panel.section === s), skipped.filter((k) => k.section === s))).join('\n');
  const html = page(run, sections, drawn.length, opts.now ?? new Date());
  return { html, charts: drawn.map((d) => d.panel.id), skipped };
}

function sectionHtml(section: Section, drawn: Drawn[], skipped: ReportSummary['skipped']): string {
  if (drawn.length === 0 && skipped.length === 0) return '';
  const figures = drawn
    .map(
      (d) =>
        `<figure class="chart" id="panel-${d.panel.id}" data-panel="${d.panel.id}">\n${d.svg}\n${d.notes.length ? `<figcaption>${d.notes.map(prose).join(' ')}</figcaption>` : ''}</figure>`,
    )
    .join('\n');
  const notes = drawn.length === 0
    ? `<p class="skipped" data-panel-skipped="${skipped.map((k) => k.id).join(' ')}">No ${esc(section.toLowerCase())} charts: ${skipped.map((k) => `${esc(k.title)} — ${prose(k.reason)}`).join(' · ')}</p>`
    : skipped.map((k) => `<p class="skipped" data-panel-skipped="${k.id}"><b>${esc(k.title)}</b> not drawn: ${prose(k.reason)}</p>`).join('\n');
  return `<section id="section-${section.toLowerCase()}">\n<h2>${esc(section)}</h2>\n${figures ? `<div class="grid">\n${figures}\n</div>\n` : ''}${notes}\n</section>`;
}

/** The last finite value of a key and the iteration it was logged at. */
function latest(rows: readonly MetricsRow[], key: string): { value: number; iteration: number } | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i]!.values[key];
    if (typeof v === 'number') return { value: v, iteration: rows[i]!.iteration };
  }
  return undefined;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

function factsHtml(run: RunData, now: Date): string {
  const c = run.config ?? {};
  const rows = run.rows;
  const last = rows[rows.length - 1] as MetricsRow;
  const planned = typeof c.iterations === 'number' ? c.iterations : undefined;
  const finished = planned !== undefined && (rows.length >= planned || last.iteration >= planned);
  const status = planned === undefined
    ? `${rows.length} iterations logged (planned count unknown)`
    : finished
      ? `finished: ${rows.length} of ${planned} iterations logged`
      : `in progress or stopped: ${rows.length} of ${planned} iterations logged`;
  const times = rows.map((r) => r.time).filter((t): t is number => t !== undefined);
  const facts: [string, string][] = [['status', status], ['last iteration', String(last.iteration)]];
  for (const key of ['env', 'strategy', 'model', 'seed', 'promptsPerIteration', 'groupSize'] as const) {
    const v = c[key];
    if (v !== undefined && (typeof v !== 'object' || v === null)) facts.push([key, String(v)]);
  }
  if (times.length >= 2) facts.push(['wall time logged', `${((Math.max(...times) - Math.min(...times)) / 60).toFixed(1)} min`]);
  facts.push(['metrics.jsonl last written', utc(run.modified)], ['report made', utc(now)]);
  const notes: string[] = [];
  if (run.configNote) notes.push(`Config: ${run.configNote}.`);
  if (run.tornTail) notes.push('The last line of metrics.jsonl is incomplete (the run is writing it, or was killed mid-write); it is left out.');
  if (run.replaced) notes.push(`${run.replaced} line${run.replaced === 1 ? '' : 's'} repeated an earlier iteration (a resumed run rewrites the iterations after its checkpoint); the later line is shown.`);
  if (run.skipped.length) notes.push(`${run.skipped.length} unusable line${run.skipped.length === 1 ? '' : 's'} left out: ${run.skipped.slice(0, 5).map((s) => `line ${s.line} (${s.reason})`).join('; ')}${run.skipped.length > 5 ? '; …' : ''}.`);
  const headline: [string, string][] = [
    ['rollout/reward_mean', 'reward'],
    ['curriculum/buffer_size', 'buffer size'],
    ['losses/kl', 'KL'],
    ['perf/tokens_per_second', 'tokens / s'],
  ];
  const ks = metricKeys(rows)
    .map((k) => /^eval\/accuracy@(\d+)$/.exec(k))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  if (ks.length) {
    headline.splice(1, 0, [`eval/accuracy@${ks[0]}`, `accuracy@${ks[0]}`]);
    if (ks.length > 1) headline.splice(2, 0, [`eval/accuracy@${ks[ks.length - 1]}`, `accuracy@${ks[ks.length - 1]}`]);
  }
  const latestCells = headline
    .map(([key, label]) => ({ label, at: latest(rows, key), key }))
    .filter((x) => x.at !== undefined)
    .map((x) => `<div class="stat"><div class="v">${key2pct(x.key) ? `${(100 * x.at!.value).toFixed(1)}%` : fmt(x.at!.value)}</div><div class="l">${esc(x.label)} <span title="iteration">@${x.at!.iteration}</span></div></div>`)
    .join('');
  return [
    `<table class="facts">${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`,
    latestCells ? `<div class="stats">${latestCells}</div>` : '',
    notes.map((n) => `<p class="note">${prose(n)}</p>`).join('\n'),
    run.config ? `<details><summary>config.json</summary><pre>${esc(JSON.stringify(run.config, null, 2))}</pre></details>` : '',
  ].join('\n');
}

const key2pct = (key: string): boolean => key.startsWith('eval/accuracy@');

function page(run: RunData, sections: string, charts: number, now: Date): string {
  const name = basename(resolve(run.runDir));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="exitgym report (Vega-Lite ${esc(vegaLite.version)}, Vega ${esc(vega.version)})">
<meta name="exitgym-charts" content="${charts}">
<title>${esc(name)} · exitgym training report</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 24px; color: #222; background: #fafafa; }
  h1 { font-size: 22px; margin: 0 0 12px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
  figure.chart { margin: 0; background: white; border: 1px solid #e3e3e3; border-radius: 6px; padding: 8px; }
  figure.chart svg { display: block; max-width: 100%; height: auto; }
  figcaption, .note, .skipped { font-size: 13px; color: #555; }
  .skipped { margin: 6px 0; } code { font-size: 12px; background: #f0f0f0; padding: 0 3px; border-radius: 3px; }
  table.facts { border-collapse: collapse; font-size: 14px; } table.facts th { text-align: left; font-weight: 500; color: #555; padding: 2px 16px 2px 0; }
  .stats { display: flex; gap: 12px; flex-wrap: wrap; margin: 14px 0; }
  .stat { background: white; border: 1px solid #e3e3e3; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
  .stat .v { font-size: 20px; font-weight: 600; } .stat .l { font-size: 12px; color: #555; }
  pre { background: white; border: 1px solid #e3e3e3; padding: 8px; overflow: auto; font-size: 12px; }
</style>
</head>
<body>
<h1>Training report: ${esc(name)}</h1>
${factsHtml(run, now)}
${sections}
</body>
</html>
`;
}

/**
 * Reads `runDir`, builds the report and writes it atomically to `output` (default
 * `RUN_DIR/report.html`). Returns where it was written and what it holds.
 */
export async function writeReport(runDir: string, output?: string): Promise<ReportSummary & { path: string }> {
  const run = await readRun(runDir);
  const report = await buildReport(run);
  const path = output ?? join(runDir, RUN_FILES.report);
  await writeFileAtomic(path, report.html);
  return { ...report, path };
}
