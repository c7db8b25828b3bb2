/**
 * `npm run calibrate -- <recording> [more recordings…]`, or `npm run calibrate -- --simulate [--seed N] [--minutes M]`
 *
 * The estimate measured against real positions. With recordings (saved from the extension: its
 * Hyperliquid position readings carry their request, docs/recording.md), every frame goes through
 * the extension's parsers and engine and every reading into the true book; then, per Hyperliquid coin,
 * the estimated book is compared with the true one cell by cell within ±10 % and ±20 % of the price,
 * with the model's leverage mix and with the mix the positions show. With `--simulate`, the same on
 * a simulated Hyperliquid whose traders do not use the model's mix (lib/dev/positions-chain.ts).
 * The last line on stdout is one JSON object.
 */
import { existsSync } from 'node:fs';
import { calibrateCoin } from '../lib/positions/calibration';
import { Replay } from '../lib/dev/replay';
import { runPositionsChain } from '../lib/dev/positions-chain';
import { readRecording } from '../tests/harness/recording';

const args = process.argv.slice(2).filter((a) => a !== '--');
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};

if (args.includes('--simulate')) {
  const report = await runPositionsChain({ seed: flag('--seed'), minutes: flag('--minutes') });
  console.log(JSON.stringify({ simulated: report }));
} else {
  const files = args.filter((a) => !a.startsWith('--'));
  if (!files.length) {
    console.error(
      'usage: npm run calibrate -- <file.rec.jsonl[.gz]> [...]   or   npm run calibrate -- --simulate [--seed N] [--minutes M]',
    );
    process.exit(2);
  }
  const replay = new Replay();
  let last = 0;
  for (const file of files) {
    if (!existsSync(file)) {
      console.error(`calibrate: no such file: ${file}`);
      process.exit(2);
    }
    for await (const rec of readRecording(file, (bad) => replay.pushBadLine(`${file}:${bad.line}: ${bad.error}`))) {
      replay.push(rec);
      last = Math.max(last, rec.t);
    }
  }
  replay.engine.advance(last);
  const coins = replay.truth.coins().flatMap((coin) => calibrateCoin(replay.engine, replay.truth, coin, last) ?? []);
  if (!coins.length) console.error('calibrate: no Hyperliquid position readings (clearinghouseState with its request) in these recordings');
  console.log(JSON.stringify({ frames: replay.frames, errors: replay.errors, coins }));
}
