/**
 * `npm run score -- <recording> [more recordings…]`, or `npm run score -- --simulate [--seed N] [--minutes M]`
 *
 * The live accuracy score (docs/model.md#score), offline. Recordings go through the extension's
 * parsers and model as the worker runs them: every liquidation is scored against its instrument's
 * estimate 60 s before, with the preset prior, the learned one (fitted from the recording's
 * Hyperliquid position readings, when it has any) and the naive baseline. `--simulate` does the
 * same on a simulated market whose traders margin as accounts do, learning from a 10 % sample of
 * the positions open after the first hour. The last line on stdout is one JSON object:
 * {"liquidations":n,"scored":n,"score":{"default":x,"learned":x,"naive":x,"chance":0.25},"perCoin":{…}}
 */
import { existsSync } from 'node:fs';
import type { ScoreFigures } from '../lib/contract/market';
import { Replay } from '../lib/dev/replay';
import { runScoreSimulation } from '../lib/dev/score-sim';
import { coinOf } from '../lib/exchanges/specs';
import { readRecording } from '../tests/harness/recording';

const args = process.argv.slice(2).filter((a) => a !== '--');
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const pct = (x: number | null) => (x === null ? '   —' : `${(x * 100).toFixed(1).padStart(4)} %`);
const line = (name: string, s: ScoreFigures) =>
  `${name.padEnd(24)} default ${pct(s.default)} · learned ${pct(s.learned)} · naive ${pct(s.naive)} · chance 25 % · ${s.scored}/${s.liquidations} scored`;
const score = (s: ScoreFigures) => ({ default: s.default, learned: s.learned, naive: s.naive, chance: 0.25 });

if (args.includes('--simulate')) {
  const r = runScoreSimulation({ seed: flag('--seed'), minutes: flag('--minutes') });
  console.error(
    `simulated BTCUSDT, seed ${r.seed}, ${r.minutes} min; learned after ${r.learnedAfterMinutes} min from ${r.learnedFit.sampled} of ${r.learnedFit.open} open positions`,
  );
  console.error(line('BTC (after learning)', { ...r.score, liquidations: r.liquidations, scored: r.scored, usd: 0 }));
  console.error(`learned vs true distance (longs): total variation ${(r.learnedFit.totalVariation * 100).toFixed(1)} %`);
  const btc = { liquidations: r.liquidations, scored: r.scored, score: r.score };
  console.log(JSON.stringify({ ...btc, perCoin: { BTC: btc }, simulation: r }));
} else {
  const files = args.filter((a) => !a.startsWith('--'));
  if (!files.length) {
    console.error('usage: npm run score -- <file.rec.jsonl[.gz]> [...]   or   npm run score -- --simulate [--seed N] [--minutes M]');
    process.exit(2);
  }
  const replay = new Replay();
  for (const file of files) {
    if (!existsSync(file)) {
      console.error(`score: no such file: ${file}`);
      process.exit(2);
    }
    for await (const rec of readRecording(file, (bad) => replay.pushBadLine(`${file}:${bad.line}: ${bad.error}`))) replay.push(rec);
  }
  const model = replay.engine;
  const since = replay.span.first;
  const perCoin: Record<string, unknown> = {};
  for (const coin of [...new Set(model.scoredInstruments().map(coinOf))].sort()) {
    const reported = model.scoreSince(`coin:${coin}`, since, 'reported');
    const inferred = model.scoreSince(`coin:${coin}`, since, 'inferred');
    console.error(line(coin, reported));
    if (inferred.liquidations) console.error(line(`${coin} (inferred, Hyperliquid)`, inferred));
    perCoin[coin] = {
      liquidations: reported.liquidations,
      scored: reported.scored,
      score: score(reported),
      inferred: { liquidations: inferred.liquidations, scored: inferred.scored, score: score(inferred) },
    };
  }
  const all = model.scoreSince('all', since, 'reported');
  if (!all.liquidations) console.error('score: no reported liquidations in these recordings: nothing to score');
  console.log(JSON.stringify({ liquidations: all.liquidations, scored: all.scored, score: score(all), perCoin }));
}
