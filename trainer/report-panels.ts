/**
 * The panels of the training report: which metrics.jsonl keys each chart draws, with titles and
 * axis units. A panel whose keys are absent (or all null) becomes a one-line note, never an empty
 * chart. Pure: turns rows into Vega-Lite specs; `report.ts` renders and lays them out.
 */
import type { TopLevelSpec } from 'vega-lite';
import { compareChart, drawablePoints, lineChart, type LineSeries } from '../eval/charts.js';
import type { MetricsRow } from './report-data.js';

export const SECTIONS = ['Rollouts', 'Evaluation', 'Curriculum', 'Optimisation', 'Throughput'] as const;
export type Section = (typeof SECTIONS)[number];

/** What a panel became: a chart (with notes about partly missing data) or a reason to skip it. */
export type PanelResult = { spec: TopLevelSpec; notes: string[] } | { skip: string };

export interface Panel {
  id: string;
  section: Section;
  title: string;
  build(rows: readonly MetricsRow[], xDomain: readonly [number, number]): PanelResult;
}

interface SeriesKey {
  key: string;
  label: string;
}

interface IterationPanelDef {
  id: string;
  section: Section;
  title: string;
  yTitle: string;
  percent?: boolean;
  /** The keys drawn, or a function choosing them from the keys the run has (eval/accuracy@k). */
  series: SeriesKey[] | ((keys: readonly string[]) => SeriesKey[]);
  /** Shade mean ± std around the series whose key is `mean`. */
  band?: { mean: string; std: string };
  /** Why this metric may legitimately be missing, added to the skip note. */
  absentBecause?: string;
  /** The chart's subtitle from the keys drawn; default: the keys themselves. */
  subtitle?: (keys: readonly string[]) => string;
}

const code = (key: string): string => `\`${key}\``;

function keysOf(rows: readonly MetricsRow[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.values)) keys.add(k);
  return [...keys];
}

/** A chart of metrics against the iteration number, one line per key. */
function iterationPanel(def: IterationPanelDef): Panel {
  return {
    id: def.id,
    section: def.section,
    title: def.title,
    build(rows, xDomain) {
      const keys = keysOf(rows);
      const wanted = typeof def.series === 'function' ? def.series(keys) : def.series;
      const series: LineSeries[] = [];
      const absent: string[] = [];
      const allNull: string[] = [];
      let nulls = 0;
      for (const s of wanted) {
        const present = rows.filter((r) => s.key in r.values);
        if (present.length === 0) {
          absent.push(s.key);
          continue;
        }
        const points = present.map((r) => [r.iteration, r.values[s.key] ?? null] as const);
        const missing = points.filter(([, y]) => y === null).length;
        if (missing === points.length) {
          allNull.push(s.key);
          continue;
        }
        nulls += missing;
        const line: LineSeries = { label: s.label, points };
        if (def.band?.mean === s.key) {
          const std = def.band.std;
          line.band = present
            .filter((r) => typeof r.values[std] === 'number' && typeof r.values[s.key] === 'number')
            .map((r) => [r.iteration, (r.values[s.key] as number) - (r.values[std] as number), (r.values[s.key] as number) + (r.values[std] as number)] as const);
        }
        series.push(line);
      }
      const why = [
        absent.length ? `${absent.map(code).join(', ')} not in metrics.jsonl` : '',
        allNull.length ? `${allNull.map(code).join(', ')} only null/NaN` : '',
      ].filter(Boolean);
      if (series.length === 0 || drawablePoints(series) === 0) {
        const reason = wanted.length ? why.join('; ') : 'no matching keys in metrics.jsonl';
        return { skip: `${reason}${def.absentBecause ? ` (${def.absentBecause})` : ''}.` };
      }
      const notes = why.map((w) => `Not drawn: ${w}.`);
      if (nulls > 0) notes.push(`${nulls} null/NaN value${nulls === 1 ? '' : 's'} left out.`);
      const drawnKeys = wanted.filter((s) => series.some((l) => l.label === s.label)).map((s) => s.key);
      const subtitle = def.subtitle
        ? def.subtitle(drawnKeys)
        : def.band && drawnKeys.includes(def.band.mean) && keys.includes(def.band.std)
          ? `${def.band.mean} ± ${def.band.std} (band)`
          : braceKeys(drawnKeys);
      const spec = lineChart(series, { title: def.title, subtitle, xTitle: 'iteration', yTitle: def.yTitle, ...(def.percent ? { percent: true } : {}), xDomain });
      return { spec, notes };
    },
  };
}

