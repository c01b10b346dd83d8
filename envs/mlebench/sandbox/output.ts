/**
 * Bounded capture of a process's stdout or stderr: keeps the head and the tail (the end of a
 * traceback is what feedback needs), counts everything, and tells the caller when a stream is so
 * large that the run should be stopped instead of drained.
 */

/** How much more than the kept bytes a stream may write before the run is killed as a flood. */
export const FLOOD_FACTOR = 64;

/** One stream's capture. Push chunks as they arrive; read `text()` at the end. */
export class BoundedOutput {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  // The tail is a queue of recent chunks trimmed from the front; never more than `tailMax` + one chunk.
  private readonly tail: Buffer[] = [];
  private tailBytes = 0;
  /** Total bytes seen, kept or not. */
  total = 0;
  private readonly headMax: number;
  private readonly tailMax: number;

  /** @param maxBytes bytes kept in all (half from the start, half from the end). */
  constructor(readonly maxBytes: number) {
    this.headMax = Math.ceil(maxBytes / 2);
    this.tailMax = maxBytes - this.headMax;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headMax) {
      const take = Math.min(this.headMax - this.headBytes, rest.length);
      // Copied: the producer may reuse its buffer, and we keep these bytes past this call.
      this.head.push(Buffer.from(rest.subarray(0, take)));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailMax === 0) return;
    if (rest.length >= this.tailMax) {
      this.tail.length = 0;
      this.tail.push(Buffer.from(rest.subarray(rest.length - this.tailMax)));
      this.tailBytes = this.tailMax;
      return;
    }
    this.tail.push(Buffer.from(rest));
    this.tailBytes += rest.length;
    while (this.tailBytes > this.tailMax) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailBytes - this.tailMax;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
      }
    }
  }

  /** More was written than kept. */
  get truncated(): boolean {
    return this.total > this.maxBytes;
  }

  /** Written far more than kept: the caller should kill the run rather than keep draining. */
  get flooded(): boolean {
    return this.total > this.maxBytes * FLOOD_FACTOR;
  }

  /** The kept text; when bytes were dropped, a marker line in the middle says how many. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    const dropped = this.total - this.headBytes - this.tailBytes;
    if (dropped <= 0) return head + tail;
    return `${head}\n[... ${dropped} bytes omitted ...]\n${tail}`;
  }
}
