/**
 * Which BFCL tasks an env serves and how much of each: the split (Bespoke Labs' 100/100, or all
 * 200) picks the tasks; the configuration picks the requests and the budget (train: the first
 * user request and 10 assistant calls, as in the paper's training; test: every request and 60).
 */
import { ConfigError } from '../../core/errors.js';
import type { BfclData, BfclTask } from '../../datasets/bfcl.js';

export const BFCL_SPLITS = ['train', 'test', 'all'] as const;
export type BfclSplitName = (typeof BFCL_SPLITS)[number];

export const BFCL_CONFIGS = ['train', 'test'] as const;
export type BfclConfigName = (typeof BFCL_CONFIGS)[number];

/** Assistant calls per episode, by configuration. */
export const BFCL_BUDGETS: Record<BfclConfigName, { maxSteps: number }> = {
  train: { maxSteps: 10 },
  test: { maxSteps: 60 },
};

/** Checks a split name, with a message listing the accepted ones. */
export function splitName(value: unknown): BfclSplitName {
  if (value === undefined) return 'all';
  if (typeof value === 'string' && (BFCL_SPLITS as readonly string[]).includes(value)) return value as BfclSplitName;
  throw new ConfigError(`bfcl: option split must be one of ${BFCL_SPLITS.join(', ')}; got ${JSON.stringify(value)}.`);
}

/** Checks a configuration name; the default follows the split (train → train, else test). */
export function configName(value: unknown, split: BfclSplitName): BfclConfigName {
  if (value === undefined) return split === 'train' ? 'train' : 'test';
  if (typeof value === 'string' && (BFCL_CONFIGS as readonly string[]).includes(value)) return value as BfclConfigName;
  throw new ConfigError(`bfcl: option config must be one of ${BFCL_CONFIGS.join(', ')}; got ${JSON.stringify(value)}.`);
}

/** Task ids of a split: Bespoke's order for train/test, file order for all. */
export function splitTaskIds(data: BfclData, split: BfclSplitName): string[] {
  switch (split) {
    case 'train':
      return [...data.split.train];
    case 'test':
      return [...data.split.test];
    case 'all':
      return data.tasks.map((t) => t.id);
  }
}

/** The requests and ground-truth turns an episode plays under a configuration. */
export function episodeTurns(task: BfclTask, config: BfclConfigName): { requests: string[]; groundTruth: string[][] } {
  const n = config === 'train' ? 1 : task.requests.length;
  return { requests: task.requests.slice(0, n), groundTruth: task.groundTruth.slice(0, n) };
}
