/**
 * Charts for the reports (training report, eval plot, run comparison): Vega-Lite specs, compiled
 * and rendered to static SVG by `vega` in Node. The SVG has no scripts and loads nothing, so the
 * pages that embed it open offline. Building a spec is pure; only `renderSvg` runs Vega.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ValidationError } from '../core/errors.js';

/** One point of a line: x and a value that may be missing (null, NaN, ±Infinity are skipped). */
export type Point = readonly [x: number, y: number | null];

/** One line of a chart: a legend label and its points (any order; sorted by x when drawn). */
export interface LineSeries {
  label: string;
  points: readonly Point[];
  /** An optional shaded band around the line, e.g. mean ± std: [x, low, high]. */
  band?: readonly (readonly [x: number, low: number | null, high: number | null])[];
}

/** What a line chart shows; axis titles should carry units ("reward (0–1)", "tokens / s"). */
export interface LineChartOptions {
  title: string;
  /** A smaller second title line (what the metric is, which key it comes from). */
  subtitle?: string;
  xTitle: string;
  yTitle: string;
  /** Format the y axis as a percentage of 1 (accuracy, clip fraction). */
  percent?: boolean;
  /** Fixed y range, e.g. [0, 1] for accuracies; default: fitted to the data (with zero). */
  yDomain?: readonly [number, number];
  /** Fixed x range, e.g. the run's first and last iteration so stacked charts line up. */
  xDomain?: readonly [number, number];
  /** Plot area size in CSS pixels (the legend and axes come on top). Default 420 × 220. */
  width?: number;
  height?: number;
}

/** Series with more points than this are drawn without point markers (they would clutter). */
const MAX_MARKED_POINTS = 60;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Shared look: readable titles, light grid, legend under the plot so charts align in a grid. */
const CONFIG = {
  font: FONT,
  background: 'white',
  title: { fontSize: 15, fontWeight: 600, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555', offset: 10 },
  axis: { titleFontSize: 12, titleFontWeight: 500, labelFontSize: 11, gridColor: '#eee', domainColor: '#888', tickColor: '#888' },
  legend: { orient: 'bottom', direction: 'horizontal', titleFontSize: 11, labelFontSize: 11, symbolStrokeWidth: 2, labelLimit: 360, columns: 4 },
  view: { stroke: '#ddd' },
  line: { strokeWidth: 2 },
} as const;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Long-format rows for Vega-Lite: one row per drawable point. */
function rows(series: readonly LineSeries[]): { x: number; y: number; series: string }[] {
  return series.flatMap((s) => s.points.filter((p) => finite(p[0]) && finite(p[1])).map(([x, y]) => ({ x, y: y as number, series: s.label })));
}

/** Number of drawable points over all series. */
export function drawablePoints(series: readonly LineSeries[]): number {
  return rows(series).length;
}

/**
 * A Vega-Lite spec of one or more lines against a shared x axis (missing values are left out, so a
 * line joins the points it has). Throws `ValidationError` when no series has a finite point:
 * callers decide what to show instead of an empty frame.
 */
export function lineChart(series: readonly LineSeries[], opts: LineChartOptions): TopLevelSpec {
  const values = rows(series);
  if (values.length === 0) {
    throw new ValidationError(`chart "${opts.title}": no finite values in ${series.map((s) => `"${s.label}"`).join(', ') || 'its (empty) series list'}; check the data before charting it.`);
  }
  const labels = [...new Set(series.map((s) => s.label))];
  const counts = labels.map((l) => values.filter((v) => v.series === l).length).filter((n) => n > 0);
  const marked = Math.max(...counts) <= MAX_MARKED_POINTS || Math.min(...counts) < 2;
  const xs = values.map((v) => v.x);
  const integerX = xs.every(Number.isInteger);
  const x = {
    field: 'x',
    type: 'quantitative',
    title: opts.xTitle,
    scale: { domain: opts.xDomain ? [...opts.xDomain] : [Math.min(...xs), Math.max(...xs)], nice: false, zero: false },
    axis: integerX ? { format: 'd', tickMinStep: 1 } : {},
  } as const;
  const bands = series.flatMap((s) =>
    (s.band ?? []).filter(([bx, lo, hi]) => finite(bx) && finite(lo) && finite(hi)).map(([bx, lo, hi]) => ({ x: bx, lo: lo as number, hi: hi as number, series: s.label })),
  );
  const y = {
    field: 'y',
    type: 'quantitative',
    title: opts.yTitle,
    // All zeros (no reward yet, no KL yet) would give an empty [0, 0] range and a lone "0.000000"
    // tick; show them on [0, 1] instead.
    scale: opts.yDomain ? { domain: [...opts.yDomain] } : values.every((v) => v.y === 0) && bands.length === 0 ? { domain: [0, 1] } : { zero: true, nice: true },
    // Vega's own tick format fits the tick step (0.05, 1,200); SI ('~s') would print 80m.
    axis: opts.percent ? { format: '.0%' } : {},
  } as const;
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: labels }, legend: labels.length > 1 ? {} : null } as const;
  const layers: unknown[] = [];
  if (bands.length) {
    layers.push({
      data: { values: bands },
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
    });
  }
  layers.push({
    data: { values },
    mark: { type: 'line', point: marked ? { filled: true, size: 28 } : false },
    encoding: { x, y, color, order: { field: 'x', type: 'quantitative' } },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // A title wider than the plot would widen the whole SVG (and shrink it on the page), so it is
    // cut at the plot's width. Without a canvas, Vega estimates text at 0.8 em per character, so
    // keep titles under ~40 characters and subtitles under ~55 to see them whole.
    title: { text: opts.title, ...(opts.subtitle ? { subtitle: opts.subtitle } : {}), limit: (opts.width ?? 420) + 60 },
    width: opts.width ?? 420,
    height: opts.height ?? 220,
    config: CONFIG,
    layer: layers,
  } as TopLevelSpec;
}

