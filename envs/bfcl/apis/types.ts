/**
 * The contract of the eight simulated BFCL APIs (SPEC.md §1.2, §5, §7).
 *
 * Every API is a subclass of {@link BfclApi}, one file each, written on the Python layer in
 * `../python/` (values are {@link PyValue}s: `bigint` = int, `number` = float, `Map` = dict, …).
 *
 * - **Construct** with `new XxxAPI({ today })` (no scenario), or use `createApi` in `index.ts`,
 *   which also loads the scenario.
 * - **Load**: `loadScenario(config, longContext = false)` receives a deep copy of
 *   `initial_config[className]` as a {@link PyDict} (parse task lines with `jsonLoads` so `10000.0`
 *   stays a float). `createApi` does the copy, and never loads `MathAPI` (the stateless class).
 * - **Call**: only documented public methods are callable. `methodTable()` lists them in source
 *   order with their Python signatures; `call(name, positional, keyword)` binds the arguments
 *   (TypeError for missing/unexpected ones) and runs the method; `invoke` wraps it into a
 *   {@link CallOutcome}.
 * - **Results**: a method *returns* a Python value (error dicts like `{"error": …}` are returned
 *   values) or *raises* a {@link PyException} (KeyError, TypeError, ValueError, …; SPEC §1.4).
 *   `outcomeString` turns either into the executor's result string (SPEC §1.3).
 * - **State**: `publicState()` lists the compared public attributes (SPEC §5) with their live
 *   values; `snapshot()` is their canonical JSON; `stateEquals(other)` is upstream's `!=` check.
 * - **Today**: APIs that use the date read `this.today` (`YYYY-MM-DD`, default
 *   {@link DEFAULT_TODAY}), so runs are reproducible.
 * - **Types**: methods get arguments as arbitrary Python values; they use the operators of
 *   `../python/ops.ts` (`add`, `lt`, `contains`, `dictGet`, …) so wrong types raise TypeError
 *   where Python would.
 *
 * @example
 * class Echo extends BfclApi {
 *   readonly className = 'MathAPI';
 *   protected methodTable() {
 *     return { echo: defMethod([param('x')], (x) => dict({ result: x })) };
 *   }
 *   loadScenario() {}
 *   publicState() { return []; }
 * }
 */
import type { JsonValue } from '../../../core/types.js';
import type { Result } from '../../../core/result.js';
import type { BfclClassName } from '../../../datasets/bfcl.js';
import { pyEq } from '../python/equality.js';
import { PyException, isPyException } from '../python/errors.js';
import { formatRaised, formatResult } from '../python/result-string.js';
import { bindArguments, type BoundArgs, type ParamSpec } from '../python/signature.js';
import { canonicalSnapshot } from '../python/snapshot.js';
import type { PyDict, PyValue } from '../python/value.js';


/** "Today" for APIs that read the date; the reference runs behind SPEC.md froze it here. */
export const DEFAULT_TODAY = '2025-03-01';

export interface ApiOptions {
  /** The date `datetime.today()` returns, `YYYY-MM-DD` (default {@link DEFAULT_TODAY}). */
  today?: string;
}

/** One documented method: its Python signature and its body over the bound arguments (by name). */
export interface MethodSpec {
  readonly params: readonly ParamSpec[];
  readonly run: (args: BoundArgs) => PyValue;
}

/** A method table entry whose body reads the bound arguments by name. */
export const method = (params: readonly ParamSpec[], run: (args: BoundArgs) => PyValue): MethodSpec => ({
  params,
  run,
});

/**
 * A method table entry whose body receives the bound arguments positionally, in signature order
 * (defaults filled in) — the same as {@link method}, without `args.x ?? null` at every use.
 *
 * @example
 * tail: defMethod([param('file_name'), param('lines', () => 10n)], (fileName, lines) => …)
 */
export const defMethod = (params: readonly ParamSpec[], run: (...args: PyValue[]) => PyValue): MethodSpec => ({
  params,
  run: (args) => run(...params.map((p) => args[p.name] ?? null)),
});

/** A parameter; pass `dflt` (a factory, fresh per call) to make it optional. */
export const param = (name: string, dflt?: () => PyValue): ParamSpec => (dflt ? { name, default: dflt } : { name });

/** A call's outcome: the returned value, or the Python exception it raised. */
export type CallOutcome = Result<PyValue, PyException>;

