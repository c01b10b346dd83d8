/**
 * A progress line for long work on stderr: count, percent, rate, ETA and a caller-supplied
 * status (e.g. running accuracy). Redraws in place on a TTY; elsewhere prints at most every 10 %
 * or 30 s so CI logs stay short.
 */
export class Progress {
  private done = 0;
  /** Units already done when this process started (a resumed run): not counted in the rate. */
  private resumed = 0;
  private readonly started: number;
  private lastPrint = 0;
  private lastPct = -1;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly write: (text: string) => void = (t) => process.stderr.write(t),
    tty = Boolean(process.stderr.isTTY),
    private readonly now: () => number = Date.now,
  ) {
    this.tty = tty;
    this.started = now();
  }

  /** Marks `n` more units done and redraws. */
  tick(n = 1, status = ''): void {
    this.done += n;
    this.render(status);
  }

  /** Sets the count already done (e.g. after resuming) without printing; the rate and ETA count only later work. */
  setDone(n: number): void {
    this.done = n;
    this.resumed = n;
  }

  private render(status: string): void {
    const now = this.now();
    const pct = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 100;
    const finished = this.done >= this.total;
    if (!this.tty && !finished && pct < this.lastPct + 10 && now - this.lastPrint < 30_000) return;
    this.lastPrint = now;
    this.lastPct = pct;
    const elapsed = (now - this.started) / 1000;
    const rate = elapsed > 0 ? (this.done - this.resumed) / elapsed : 0;
    const eta = rate > 0 ? (this.total - this.done) / rate : Infinity;
    const width = 24;
    const filled = Math.round((width * Math.min(this.done, this.total)) / Math.max(1, this.total));
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const line = `${this.label} ${bar} ${this.done}/${this.total} ${pct}% ${rate.toFixed(2)}/s ETA ${formatSeconds(eta)}${status ? ` ${status}` : ''}`;
    this.write(this.tty ? `\r\x1b[K${line}${finished ? '\n' : ''}` : `${line}\n`);
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
