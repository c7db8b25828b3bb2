/** Reads recording files (gzip or plain JSONL) for `npm run replay`, the fake servers and tests. */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { parseRecordingLine, type RecordedFrame } from '../../lib/net/recording';

export type { RecordedFrame };

/** A line that is not a valid record: reported with its line number, never thrown. */
export interface BadLine {
  line: number;
  error: string;
}

export async function* readRecording(path: string, onBadLine?: (bad: BadLine) => void): AsyncGenerator<RecordedFrame> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === '') continue;
    const rec = parseRecordingLine(line);
    if ('error' in rec) onBadLine?.({ line: n, error: rec.error });
    else yield rec;
  }
}

/** ../shared beside the repository: real recordings and documented samples, read at test time. */
export const SHARED_DIR = new URL('../../../shared/', import.meta.url).pathname;
export const SHARED_DATA_DIR = `${SHARED_DIR}data/`;
export const SHARED_REFERENCE_DIR = `${SHARED_DIR}reference/`;
export const hasShared = existsSync(SHARED_DATA_DIR) && existsSync(SHARED_REFERENCE_DIR);

/** Tests that need ../shared call this once; it prints the one line that says why they are skipped. */
export function sharedOrSkipNotice(what: string): boolean {
  if (!hasShared) console.log(`[liqlens] ${what}: skipped, ../shared is not beside the repository (CI always has it)`);
  return hasShared;
}
