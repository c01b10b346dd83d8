/**
 * The files of a training run directory, one home for their names: `exitgym train` writes them
 * (trainer/loop/run.ts), `exitgym report` reads them (trainer/report-data.ts). Kept apart from
 * the loop so the report does not load TensorFlow.js.
 */
export const RUN_FILES = {
  /** The resolved config (resume compares it field by field). */
  config: 'config.json',
  /** One JSON object per iteration: `{"iteration", "time", …namespaced metrics}`. */
  metrics: 'metrics.jsonl',
  /** The HTML report `exitgym report` writes. */
  report: 'report.html',
} as const;