/** Base class of the simulated APIs; see the module comment for the contract. */
export abstract class BfclApi {
  abstract readonly className: BfclClassName;
  /** `datetime.today()` as `YYYY-MM-DD`. */
  readonly today: string;
  private table: Readonly<Record<string, MethodSpec>> | undefined;

  constructor(options: ApiOptions = {}) {
    const today = options.today ?? DEFAULT_TODAY;
    // A malformed date would make age checks silently wrong; reject it where it is configured.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
      throw new RangeError(`BFCL API option today: expected a date "YYYY-MM-DD", got "${today}"`);
    }
    this.today = today;
  }

  /** The documented public methods in upstream source order, with their signatures. */
  protected abstract methodTable(): Readonly<Record<string, MethodSpec>>;

  /** `_load_scenario(config, long_context)`; `config` is already a private deep copy. */
  abstract loadScenario(config: PyDict, longContext?: boolean): void;

  /** The compared public attributes (SPEC §5) and their live values, in upstream `vars()` order. */
  abstract publicState(): ReadonlyArray<readonly [string, PyValue]>;

  private methods(): Readonly<Record<string, MethodSpec>> {
    this.table ??= this.methodTable();
    return this.table;
  }

  /** Names of the callable (documented) methods, in source order. */
  methodNames(): string[] {
    return Object.keys(this.methods());
  }

  /** The signature of a documented method, or undefined. */
  signature(name: string): readonly ParamSpec[] | undefined {
    return Object.hasOwn(this.methods(), name) ? this.methods()[name]?.params : undefined;
  }

  /**
   * Call a documented method with Python arguments. Returns what the method returns; throws a
   * {@link PyException} for what it raises (including binding TypeErrors and, for a name that is
   * not a documented method, AttributeError).
   */
  call(name: string, positional: readonly PyValue[] = [], keyword: ReadonlyMap<string, PyValue> | Readonly<Record<string, PyValue>> = {}): PyValue {
    const spec = Object.hasOwn(this.methods(), name) ? this.methods()[name] : undefined;
    if (!spec) throw new PyException('AttributeError', `'${this.className}' object has no attribute '${name}'`);
    return spec.run(bindArguments(`${this.className}.${name}`, spec.params, positional, keyword));
  }

  /** Like {@link call}, but a raised Python exception becomes `{ ok: false, reason }`. */
  invoke(name: string, positional: readonly PyValue[] = [], keyword: ReadonlyMap<string, PyValue> | Readonly<Record<string, PyValue>> = {}): CallOutcome {
    try {
      return { ok: true, value: this.call(name, positional, keyword) };
    } catch (e) {
      if (isPyException(e)) return { ok: false, reason: e };
      throw e;
    }
  }

  /** The canonical snapshot of the public state (SPEC §5). */
  snapshot(): { [attribute: string]: JsonValue } {
    const out: { [attribute: string]: JsonValue } = {};
    for (const [name, value] of this.publicState()) out[name] = canonicalSnapshot(value);
    return out;
  }

  /**
   * Upstream's state check: every public attribute of `this` equals `other`'s (Python `==`).
   * Call it on the ground-truth instance (the official checker iterates the ground truth's
   * `vars()`); the Bespoke reward iterates the model's, which has the same attribute names.
   */
  stateEquals(other: BfclApi): boolean {
    if (other.className !== this.className) return false;
    return this.stateDiff(other).length === 0;
  }

  /** Names of the public attributes that differ from `other`'s (for feedback and debugging). */
  stateDiff(other: BfclApi): string[] {
    const theirs = new Map(other.publicState());
    return this.publicState()
      .filter(([name, v]) => !theirs.has(name) || !safeEq(v, theirs.get(name) ?? null))
      .map(([name]) => name);
  }
}

/**
 * `a == b` for the state check. Two self-containing values (a directory copied into itself on
 * both sides) make Python's `==` hit its recursion limit; we count that as "not equal".
 */
function safeEq(a: PyValue, b: PyValue): boolean {
  try {
    return pyEq(a, b);
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'RecursionError') return false;
    throw e;
  }
}

/** The executor's result string for a call outcome (SPEC §1.3). */
export function outcomeString(outcome: CallOutcome): string {
  return outcome.ok ? formatResult(outcome.value) : formatRaised(outcome.reason);
}

/** A class's constructor, as the registry stores it. */
export type ApiConstructor = new (options?: ApiOptions) => BfclApi;
