/**
 * Python's `json` module as far as the BFCL pipeline uses it: `json.dumps` with default settings
 * (SPEC §6.6) and `json.loads` keeping the int/float distinction (`15` → int, `15.0` → float),
 * which `JSON.parse` loses.
 */
import { PyException } from './errors.js';
import { floatRepr, jsonQuote } from './repr-str.js';
import { PyTuple, typeName, type PyDict, type PyKey, type PyValue } from './value.js';

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return floatRepr(x);
}

function jsonKey(k: PyKey): string {
  if (typeof k === 'string') return jsonQuote(k);
  if (k === null) return '"null"';
  if (typeof k === 'boolean') return k ? '"true"' : '"false"';
  if (typeof k === 'bigint') return `"${k.toString()}"`;
  return `"${jsonFloat(k)}"`;
}

/**
 * `json.dumps(v)`: separators `", "` / `": "`, ASCII-only, insertion key order, floats in repr
 * form, tuples as arrays. Raises a Python TypeError (as a {@link PyException}) for values JSON
 * cannot hold (sets, objects such as `mpf`), exactly where Python raises.
 *
 * @example
 * jsonDumps(new Map([['result', 5000.0], ['ok', true]])) // '{"result": 5000.0, "ok": true}'
 */
export function jsonDumps(v: PyValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return jsonFloat(v);
  if (typeof v === 'string') return jsonQuote(v);
  if (Array.isArray(v)) return `[${v.map(jsonDumps).join(', ')}]`;
  if (v instanceof PyTuple) return `[${v.items.map(jsonDumps).join(', ')}]`;
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, x] of v) parts.push(`${jsonKey(k)}: ${jsonDumps(x)}`);
    return `{${parts.join(', ')}}`;
  }
  throw new PyException('TypeError', `Object of type ${typeName(v)} is not JSON serializable`);
}

/**
 * `json.loads(text)`: objects become dicts (`Map`, string keys, insertion order, a repeated key
 * keeps its first position and last value), numbers with `.`/`e` become floats, others ints
 * (`bigint`), `NaN`/`Infinity` are accepted as Python does. Raises a ValueError
 * {@link PyException} naming the position on malformed input.
 *
 * @example
 * jsonLoads('{"balance": 10000.0, "id": 7}') // Map { 'balance' => 10000, 'id' => 7n }
 */
export function jsonLoads(text: string): PyValue {
  const p = new JsonParser(text);
  p.ws();
  const v = p.value();
  p.ws();
  if (p.i < text.length) p.fail('Extra data');
  return v;
}

/**
 * Nesting depth past which `json.loads` raises RecursionError (CPython's default recursion limit);
 * it keeps a hostile `[[[[…` in a model's tool block from overflowing the JavaScript stack.
 */
const MAX_DEPTH = 1000;

class JsonParser {
  i = 0;
  private depth = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new PyException('ValueError', `${what}: char ${this.i}`);
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i] ?? '')) this.i++;
  }

  value(): PyValue {
    const c = this.s[this.i];
    if (c === '{' || c === '[') {
      if (this.depth >= MAX_DEPTH) throw new PyException('RecursionError', `maximum recursion depth exceeded while decoding a JSON ${c === '{' ? 'object' : 'array'} from a unicode string`);
      this.depth++;
      try {
        return c === '{' ? this.object() : this.array();
      } finally {
        this.depth--;
      }
    }
    if (c === '"') return this.string();
    for (const [word, v] of LITERALS) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    return this.fail('Expecting value');
  }

  object(): PyDict {
    const out: PyDict = new Map();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('Expecting property name enclosed in double quotes');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("Expecting ':' delimiter");
      this.i++;
      this.ws();
      out.set(k, this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') {
        this.i--;
        this.fail("Expecting ',' delimiter");
      }
    }
  }

  array(): PyValue[] {
    const out: PyValue[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') {
        this.i--;
        this.fail("Expecting ',' delimiter");
      }
    }
  }

  string(): string {
    const start = this.i;
    const end = stringLiteralEnd(this.s, start);
    if (end < 0) this.fail('Unterminated string starting at');
    this.i = end;
    // The scanned literal is valid JSON string syntax, so JSON.parse decodes it exactly.
    return JSON.parse(this.s.slice(start, end)) as string;
  }

  number(): PyValue {
    const m = NUMBER_RE.exec(this.s.slice(this.i));
    if (!m) return this.fail('Expecting value');
    if (m[0] === '-' && this.s.startsWith('Infinity', this.i + 1)) {
      this.i += 9;
      return -Infinity;
    }
    this.i += m[0].length;
    const isFloat = m[0].includes('.') || m[0].includes('e') || m[0].includes('E');
    return isFloat ? Number(m[0]) : BigInt(m[0]);
  }
}

const LITERALS: ReadonlyArray<readonly [string, PyValue]> = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', NaN],
  ['Infinity', Infinity],
];
const HEX = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * The index just past the JSON string literal that opens at `start` (a '"'), or -1 when it is not
 * one (unterminated, a raw control character, a bad escape). A loop, not a regular expression:
 * a regex with one alternation step per character overflowed the stack on a 10 MB string, and the
 * text is the policy's.
 */
export function stringLiteralEnd(s: string, start: number): number {
  if (s[start] !== '"') return -1;
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = s[i + 1];
      if (e === 'u') {
        if (!HEX.test(s.slice(i + 2, i + 6))) return -1;
        i += 5;
      } else if (e !== undefined && SIMPLE_ESCAPES.has(e)) i += 1;
      else return -1;
    }
  }
  return -1;
}
const NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|^-/;