/** Names several keys compactly: `curriculum/{sampled_depth,start_turn}_mean`. */
export function braceKeys(keys: readonly string[]): string {
  if (keys.length < 2) return keys.join('');
  const common = (a: string, b: string): number => {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return i;
  };
  const reversed = (t: string): string => [...t].reverse().join('');
  let prefix = keys.reduce((p, k) => p.slice(0, common(p, k)));
  prefix = prefix.slice(0, Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf('_')) + 1);
  const rests = keys.map((k) => k.slice(prefix.length));
  let suffix = reversed(rests.map(reversed).reduce((p, k) => p.slice(0, common(p, k))));
  // Cut the suffix at a word boundary ("_mean"), and keep every middle part non-empty.
  suffix = suffix.slice(Math.max(0, suffix.indexOf('_')));
  if (!suffix.startsWith('_') || rests.some((r) => r.length <= suffix.length)) suffix = '';
  return `${prefix}{${rests.map((r) => r.slice(0, r.length - suffix.length)).join(',')}}${suffix}`;
}

const K_KEY = /^eval\/(accuracy|mean_quality)@(\d+)$/;

/** Subtitle of a per-k chart: `eval/accuracy@k, k = 0–3, at validations`. */
const kSubtitle = (metric: string) => (keys: readonly string[]): string => {
  const ks = keys.map((k) => Number(K_KEY.exec(k)?.[2]));
  return `eval/${metric}@k, k = ${ks.length > 1 ? `${ks[0]}–${ks[ks.length - 1]}` : ks[0]}, at validations`;
};

/** The `eval/<metric>@k` keys a run has, sorted by k. */
function kSteps(keys: readonly string[], metric: 'accuracy' | 'mean_quality'): SeriesKey[] {
  return keys
    .map((key) => K_KEY.exec(key))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === metric)
    .map((m) => ({ key: m[0], label: `k = ${m[2]}`, k: Number(m[2]) }))
    .sort((a, b) => a.k - b.k)
    .map(({ key, label }) => ({ key, label }));
}

/** At most this many validation iterations are overlaid in the K-step curve chart. */
const MAX_CURVES = 6;

/** The K-step curves (accuracy vs k) at a few validation iterations, first and last included. */
const kStepCurves: Panel = {
  id: 'eval-k-curves',
  section: 'Evaluation',
  title: 'K-step curve at each validation',
  build(rows) {
    const validations = rows
      .map((r) => ({ iteration: r.iteration, points: kSteps(Object.keys(r.values), 'accuracy').map(({ key }) => [Number(K_KEY.exec(key)![2]), r.values[key] ?? null] as const) }))
      .filter((v) => v.points.some(([, y]) => y !== null));
    if (validations.length === 0) return { skip: `no validation has logged ${code('eval/accuracy@<k>')} yet (validation runs every \`validation.every\` iterations).` };
    const picked = validations.length <= MAX_CURVES ? validations : pickEvenly(validations, MAX_CURVES);
    const notes = picked.length < validations.length ? [`${picked.length} of ${validations.length} validations shown, evenly spaced.`] : [];
    const spec = compareChart(
      picked.map((v) => ({ label: `iteration ${v.iteration}`, points: v.points })),
      { title: 'K-step curve at each validation', subtitle: 'eval/accuracy@k, one line per validation iteration' },
    );
    return { spec, notes };
  },
};

/** `n` items spread evenly over `items`, keeping the first and the last. */
export function pickEvenly<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  if (n <= 1) return items.slice(-1);
  const idx = new Set(Array.from({ length: n }, (_, i) => Math.round((i * (items.length - 1)) / (n - 1))));
  return [...idx].map((i) => items[i] as T);
}

