/**
 * `npm run replay -- <recording> [more recordings…]`
 * Replays recordings through the extension's parsers and engine in Node. Prints the first errors to
 * stderr and, as its last line, one JSON summary (format in docs/recording.md).
 */
import { existsSync } from 'node:fs';
import { Replay } from '../lib/dev/replay';
import { readRecording } from '../tests/harness/recording';

const files = process.argv.slice(2).filter((a) => a !== '--');
if (files.length === 0) {
  console.error(
    'usage: npm run replay -- <file.rec.jsonl[.gz]> [...]\n  e.g. npm run replay -- ../shared/data/binance-usdm-btcusdt-2024-08-08.rec.jsonl.gz',
  );
  process.exit(2);
}
const replay = new Replay();
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`replay: no such file: ${file}`);
    process.exit(2);
  }
  for await (const rec of readRecording(file, (bad) => replay.pushBadLine(`${file}:${bad.line}: ${bad.error}`))) replay.push(rec);
}
for (const e of replay.firstErrors) console.error(`replay: frame ${e.frame} (${e.venue}): ${e.error}`);
if (replay.errors > replay.firstErrors.length) console.error(`replay: … and ${replay.errors - replay.firstErrors.length} more errors`);
console.log(JSON.stringify(replay.summary()));
