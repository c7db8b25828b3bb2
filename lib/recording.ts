/**
 * The recording format (../shared/data/README.md): one JSON object per line,
 * `{"t": <receive time, epoch ms>, "venue": "<venue id>", "frame": "<text frame exactly as received>"}`,
 * optionally gzip-compressed. Pure line codec; file I/O lives with its callers.
 */
export interface RecordedFrame {
  t: number;
  venue: string;
  frame: string;
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
  return { t: r.t, venue: r.venue, frame: r.frame };
}

export function formatRecordingLine(rec: RecordedFrame): string {
  return JSON.stringify({ t: rec.t, venue: rec.venue, frame: rec.frame });
}
