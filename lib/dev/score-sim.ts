/**
 * The live score on a simulated market whose traders margin as accounts do (ground-truth.ts,
 * `traders: 'accounts'`): Binance frames go through the extension's parser and model, every
 * reported liquidation is scored as the extension scores it (model-score.ts), and after the first
 * hour a distance distribution is learned from a 10 % sample of the positions open then (as the
 * positions scanner would read them: entry and liquidation price, nothing else). Used by
 * `npm run score -- --simulate` and tests/unit/dev/score-sim.test.ts.
 */
import { createParser, parseOpenInterest } from '../exchanges/binance';
import { ALL_COINS, DISTANCE_BINS, DISTANCE_EDGES, fitDistances, MarketModel, type DistanceDistribution } from '../model';
import type { ScoreFigures } from '../contract/market';
import { pearson } from '../positions/calibration';
import { runSimulation, type MarginMix, type Position } from './ground-truth';

export interface ScoreReport {
  seed: number;
  minutes: number;
  learnedAfterMinutes: number;
  /** Liquidations the venue reported over the scored span, and how many had an estimate 60 s before. */
  liquidations: number;
  scored: number;
  score: { default: number | null; learned: number | null; naive: number | null; chance: number };
  /** The learned distribution (longs) from the sample beside the truth: every position open at that moment. */
  learnedFit: {
    at: number;
    sampled: number;
    open: number;
    bins: { from: number; to: number; sample: number; truth: number }[];
    noLiquidation: { sample: number; truth: number };
    /** Half the sum of absolute differences (0: identical, 1: disjoint). */
    totalVariation: number;
  };
  /** Correlation per cell (±20 % of the end price) of each book with the true one: every position open at the end. */
  truthCorrelation: { default: number | null; learned: number | null; naive: number | null };
  traders: { margin?: MarginMix };
}

export interface ScoreSimOptions {
  seed?: number;
  minutes?: number;
  /** Share of positions the learner reads (every n-th position: one wallet each). */
  sampleShare?: number;
  /** When the distribution is learned; the score counts the liquidations after it. */
  learnAfterMinutes?: number;
  /**
   * Learn only from positions opened this recently (a scanner that saw them appear between two
   * readings); by default every open position, as the extension reads them.
   */
  fitYoungerThanMs?: number;
}

/** Positions open at `t`, as a reading would show them (entry, liquidation price or none, value). */
function openAt(history: readonly Position[], t: number, youngerThanMs: number) {
  return history
    .filter((p) => p.openedAt <= t && (p.endedAt === undefined || p.endedAt > t) && t - p.openedAt < youngerThanMs)
    .map((p) => ({
      side: p.side,
      entryPx: p.entry,
      liquidationPx: Number.isFinite(p.liqPrice) ? p.liqPrice : null,
      positionValue: p.qty * p.entry,
    }));
}

export function runScoreSimulation(options: ScoreSimOptions = {}): ScoreReport {
  const seed = options.seed ?? 2026;
  const minutes = options.minutes ?? 240;
  const learnAfter = options.learnAfterMinutes ?? 60;
  const sim = runSimulation({ venue: 'binance', symbol: 'BTCUSDT', traders: 'accounts', seed, minutes });
  const start = sim.endTime - minutes * 60_000;
  const learnAt = start + learnAfter * 60_000;
  const model = new MarketModel();
  const parse = createParser();
  let learned: { sample: DistanceDistribution; truth: DistanceDistribution; sampled: number; open: number } | undefined;
  for (const f of sim.frames) {
    if (!learned && f.t >= learnAt) {
      const open = openAt(sim.history, learnAt, options.fitYoungerThanMs ?? Infinity);
      const every = Math.max(1, Math.round(1 / (options.sampleShare ?? 0.1)));
      const sampledPositions = open.filter((_, i) => i % every === 0);
      const sample = fitDistances(sampledPositions);
      const truth = fitDistances(open);
      if (sample && truth) {
        model.setLearned(ALL_COINS, sample);
        learned = { sample, truth, sampled: sampledPositions.length, open: open.length };
      }
    }
    const outcome = f.kind === 'ws' ? parse(f.body, f.t) : parseOpenInterest(f.body, f.t);
    if (outcome.status === 'events') model.ingest(outcome.events);
  }
  if (!learned) throw new Error(`no positions were open after ${learnAfter} minutes: nothing to learn from`);
  // The same liquidations for every book: those after the distribution was learned (tallies are hourly).
  const s: ScoreFigures = model.scoreSince('coin:BTC', Math.ceil(learnAt / 3_600_000) * 3_600_000, 'reported');
  const bins = Array.from({ length: DISTANCE_BINS }, (_, b) => ({
    from: DISTANCE_EDGES[b],
    to: DISTANCE_EDGES[b + 1],
    sample: learned!.sample.long[b],
    truth: learned!.truth.long[b],
  }));
  const noLiquidation = { sample: learned.sample.noLiquidation.long, truth: learned.truth.noLiquidation.long };
  const totalVariation =
    (bins.reduce((a, b) => a + Math.abs(b.sample - b.truth), 0) + Math.abs(noLiquidation.sample - noLiquidation.truth)) / 2;
  const truthCorrelation = correlations(model, sim.open, sim.endPrice);
  return {
    seed,
    minutes,
    learnedAfterMinutes: learnAfter,
    liquidations: s.liquidations,
    scored: s.scored,
    score: { default: s.default, learned: s.learned, naive: s.naive, chance: 0.25 },
    learnedFit: { at: learnAt, sampled: learned.sampled, open: learned.open, bins, noLiquidation, totalVariation },
    truthCorrelation,
    traders: { ...(sim.traders.margin ? { margin: sim.traders.margin } : {}) },
  };
}

/** Each book against the true one, cell by cell within ±20 % of the price. */
function correlations(model: MarketModel, open: readonly Position[], price: number): ScoreReport['truthCorrelation'] {
  const grid = model.grid;
  const center = grid.cellOf(price);
  const span = grid.cellsFor(0.2);
  const truth = new Float64Array(2 * span + 1);
  for (const p of open) {
    const row = grid.cellOf(p.liqPrice) - center + span;
    if (row >= 0 && row < truth.length) truth[row] += p.qty * p.entry;
  }
  const of = (cells: readonly { cell: number; long: number; short: number }[]) => {
    const v = new Array<number>(truth.length).fill(0);
    for (const c of cells) {
      const row = c.cell - center + span;
      if (row >= 0 && row < v.length) v[row] += c.long + c.short;
    }
    return pearson(v, [...truth]);
  };
  const prior = model.params;
  model.setParams({ ...prior, prior: 'learned' });
  const learned = of(model.cells('binance:BTCUSDT'));
  model.setParams({ ...prior, prior: 'default' });
  const byDefault = of(model.cells('binance:BTCUSDT'));
  model.setParams(prior);
  return { default: byDefault, learned, naive: of(model.naiveCells('binance:BTCUSDT')) };
}
