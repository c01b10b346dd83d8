/**
 * Parser for BFCL call strings (SPEC §1.1): one Python call `name(arg, ..., key=value, ...)` whose
 * arguments are Python literals (strings with escapes, ints, floats, True/False/None, lists,
 * tuples, dicts, unary minus). Anything else is a `CallSyntaxError` naming the offset; nothing
 * is `eval`ed, so a string like `'run ls() now'` stays a string.
 */
import { PyTuple, type PyDict, type PyKey, type PyValue } from './python/value.js';

/** A call string that is not a call of literals; the message says what was expected and where. */
export class CallSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'CallSyntaxError';
  }
}

/** A parsed call: positional arguments in order, then keyword arguments in order. */
export interface ParsedCall {
  name: string;
  positional: PyValue[];
  keywords: [string, PyValue][];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  peek(): string {
    this.ws();
    return this.text[this.pos] ?? '';
  }

  fail(expected: string): never {
    const found = this.pos < this.text.length ? `"${this.text.slice(this.pos, this.pos + 12)}"` : 'the end';
    throw new CallSyntaxError(`expected ${expected} at offset ${this.pos}, found ${found}`, this.pos);
  }

  eat(c: string): boolean {
    if (this.peek() === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  expect(c: string, what = `"${c}"`): void {
    if (!this.eat(c)) this.fail(what);
  }

  ident(): string | undefined {
    this.ws();
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  string(): string {
    const quote = this.text[this.pos] as string;
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    const close = triple ? quote.repeat(3) : quote;
    this.pos += close.length;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail(`a closing ${close}`);
      if (this.text.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      const c = this.text[this.pos] as string;
      if (c === '\n' && !triple) this.fail(`a closing ${close} before the line break`);
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1] ?? '';
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        this.pos += 2;
        continue;
      }
      const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (width > 0) {
        const hex = this.text.slice(this.pos + 2, this.pos + 2 + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) this.fail(`${width} hex digits after \\${e}`);
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += 2 + width;
        continue;
      }
      // Python keeps unknown escapes as written (backslash included).
      out += '\\';
      this.pos++;
    }
  }

  value(): PyValue {
    const c = this.peek();
    if (c === "'" || c === '"') {
      let s = this.string();
      // Adjacent literals concatenate, as in Python ('a' 'b' == 'ab').
      while (this.peek() === "'" || this.peek() === '"') s += this.string();
      return s;
    }
    if (c === '[') return this.sequence('[', ']', 'list');
    if (c === '(') return this.sequence('(', ')', 'tuple');
    if (c === '{') return this.dict();
    if (c === '-' || c === '+') {
      this.pos++;
      const inner = this.value();
      if (typeof inner === 'bigint') return c === '-' ? -inner : inner;
      if (typeof inner !== 'number') this.fail('a number after the sign');
      return c === '-' ? -inner : inner;
    }
    const word = this.ident();
    if (word === 'True' || word === 'False') return word === 'True';
    if (word === 'None') return null;
    if (word !== undefined) {
      this.pos -= word.length;
      this.fail('a literal (string, number, True/False/None, list, tuple or dict); names and expressions are not allowed');
    }
    return this.number();
  }

  number(): PyValue {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    const raw = m?.[0] ?? '';
    if (raw === '' || raw === '.' || !/\d/.test(raw)) this.fail('a value');
    this.pos += raw.length;
    const clean = raw.replace(/_/g, '');
    if (/[.eE]/.test(clean)) return Number(clean);
    if (clean.length > 1 && clean.startsWith('0') && /[1-9]/.test(clean)) this.fail('a number without leading zeros');
    return BigInt(clean);
  }

  sequence(open: string, close: string, kind: 'list' | 'tuple'): PyValue {
    this.expect(open);
    const items: PyValue[] = [];
    let sawComma = false;
    while (!this.eat(close)) {
      items.push(this.value());
      if (this.eat(',')) {
        sawComma = true;
        continue;
      }
      this.expect(close, `"," or "${close}"`);
      break;
    }
    // `(x)` is just x in Python; only `(x,)` is a one-element tuple.
    if (kind === 'tuple' && items.length === 1 && !sawComma) return items[0] as PyValue;
    return kind === 'list' ? items : new PyTuple(items);
  }

  dict(): PyValue {
    this.expect('{');
    const out: PyDict = new Map();
    while (!this.eat('}')) {
      const key = this.value();
      if (key !== null && typeof key === 'object') this.fail('a dict key that is a string, number, True/False or None');
      this.expect(':');
      out.set(key as PyKey, this.value());
      if (this.eat(',')) continue;
      this.expect('}', '"," or "}"');
      break;
    }
    return out;
  }
}

/**
 * Parses one call string.
 *
 * @example
 * parseCallString("mv(source='a.txt', destination='tmp')")
 * // { name: 'mv', positional: [], keywords: [['source', 'a.txt'], ['destination', 'tmp']] }
 */
export function parseCallString(text: string): ParsedCall {
  const s = new Scanner(text);
  const name = s.ident();
  if (name === undefined) return s.fail('a function name');
  s.expect('(', '"(" after the function name');
  const positional: PyValue[] = [];
  const keywords: [string, PyValue][] = [];
  while (!s.eat(')')) {
    const save = s.pos;
    const word = s.ident();
    if (word !== undefined && s.peek() === '=' && s.text[s.pos + 1] !== '=') {
      s.pos++;
      if (keywords.some(([k]) => k === word)) s.fail(`no repeated keyword argument "${word}"`);
      keywords.push([word, s.value()]);
    } else {
      s.pos = save;
      if (keywords.length > 0) s.fail('a keyword argument (positional arguments cannot follow keyword arguments)');
      positional.push(s.value());
    }
    if (s.eat(',')) continue;
    s.expect(')', '"," or ")"');
    break;
  }
  if (s.peek() !== '') s.fail('the end of the call');
  return { name, positional, keywords };
}
