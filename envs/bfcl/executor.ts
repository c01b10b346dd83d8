/**
 * Running calls on a task's API instances. Two entry points:
 * - `executeModelCalls`: the model's `<tool>` list (SPEC §3.2). Calls run in order; the first
 *   failure stops the rest. Before a call runs, its method must be one of the involved classes'
 *   documented methods and its arguments must pass the method's JSON Schema (ajv); every failure
 *   comes back as a result line that says what to fix.
 * - `executeCallString`: a ground-truth call string (SPEC §1.1), positional arguments bound by the
 *   method's signature, producing the official result string (SPEC §1.3).
 */
import { closest, distance } from 'fastest-levenshtein';
import type { JsonValue } from '../../core/types.js';
import type { BfclFuncDoc } from '../../datasets/bfcl.js';
import { createApi, routeMethod, outcomeString, type BfclApi, type CallOutcome } from './apis/index.js';
import { ArgumentValidator, argumentSchema, type SignatureParam } from './arg-schema.js';
import { parseCallString, type ParsedCall } from './call-string.js';
import { deepcopy } from './python/copy.js';
import { PyException } from './python/errors.js';
import { pyRepr, pyStr } from './python/repr.js';
import type { PyDict, PyValue } from './python/value.js';
import { tupleTopLevel, type CallRecord } from './reward.js';
import type { ToolItem } from './tool-call.js';

/** One execution context: an instance per involved class, in involved-class order. */
export class BfclWorld {
  constructor(readonly instances: readonly BfclApi[]) {}

  /** Fresh instances loaded from a task's initial config (parsed with `jsonLoads`). */
  static create(involved: readonly string[], initialConfig: PyDict, opts: { today?: string } = {}): BfclWorld {
    return new BfclWorld(involved.map((c) => createApi(c, initialConfig, opts)));
  }

  /** The instance that defines `method`, or undefined. */
  route(method: string): BfclApi | undefined {
    return routeMethod(this.instances, method);
  }

  /** Every callable method name of the involved classes, in order. */
  methodNames(): string[] {
    return this.instances.flatMap((api) => api.methodNames());
  }

  /** Classes whose public state differs between `this` (the model's) and `groundTruth`. */
  stateMismatches(groundTruth: BfclWorld): string[] {
    return groundTruth.instances.filter((gt, i) => !gt.stateEquals(this.instances[i] as BfclApi)).map((gt) => gt.className);
  }

  /** Per class, the canonical snapshot of the public state (SPEC §5). */
  snapshot(): Record<string, { [attribute: string]: JsonValue }> {
    return Object.fromEntries(this.instances.map((api) => [api.className, api.snapshot()]));
  }
}

/** What became of one item of the model's tool list. */
export interface ModelCallResult {
  /** The line for the tool-result message (Bespoke's wording, with our validation messages). */
  text: string;
  /** No exception and no `'error':` in the returned value: the call counts for the reward. */
  ok: boolean;
  /** The upstream executor's result string, when the call reached the API. */
  officialResult?: string;
  /** The call as the reward compares it (only for successful calls). */
  record?: CallRecord;
  /** Why the call failed: a short machine-readable kind. */
  error?: 'malformed_call' | 'unknown_method' | 'invalid_arguments' | 'raised' | 'returned_error';
  /** True for a well-formed `{name, args}` item (counts as a call for the official checker). */
  wellFormed: boolean;
}

const STOP = 'Function calls after this will not be executed.';

/** Validators by method name (names are unique across the eight classes). */
const validators = new Map<string, ArgumentValidator>();

function signatureParams(api: BfclApi, name: string): SignatureParam[] {
  return (api.signature(name) ?? []).map((p) => ({
    name: p.name,
    required: p.default === undefined,
    nullable: p.default !== undefined && p.default() === null,
  }));
}

function validatorFor(api: BfclApi, name: string, doc: BfclFuncDoc | undefined): ArgumentValidator | undefined {
  if (!doc) return undefined;
  let v = validators.get(name);
  if (!v) {
    v = new ArgumentValidator(name, argumentSchema(doc, signatureParams(api, name)));
    validators.set(name, v);
  }
  return v;
}

/** Python's `str(result).lower()` contains `'error':` — Bespoke's test for a returned error. */
function returnedError(value: PyValue): boolean {
  return pyStr(value).toLowerCase().includes("'error':");
}

/** Options of model-call execution. */
export interface ModelCallOptions {
  /** Func docs by method name (for argument validation). */
  docs: ReadonlyMap<string, BfclFuncDoc>;
  /** Reproduce Bespoke's conversion of top-level list arguments to tuples. */
  bespokeCompat: boolean;
}

