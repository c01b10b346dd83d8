/** The one entry into comparison, so verify.ts does not depend on compare.ts internals. */
import { valuesEqual } from './compare.js';
import type { Budget } from './evaluate.js';
import type { MathValue } from './value.js';

export function compareValues(gold: MathValue, pred: MathValue, budget: Budget): boolean {
  return valuesEqual(gold, pred, budget);
}
