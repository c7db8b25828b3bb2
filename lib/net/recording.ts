/**
 * The recording format (../shared/data/README.md): one JSON object per line,
 * `{"t": <receive time, epoch ms>, "venue": "<venue id>", "frame": "<text frame exactly as received>"}`,
 * optionally gzip-compressed. Pure line codec; file I/O lives with its callers.
 */
export interface RecordedFrame {
  t: number;
  venue: string;
  frame: string;
  /**
   * LiqLens extension: set when `frame` is a REST response body rather than a WebSocket frame, to the
   * request's path (e.g. `/fapi/v1/openInterest`). Binance open interest only exists over REST, so a
   * recording without these lines cannot rebuild the estimated levels.
   */
  rest?: string;
  /**
   * With `rest`: the request body as sent, for POST requests whose body says what was asked
   * (Hyperliquid's `{"type":"clearinghouseState","user":"0x…"}`: the reply does not name the wallet).
   */
  request?: string;
}

export function parseRecordingLine(line: string): RecordedFrame | { error: string } {
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    return { error: 'line is not JSON' };
  }
  const r = rec as Partial<RecordedFrame> | null;
  if (typeof r !== 'object' || r === null || typeof r.t !== 'number' || typeof r.venue !== 'string' || typeof r.frame !== 'string') {
    return { error: 'line lacks t (number), venue or frame (strings)' };
  }
  if (typeof r.rest !== 'string') return { t: r.t, venue: r.venue, frame: r.frame };
  return typeof r.request === 'string'
    ? { t: r.t, venue: r.venue, rest: r.rest, request: r.request, frame: r.frame }
    : { t: r.t, venue: r.venue, rest: r.rest, frame: r.frame };
}

export function formatRecordingLine(rec: RecordedFrame): string {
  if (!rec.rest) return JSON.stringify({ t: rec.t, venue: rec.venue, frame: rec.frame });
  return JSON.stringify(
    rec.request !== undefined
      ? { t: rec.t, venue: rec.venue, rest: rec.rest, request: rec.request, frame: rec.frame }
      : { t: rec.t, venue: rec.venue, rest: rec.rest, frame: rec.frame },
  );
}

/**
 * Keeps the last minutes of raw frames in memory, for "save a recording" in Options (bug reports,
 * replays). Bounded by age, by count and by characters, whichever bites first.
 */
export class FrameRecorder {
  private frames: RecordedFrame[] = [];
  private head = 0;
  private chars = 0;

  constructor(
    private readonly maxAgeMs = 10 * 60_000,
    private readonly maxFrames = 200_000,
    private readonly maxChars = 40_000_000,
  ) {}

  add(venue: string, frame: string, t: number, rest?: string, request?: string): void {
    this.frames.push(rest ? (request !== undefined ? { t, venue, frame, rest, request } : { t, venue, frame, rest }) : { t, venue, frame });
    this.chars += frame.length;
    while (this.size > this.maxFrames || this.chars > this.maxChars || t - this.frames[this.head].t > this.maxAgeMs) this.dropOldest();
    // Compact now and then instead of shifting on every frame.
    if (this.head > 4096 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }

  private dropOldest(): void {
    this.chars -= this.frames[this.head].frame.length;
    this.head += 1;
  }

  get size(): number {
    return this.frames.length - this.head;
  }

  /** The frames of the last `minutes` (up to `now`) in the recording format, one per line. */
  export(minutes: number, now = Date.now()): string {
    const from = now - minutes * 60_000;
    const lines: string[] = [];
    for (let i = this.head; i < this.frames.length; i++) if (this.frames[i].t >= from) lines.push(formatRecordingLine(this.frames[i]));
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}
