/**
 * Control-token text inside message contents stays text. A chat message's content can hold the
 * text of a special token (`<|im_end|>`, `<|im_start|>`), most often because the policy wrote it:
 * its earlier answer becomes the next prompt's content (the ExIt improve and diverge prompts, a
 * tool result, a served chat request). Encoding the rendered template as one string would turn that
 * text into the real control token, letting the policy close its turn or forge a system turn in
 * its own next prompt. Here contents are first marked (each control string replaced by a
 * placeholder holding a per-tokenizer random nonce the policy cannot know), the template renders
 * the marked contents, and encoding turns each placeholder back into the control string's text as
 * ordinary tokens, never the control token id. Text without control strings renders and encodes
 * exactly as before; the template's own control tokens are untouched.
 */
import { randomBytes } from 'node:crypto';

const OPEN = '\uE000';
const CLOSE = '\uE001';

/** Marks and unmarks the control strings of one tokenizer (see the file comment). */
export class ControlText {
  private readonly nonce = randomBytes(12).toString('hex');
  private readonly pattern: RegExp;
  /** Control strings, longest first, so one inside another is replaced as the longer one. */
  private readonly texts: string[];
  private readonly plainCache = new Map<number, number[]>();

  /** Every control string, longest first, as one pattern: one pass over a content, not one per string. */
  private readonly any: RegExp | undefined;
  private readonly index = new Map<string, number>();

  constructor(controlStrings: readonly string[]) {
    // A one-character control string has no other spelling in ordinary tokens, so it is left as is.
    this.texts = [...new Set(controlStrings.filter((s) => [...s].length > 1))].sort((a, b) => b.length - a.length);
    this.texts.forEach((t, k) => this.index.set(t, k));
    this.pattern = new RegExp(`${OPEN}${this.nonce}:(\\d+)${CLOSE}`, 'g');
    // Literal alternatives only (no quantifiers): linear in the text for any content.
    if (this.texts.length) this.any = new RegExp(this.texts.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  /** `text` with every control string replaced by its placeholder (the same string when it has none). */
  mark(text: string): string {
    if (!this.any) return text;
    return text.replace(this.any, (t) => `${OPEN}${this.nonce}:${this.index.get(t) as number}${CLOSE}`);
  }

  /**
   * Ids of marked text: the text between placeholders through `encode` (control tokens parsed, as
   * the template wrote them), each placeholder as its control string's text in ordinary tokens.
   */
  encode(text: string, encode: (s: string) => number[]): number[] {
    if (!text.includes(OPEN)) return encode(text);
    const ids: number[] = [];
    let last = 0;
    for (const m of text.matchAll(this.pattern)) {
      const k = Number(m[1]);
      if (m.index > last) ids.push(...encode(text.slice(last, m.index)));
      ids.push(...this.plain(k, encode));
      last = m.index + m[0].length;
    }
    if (last < text.length) ids.push(...encode(text.slice(last)));
    return ids;
  }

  /** Ordinary-token ids of control string `k`'s text: encoded in pieces none of which holds a control string. */
  private plain(k: number, encode: (s: string) => number[]): number[] {
    let ids = this.plainCache.get(k);
    if (!ids) {
      ids = this.asText(this.texts[k] as string, encode);
      this.plainCache.set(k, ids);
    }
    return ids;
  }

  private asText(s: string, encode: (s: string) => number[]): number[] {
    const hit = this.texts.find((t) => s.includes(t));
    if (!hit) return encode(s);
    // Cut inside the control string (whole code points), so neither half holds it; halves are
    // shorter than `s`, so this ends.
    const at = s.indexOf(hit);
    const chars = [...hit];
    const cut = at + chars.slice(0, Math.max(1, Math.floor(chars.length / 2))).join('').length;
    return [...this.asText(s.slice(0, cut), encode), ...this.asText(s.slice(cut), encode)];
  }
}