/** Every panel of the training report, in page order. */
export const PANELS: readonly Panel[] = [
  iterationPanel({ id: 'reward', section: 'Rollouts', title: 'Training reward', yTitle: 'mean reward (0–1)', series: [{ key: 'rollout/reward_mean', label: 'mean reward' }], band: { mean: 'rollout/reward_mean', std: 'rollout/reward_std' } }),
  iterationPanel({ id: 'null-rewards', section: 'Rollouts', title: 'Null rewards (infrastructure failures)', yTitle: 'samples per iteration', series: [{ key: 'rollout/null_rewards', label: 'null rewards' }] }),
  iterationPanel({ id: 'response-tokens', section: 'Rollouts', title: 'Response length', yTitle: 'tokens per response (mean)', series: [{ key: 'rollout/response_tokens_mean', label: 'response tokens' }] }),
  iterationPanel({
    id: 'staleness',
    section: 'Rollouts',
    title: 'Policy staleness of samples',
    yTitle: 'weight versions behind (mean)',
    series: [{ key: 'rollout/staleness_mean', label: 'staleness' }],
    absentBecause: 'recorded only when rollouts come from a model server',
  }),
  iterationPanel({
    id: 'eval-accuracy',
    section: 'Evaluation',
    title: 'Validation accuracy at each step k',
    yTitle: 'accuracy (% of tasks)',
    percent: true,
    series: (keys) => kSteps(keys, 'accuracy'),
    subtitle: kSubtitle('accuracy'),
    absentBecause: 'validation runs every `validation.every` iterations',
  }),
  kStepCurves,
  iterationPanel({ id: 'eval-quality', section: 'Evaluation', title: 'Validation mean quality per step', yTitle: 'mean quality (0–1)', series: (keys) => kSteps(keys, 'mean_quality'), subtitle: kSubtitle('mean_quality') }),
  iterationPanel({ id: 'learnability', section: 'Curriculum', title: 'Learnability of sampled groups', yTitle: 'reward variance (0–0.25)', series: [{ key: 'curriculum/learnability_mean', label: 'learnability' }] }),
  iterationPanel({ id: 'buffer-size', section: 'Curriculum', title: 'Buffer size', yTitle: 'entries', series: [{ key: 'curriculum/buffer_size', label: 'buffer size' }] }),
  iterationPanel({
    id: 'buffer-scores',
    section: 'Curriculum',
    title: 'Buffer score quantiles',
    yTitle: 'learnability score (0–0.25)',
    series: [
      { key: 'curriculum/score_max', label: 'max' },
      { key: 'curriculum/score_p75', label: 'p75' },
      { key: 'curriculum/score_median', label: 'median' },
      { key: 'curriculum/score_p25', label: 'p25' },
      { key: 'curriculum/score_min', label: 'min' },
    ],
  }),
  iterationPanel({
    id: 'depth-turn',
    section: 'Curriculum',
    title: 'Sampled depth and starting turn',
    yTitle: 'mean over replayed starts',
    series: [
      { key: 'curriculum/sampled_depth_mean', label: 'depth (improve steps)' },
      { key: 'curriculum/start_turn_mean', label: 'starting turn (index)' },
    ],
  }),
  iterationPanel({ id: 'distinct-instances', section: 'Curriculum', title: 'Distinct task instances', yTitle: 'distinct start states per iteration', series: [{ key: 'curriculum/distinct_instances', label: 'distinct instances' }] }),
  iterationPanel({
    id: 'pairwise-distance',
    section: 'Curriculum',
    title: 'Mean pairwise embedding distance',
    yTitle: 'L2 distance (embedding units)',
    series: [{ key: 'curriculum/pairwise_l2_distance', label: 'L2 distance' }],
    absentBecause: 'recorded when the curriculum has an embedder',
  }),
  iterationPanel({ id: 'loss', section: 'Optimisation', title: 'GRPO loss', yTitle: 'loss (per token)', series: [{ key: 'losses/loss', label: 'loss' }] }),
  iterationPanel({ id: 'kl', section: 'Optimisation', title: 'KL to the reference policy', yTitle: 'KL (nats / token)', series: [{ key: 'losses/kl', label: 'KL' }] }),
  iterationPanel({ id: 'clip-frac', section: 'Optimisation', title: 'Clip fraction', yTitle: 'clipped tokens (% of tokens)', percent: true, series: [{ key: 'losses/clip_frac', label: 'clip fraction' }] }),
  iterationPanel({ id: 'entropy', section: 'Optimisation', title: 'Policy entropy', yTitle: 'entropy (nats / token)', series: [{ key: 'losses/entropy', label: 'entropy' }] }),
  iterationPanel({ id: 'grad-norm', section: 'Optimisation', title: 'Gradient norm', yTitle: 'gradient L2 norm', series: [{ key: 'losses/grad_norm', label: 'gradient norm' }] }),
  iterationPanel({
    id: 'tokens-per-second',
    section: 'Throughput',
    title: 'Throughput',
    yTitle: 'tokens / s',
    series: [
      { key: 'perf/tokens_per_second', label: 'sampled tokens / s' },
      { key: 'perf/trained_tokens_per_second', label: 'trained tokens / s' },
    ],
  }),
  iterationPanel({
    id: 'iteration-seconds',
    section: 'Throughput',
    title: 'Iteration time',
    yTitle: 'seconds',
    series: [
      { key: 'perf/iteration_seconds', label: 'whole iteration' },
      { key: 'perf/rollout_seconds', label: 'rollouts' },
      { key: 'perf/update_seconds', label: 'GRPO update' },
    ],
  }),
];
