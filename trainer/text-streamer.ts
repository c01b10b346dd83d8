import { firstStop } from './policy/generate.js';

/**
 * Turns a stream of sampled token ids into text deltas that are final: text that could still
 * become a stop string (or the start of `holdFrom`) is held back until it cannot, text past a
 * stop string is never sent, and a partial UTF-8 character waits for its remaining bytes.
 *
 * @example
 * const s = new TextStreamer((ids) => tokenizer.decode(ids), ['\n\n'], (d) => res.write(d));
 * onToken: (_, id) => s.push(id)
 */
export class TextStreamer {
  private readonly ids: number[] = [];
  private readonly holdback: number;
  /** Characters of the text already emitted. */
  sent = 0;

  constructor(
    private readonly decode: (ids: readonly number[]) => string,
    private readonly stops: readonly string[],
    private readonly emit: (delta: string) => void,
    /** Everything from the first occurrence of this text on is held back (sent by the caller). */
    private readonly holdFrom?: string,
  ) {
    this.holdback = Math.max(0, ...stops.map((s) => s.length - 1), (holdFrom?.length ?? 0) - 1);
  }

  private emitUpTo(text: string, safe: number): void {
    const upto = Math.max(this.sent, safe);
    if (upto > this.sent) {
      this.emit(text.slice(this.sent, upto));
      this.sent = upto;
    }
  }

  private held(text: string): number {
    const i = this.holdFrom ? text.indexOf(this.holdFrom) : -1;
    return i >= 0 ? i : Infinity;
  }

  /** One more sampled token. */
  push(id: number): void {
    this.ids.push(id);
    const text = this.decode(this.ids);
    // This token may complete a stop string (generation then ends): never send it or what follows.
    const hit = firstStop(text, this.stops);
    const partial = text.endsWith('\uFFFD') ? text.length - 1 : text.length;
    const safe = hit ? hit.index : partial - this.holdback;
    this.emitUpTo(text, Math.min(safe, this.held(text)));
  }

  /** The final text (stop strings cut): sends what is left before `holdFrom`. */
  finish(text: string): void {
    this.emitUpTo(text, Math.min(text.length, this.held(text)));
  }
}
