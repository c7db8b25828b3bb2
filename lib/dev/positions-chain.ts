/**
 * The real-positions chain, offline, on a simulated Hyperliquid (lib/dev/ground-truth.ts with
 * `venue: 'hyperliquid'`): trades naming wallets → discovery → the scanner within its weight budget,
 * answered from the simulation's own positions at the moment of each request → the true book → the
 * estimate measured against the complete truth (every position open at the end), with the model's
 * leverage mix and with the mix fitted from a 10 % sample of the wallets read. Used by
 * `npm run calibrate -- --simulate` and by tests/unit/dev/positions-sim.test.ts.
 */
import { ManualClock } from '../clock';
import { createParser } from '../exchanges/hyperliquid';
import { SpecBook } from '../exchanges/specs';
import { MarketModel } from '../model';
import { DEFAULT_PARAMS, type LeverageWeight } from '../model/params';
import type { FetchLike } from '../net/rest-poller';
import { compareBooks, fitLeverageMix } from '../positions/calibration';
import { parseClearinghouseState } from '../positions/clearinghouse';
import { PositionsTracker } from '../positions/tracker';
import { TrueBook } from '../positions/true-book';
import { runSimulation, type SimOptions } from './ground-truth';

export interface ChainReport {
  minutes: number;
  seed: number;
  wallets: number;
  walletsRead: number;
  /** The most request weight sent within any 60 s, and the budget it had. */
  highestWeightPerMinute: number;
  budgetPerMinute: number;
  coverageAfter10Min?: number;
  coverageAtEnd?: number;
  /** Correlation per cell and long/short split error, the model's mix vs the fitted one. */
  windows: {
    withinPct: number;
    default: number | null;
    fitted: number | null;
    splitErrorDefault: number | null;
    splitErrorFitted: number | null;
  }[];
  tradersMix: LeverageWeight[];
  meanHoldingHours: number;
  /** The traders' real mix put on the model's tiers (what a perfect fit would find). */
  trueMixOnTiers: LeverageWeight[];
  fittedMix: LeverageWeight[];
}

export async function runPositionsChain(
  options: Partial<Pick<SimOptions, 'seed' | 'minutes'>> & { budgetPerMinute?: number; sampleShare?: number } = {},
): Promise<ChainReport> {
  const minutes = options.minutes ?? 60;
  const seed = options.seed ?? 2026;
  const budgetPerMinute = options.budgetPerMinute ?? 300;
  const sim = runSimulation({ venue: 'hyperliquid', symbol: 'BTC', traders: 'seeded', seed, minutes });
  const clock = new ManualClock(sim.endTime - minutes * 60_000);
  const engine = new MarketModel();
  const parse = createParser(new SpecBook([]));
  const requests: number[] = [];
  const info: FetchLike = async (_url, init) => {
    const { user } = JSON.parse(init?.body ?? '{}') as { user: string };
    requests.push(clock.now());
    const body = sim.clearinghouseAt(user, clock.now());
    return { status: 200, headers: { get: () => null }, text: async () => body };
  };
  const stats = () => engine.instrumentStats()['hyperliquid:BTC'];
  const tracker = new PositionsTracker({
    fetch: info,
    clock,
    infoUrl: () => 'https://api.hyperliquid.xyz/info',
    budgetPerMinute,
    priceOf: () => stats()?.lastMarkPrice,
    grid: () => engine.grid,
  });
  const coverage = () => tracker.view('BTC', stats()?.lastMarkPrice, stats()?.openInterest).coverage;
  tracker.start();
  let i = 0;
  let coverageAfter10Min: number | undefined;
  for (let sec = 0; sec < minutes * 60; sec++) {
    const until = clock.now() + 1_000;
    for (; i < sim.frames.length && sim.frames[i].t < until; i++) {
      const outcome = parse(sim.frames[i].body, sim.frames[i].t);
      if (outcome.status !== 'events') throw new Error(`simulated frame not parsed: ${JSON.stringify(outcome)}`);
      engine.ingest(outcome.events);
      tracker.observe(outcome.events);
    }
    await clock.advance(1_000);
    if (sec % 5 === 4) engine.advance(clock.now());
    if (sec === 10 * 60 - 1) coverageAfter10Min = coverage();
  }
  tracker.stop();

  let highestWeightPerMinute = 0;
  for (let a = 0, b = 0; b < requests.length; b++) {
    while (requests[b] - requests[a] >= 60_000) a++;
    highestWeightPerMinute = Math.max(highestWeightPerMinute, (b - a + 1) * 2);
  }

  const truth = new TrueBook();
  for (const p of sim.open) {
    const reading = parseClearinghouseState(sim.clearinghouseAt(p.wallet!, sim.endTime - 1));
    if ('error' in reading) throw new Error(reading.error);
    truth.update(p.wallet!, reading, sim.endTime);
  }
  const read = tracker.book.positions('BTC');
  const every = Math.max(1, Math.round(1 / (options.sampleShare ?? 0.1)));
  const tiers = DEFAULT_PARAMS.leverage.map((l) => l.leverage);
  const fittedMix =
    fitLeverageMix(
      read.filter((_, k) => k % every === 0),
      tiers,
    ) ?? DEFAULT_PARAMS.leverage;
  const trueMixOnTiers =
    fitLeverageMix(
      sim.open.map((p) => ({ leverage: p.leverage, positionValue: p.qty * sim.endPrice })),
      tiers,
    ) ?? DEFAULT_PARAMS.leverage;
  const scale = DEFAULT_PARAMS.leverage.map((l, k) => fittedMix[k].weight / l.weight);
  const levels = engine;
  const price = levels.price('hyperliquid:BTC') ?? sim.endPrice;
  const grid = levels.grid;
  const windows = [0.1, 0.2].map((w) => {
    const opts = { priceCell: grid.cellOf(price), spanCells: grid.cellsFor(w), withinFraction: w };
    const d = compareBooks(levels.cells('hyperliquid:BTC'), truth.cells('BTC', grid), opts);
    const f = compareBooks(levels.cells('hyperliquid:BTC', scale), truth.cells('BTC', grid), opts);
    return {
      withinPct: w * 100,
      default: d.correlation,
      fitted: f.correlation,
      splitErrorDefault: d.longShareError,
      splitErrorFitted: f.longShareError,
    };
  });
  const status = tracker.status();
  return {
    minutes,
    seed,
    wallets: status.wallets,
    walletsRead: status.read,
    highestWeightPerMinute,
    budgetPerMinute,
    coverageAfter10Min,
    coverageAtEnd: coverage(),
    windows,
    tradersMix: sim.traders.leverage,
    meanHoldingHours: sim.traders.meanHoldingHours,
    trueMixOnTiers,
    fittedMix,
  };
}