/** Options of a K-step chart: accuracy (or another [0, 1] measure) after each improvement step. */
export interface KStepChartOptions {
  title?: string;
  subtitle?: string;
  yTitle?: string;
  /** Values are fractions in [0, 1] shown as percentages (default true). */
  percent?: boolean;
}

/**
 * Overlays the K-step self-improvement curves of several runs (or several validation points of
 * one run): x = improvement step k, one line per series. `exitgym eval`'s plot is this chart
 * with one series; `exitgym compare` overlays runs with it.
 */
export function compareChart(series: readonly LineSeries[], opts: KStepChartOptions = {}): TopLevelSpec {
  const percent = opts.percent ?? true;
  const values = rows(series).map((r) => r.y);
  const top = Math.max(0, ...values);
  // A fixed [0, 1] range for accuracies makes charts of different runs comparable by eye; low
  // accuracies would sit flat on the axis, so zoom in to the next tenth above the data below 50 %.
  const yDomain: [number, number] | undefined = percent ? [0, top > 0.5 ? 1 : Math.max(0.1, Math.ceil((top + 0.05) * 10) / 10)] : undefined;
  return lineChart(series, {
    title: opts.title ?? 'Accuracy vs self-improvement step',
    ...(opts.subtitle ? { subtitle: opts.subtitle } : {}),
    xTitle: 'self-improvement step k',
    yTitle: opts.yTitle ?? 'accuracy (% of tasks)',
    percent,
    ...(yDomain ? { yDomain } : {}),
  });
}

/**
 * A chart-sized frame with a title and one line of text in place of the plot: what a standalone
 * chart file shows when there is nothing to draw (an eval whose every record failed).
 */
export function messageChart(title: string, message: string, opts: { subtitle?: string; width?: number; height?: number } = {}): TopLevelSpec {
  const width = opts.width ?? 420;
  const height = opts.height ?? 220;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, ...(opts.subtitle ? { subtitle: opts.subtitle } : {}), limit: width + 60 },
    width,
    height,
    config: CONFIG,
    data: { values: [{ message }] },
    mark: { type: 'text', fontSize: 13, color: '#555', limit: width },
    encoding: { text: { field: 'message', type: 'nominal' }, x: { value: width / 2 }, y: { value: height / 2 } },
  } as TopLevelSpec;
}

/**
 * Compiles a Vega-Lite spec and renders it to a standalone SVG document (white background,
 * fixed size). Specs must carry their data inline: nothing is fetched.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const remote = compiled.data?.find((d) => 'url' in d);
  if (remote) throw new ValidationError(`chart spec asks to load "${String((remote as { url: unknown }).url)}"; charts take inline data only.`);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: offlineLoader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * A Vega loader that refuses every request (Vega logs a failed load and draws without it, so the
 * url check above is what reports the mistake; this makes sure nothing is ever fetched).
 */
const offlineLoader = vega.loader();
offlineLoader.load = (uri: string) => Promise.reject(new ValidationError(`chart spec asked to load "${uri}"; charts take inline data only.`));