/** Runs one item of the model's list. */
export function executeModelItem(world: BfclWorld, item: ToolItem, opts: ModelCallOptions): ModelCallResult {
  if (!item.ok) {
    return {
      text: `Function Call ${pyRepr(item.raw)} Failed. Error: Tool command must be a dictionary with 'name' key and 'args' as a dictionary. ${STOP}`,
      ok: false,
      error: 'malformed_call',
      wellFormed: false,
    };
  }
  const args: [string, PyValue][] = opts.bespokeCompat ? tupleTopLevel(item.args) : item.args.map(([k, v]) => [k, v]);
  const shown = new Map(item.raw instanceof Map ? item.raw : []);
  shown.set('args', new Map(args));
  const repr = pyRepr(shown);
  const api = world.route(item.name);
  if (!api) {
    const names = world.methodNames();
    const near = names.length > 0 ? closest(item.name, names) : undefined;
    const hint = near !== undefined && distance(item.name, near) <= Math.max(2, Math.floor(near.length / 3)) ? ` Did you mean '${near}'?` : '';
    return {
      text: `Function Call ${repr} Failed. Error: Method '${item.name}' not found in any class instance.${hint} ${STOP}`,
      ok: false,
      error: 'unknown_method',
      wellFormed: true,
    };
  }
  const problem = validatorFor(api, item.name, opts.docs.get(item.name))?.check(new Map(args));
  if (problem !== undefined) {
    return { text: `Function Call ${repr} Failed. Error: ${problem} ${STOP}`, ok: false, error: 'invalid_arguments', wellFormed: true };
  }
  // The reward compares the call as made: methods may later mutate the argument objects they store
  // (mention() extends a tweet's mentions list), so the record keeps a copy taken before the call.
  const record: CallRecord = { name: item.name, args: args.map(([k, v]) => [k, deepcopy(v)] as const) };
  const outcome = api.invoke(item.name, [], new Map(args));
  const officialResult = outcomeString(outcome);
  if (!outcome.ok) {
    return {
      text: `Function Call ${repr} Failed during execution. Error: ${outcome.reason.pyMessage}. ${STOP}`,
      ok: false,
      officialResult,
      error: 'raised',
      wellFormed: true,
    };
  }
  if (returnedError(outcome.value)) {
    return {
      text: `Function Call ${repr} Failed during execution. Error: ${pyStr(outcome.value)}. ${STOP}`,
      ok: false,
      officialResult,
      error: 'returned_error',
      wellFormed: true,
    };
  }
  return { text: `Function Call ${repr} Succeeded. Result: ${pyStr(outcome.value)}`, ok: true, officialResult, record, wellFormed: true };
}

/** Runs the model's list in order, stopping after the first failed call. */
export function executeModelCalls(world: BfclWorld, items: readonly ToolItem[], opts: ModelCallOptions): ModelCallResult[] {
  const out: ModelCallResult[] = [];
  for (const item of items) {
    const r = executeModelItem(world, item, opts);
    out.push(r);
    if (!r.ok) break;
  }
  return out;
}

/** A ground-truth (or scenario) call string, run. */
export interface CallStringResult {
  call: string;
  parsed?: ParsedCall;
  outcome: CallOutcome;
  /** The official result string (SPEC §1.3). */
  resultString: string;
}

/**
 * Parses and runs one call string. A parse error or an unknown method is reported as the
 * exception upstream would raise (SyntaxError / NameError), not thrown.
 */
export function executeCallString(world: BfclWorld, call: string): CallStringResult {
  let parsed: ParsedCall;
  try {
    parsed = parseCallString(call);
  } catch (e) {
    const reason = new PyException('ValueError', `invalid call string: ${(e as Error).message}`);
    return { call, outcome: { ok: false, reason }, resultString: outcomeString({ ok: false, reason }) };
  }
  const api = world.route(parsed.name);
  let outcome: CallOutcome;
  if (!api) outcome = { ok: false, reason: new PyException('NameError', `name '${parsed.name}' is not defined`) };
  else outcome = api.invoke(parsed.name, parsed.positional, new Map(parsed.keywords));
  return { call, parsed, outcome, resultString: outcomeString(outcome) };
}

/** Parameter names of a method in signature order (for binding positional ground-truth arguments). */
export function parameterNames(world: BfclWorld, method: string): string[] {
  return (world.route(method)?.signature(method) ?? []).map((p) => p.name);
}
