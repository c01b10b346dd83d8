/**
 * Argument validation for model tool calls: each method's func doc becomes a JSON Schema (BFCL's
 * `dict`/`float` spellings mapped to `object`/`number`), restricted to the parameters the method
 * really takes, and ajv checks the arguments before the call. A failure becomes one sentence a
 * model can act on: which argument, what was wrong, and the method's signature.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv } from '../../core/schema.js';
import type { BfclFuncDoc, BfclParamDoc } from '../../datasets/bfcl.js';
import { PyTuple, type PyValue } from './python/value.js';

/** A parameter as the method's signature has it. */
export interface SignatureParam {
  name: string;
  required: boolean;
  /** The default is `None`, so an explicit `null` is accepted. */
  nullable?: boolean;
}

type JsonSchema = Record<string, unknown>;

function paramToSchema(p: BfclParamDoc): JsonSchema {
  switch (p.type) {
    case 'string':
      return { type: 'string' };
    case 'integer':
      return { type: 'integer' };
    case 'float':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
    case 'tuple':
      return p.items ? { type: 'array', items: paramToSchema(p.items) } : { type: 'array' };
    case 'dict': {
      const props: Record<string, JsonSchema> = {};
      for (const [k, v] of Object.entries(p.properties ?? {})) props[k] = paramToSchema(v);
      // Nested dicts stay open: the methods themselves report unknown fields (e.g. edit_ticket).
      return { type: 'object', properties: props };
    }
    case 'any':
      return {};
  }
}

/**
 * Where the data's own calls contradict a func doc, the schema follows the data, so that every
 * ground-truth call passes validation: TicketAPI scenarios hold tickets with string ids
 * (`'ticket_001'`, task 173), which the docs type as integers.
 */
const WIDENED: Readonly<Record<string, Readonly<Record<string, JsonSchema>>>> = {
  get_ticket: { ticket_id: { type: ['integer', 'string'] } },
  close_ticket: { ticket_id: { type: ['integer', 'string'] } },
  resolve_ticket: { ticket_id: { type: ['integer', 'string'] } },
  edit_ticket: { ticket_id: { type: ['integer', 'string'] } },
};

/** The JSON Schema of a method's arguments. */
export function argumentSchema(doc: BfclFuncDoc, params: readonly SignatureParam[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const p of params) {
    const d = doc.parameters.properties[p.name];
    let s = WIDENED[doc.name]?.[p.name] ?? (d ? paramToSchema(d) : {});
    if (p.nullable && typeof s.type === 'string') s = { ...s, type: [s.type, 'null'] };
    properties[p.name] = s;
  }
  return { type: 'object', properties, required: params.filter((p) => p.required).map((p) => p.name), additionalProperties: false };
}

/** A Python value as plain JSON for ajv (ints and floats become numbers, tuples arrays). */
export function toPlainJson(v: PyValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toPlainJson);
  if (v instanceof PyTuple) return v.items.map(toPlainJson);
  if (v instanceof Map) {
    // No prototype: an argument named `__proto__` stays an ordinary (unknown) key.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of v) out[String(k)] = toPlainJson(x);
    return out;
  }
  if (v instanceof Set) return [...v].map((x) => toPlainJson(x));
  return v;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  array: 'a JSON list',
  object: 'a JSON object',
  null: 'null',
};

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join(' or ');
}

function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function describe(e: ErrorObject, args: unknown): string {
  const path = e.instancePath.split('/').slice(1);
  const where = path.length === 0 ? '' : `argument '${path[0]}'${path.length > 1 ? ` at ${path.slice(1).map((k) => `[${/^\d+$/.test(k) ? k : `'${k}'`}]`).join('')}` : ''}`;
  const got = path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), args);
  switch (e.keyword) {
    case 'required':
      return `missing required argument '${(e.params as { missingProperty: string }).missingProperty}'`;
    case 'additionalProperties':
      return `unknown argument '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    case 'type':
      return `${where} must be ${typeWords((e.params as { type: unknown }).type)}, got ${shown(got)}`;
    default:
      return `${where || 'arguments'} ${e.message ?? e.keyword}`;
  }
}

/** `name(a: string, b?: integer)` from the schema, for error messages. */
export function signatureText(name: string, schema: JsonSchema): string {
  const required = new Set(schema.required as string[]);
  const props = schema.properties as Record<string, JsonSchema>;
  const parts = Object.entries(props).map(([k, s]) => `${k}${required.has(k) ? '' : '?'}: ${s.type === undefined ? 'any' : Array.isArray(s.type) ? s.type.join(' | ') : String(s.type)}`);
  return `${name}(${parts.join(', ')})`;
}

/** A compiled validator for one method. */
export class ArgumentValidator {
  private readonly fn: ValidateFunction;
  readonly signature: string;

  constructor(
    readonly name: string,
    readonly schema: JsonSchema,
  ) {
    this.fn = ajv.compile(schema);
    this.signature = signatureText(name, schema);
  }

  /** undefined when the arguments are valid, else one sentence naming every problem. */
  check(args: ReadonlyMap<string, PyValue>): string | undefined {
    const plain = toPlainJson(new Map(args));
    if (this.fn(plain)) return undefined;
    const problems = [...new Set((this.fn.errors ?? []).map((e) => describe(e, plain)))];
    return `Invalid arguments for ${this.name}: ${problems.join('; ')}. Expected ${this.signature}.`;
  }
}
