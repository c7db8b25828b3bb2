/**
 * Feeds recorded frames through the same parsers and engine the service worker uses, counting every
 * frame as parsed, skipped or error, and summarizes per instrument. Used by `npm run replay`.
 */
import { getVenue } from '../exchanges';
import { SpecBook } from '../exchanges/specs';
import type { FrameParser, ParseOutcome } from '../exchanges/types';
import { MarketModel } from '../model';
import type { Zone } from '../contract/market';
import type { RecordedFrame } from '../net/recording';
import { compareBooks } from '../positions/calibration';
import { parseClearinghouseState } from '../positions/clearinghouse';
import { isWallet } from '../exchanges/hyperliquid';
import { TrueBook } from '../positions/true-book';
import { learnInto } from '../positions/learned';

/** Distances are learned again from the positions read at most this often (recording time), as the worker does. */
const LEARN_EVERY_MS = 60_000;

export interface InstrumentSummary {
  trades: number;
  baseQty: number;
  notionalUsd: number;
  takerBuyUsd: number;
  takerSellUsd: number;
  liquidations: number;
  longLiquidatedUsd: number;
  shortLiquidatedUsd: number;
  markPrices: number;
  lastMarkPrice?: number;
  openInterest?: number;
  /** Hyperliquid coins with recorded `clearinghouseState` replies: the true book (docs/recording.md). */
  positions?: { wallets: number; longUsd: number; shortUsd: number; noLiquidationUsd: number; coverage?: number };
  /** Correlation of the estimated and the true book per cell within ±20 % of the price, when both exist. */
  truthCorrelation?: number;
}

export interface ReplaySummary {
  frames: number;
  skipped: number;
  errors: number;
  instruments: Record<string, InstrumentSummary>;
  zones: (Zone & { coin: string })[];
  /** Every instrument's realized liquidations together, each counted once (venues re-send some). */
  market: { liquidations: number; longUsd: number; shortUsd: number; instruments: number };
}

export interface ReplayError {
  /** 1-based position of the frame in the recording. */
  frame: number;
  venue: string;
  error: string;
}

export class Replay {
  readonly engine = new MarketModel();
  /** Real positions rebuilt from recorded `clearinghouseState` replies (each with its request). */
  readonly truth = new TrueBook();
  frames = 0;
  parsed = 0;
  skipped = 0;
  errors = 0;
  /** The first few errors, for a report; all are counted. */
  readonly firstErrors: ReplayError[] = [];

  constructor(private readonly keepErrors = 10) {}

  /** One parser per venue, as one connection would have, with the built-in instrument specs. */
  private parsers = new Map<string, FrameParser>();

  private parserFor(venue: string): FrameParser | undefined {
    let parser = this.parsers.get(venue);
    const adapter = getVenue(venue);
    if (!parser && adapter) {
      parser = adapter.createParser(new SpecBook(adapter.specs.defaults));
      this.parsers.set(venue, parser);
    }
    return parser;
  }

  private lastTime = 0;

  private firstTime = Infinity;

  push(rec: RecordedFrame): void {
    this.frames += 1;
    this.firstTime = Math.min(this.firstTime, rec.t);
    this.lastTime = Math.max(this.lastTime, rec.t);
    const outcome = rec.rest !== undefined ? this.parseRest(rec) : this.parseFrame(rec);
    if (outcome.status === 'events') {
      this.parsed += 1;
      this.engine.ingest(outcome.events);
    } else if (outcome.status === 'skipped') {
      this.skipped += 1;
    } else {
      this.errors += 1;
      if (this.firstErrors.length < this.keepErrors) this.firstErrors.push({ frame: this.frames, venue: rec.venue, error: outcome.error });
    }
  }

  private parseFrame(rec: RecordedFrame): ParseOutcome {
    const parse = this.parserFor(rec.venue);
    return parse ? parse(rec.frame, rec.t) : { status: 'error', error: `no adapter for venue "${rec.venue}"` };
  }

  /** A recorded REST body goes to the poll whose path it came from (Binance open interest). */
  private parseRest(rec: RecordedFrame): ParseOutcome {
    if (rec.venue === 'hyperliquid' && rec.request?.includes('clearinghouseState')) return this.parsePositions(rec);
    const adapter = getVenue(rec.venue);
    const path = rec.rest!.split('?')[0];
    const poll = adapter?.polls?.({ ws: '', rest: 'http://replay' }, ['REPLAY']).find((p) => new URL(p.request.url).pathname === path);
    return poll ? poll.parse(rec.frame, rec.t) : { status: 'skipped', reason: `REST ${path} is not replayed` };
  }

  /** A wallet's positions: the wallet is in the request body, never in the reply. */
  private parsePositions(rec: RecordedFrame): ParseOutcome {
    let user: unknown;
    try {
      user = (JSON.parse(rec.request!) as { user?: unknown }).user;
    } catch {
      return { status: 'error', error: `clearinghouseState request is not JSON: ${rec.request!.slice(0, 80)}` };
    }
    if (!isWallet(user)) return { status: 'error', error: 'clearinghouseState request names no wallet' };
    const reading = parseClearinghouseState(rec.frame);
    if ('error' in reading) return { status: 'error', error: `clearinghouseState: ${reading.error}` };
    const inferred = this.truth.update(user.toLowerCase(), reading, rec.t);
    if (inferred.length) this.engine.scoreInferred(inferred);
    if (rec.t - this.learnedAt >= LEARN_EVERY_MS) this.learn(rec.t);
    return { status: 'events', events: [] };
  }

  private learnedAt = -Infinity;

  /** The positions read so far as the learned prior, as the worker's positions service does. */
  private learn(t: number): void {
    this.learnedAt = t;
    learnInto(this.engine, this.truth);
  }

  /** When the first and last frames were (recording time). */
  get span(): { first: number; last: number } {
    return { first: this.firstTime, last: this.lastTime };
  }

  /** A line that is not a record at all counts as an error frame. */
  pushBadLine(error: string): void {
    this.frames += 1;
    this.errors += 1;
    if (this.firstErrors.length < this.keepErrors) this.firstErrors.push({ frame: this.frames, venue: '?', error });
  }

  summary(): ReplaySummary {
    const instruments: Record<string, InstrumentSummary> = {};
    for (const [key, s] of Object.entries(this.engine.instrumentStats())) {
      instruments[key] = {
        trades: s.trades,
        baseQty: s.baseQty,
        notionalUsd: s.notionalUsd,
        takerBuyUsd: s.takerBuyUsd,
        takerSellUsd: s.takerSellUsd,
        liquidations: s.liquidations,
        longLiquidatedUsd: s.longLiquidatedUsd,
        shortLiquidatedUsd: s.shortLiquidatedUsd,
        markPrices: s.markPrices,
        ...(s.lastMarkPrice !== undefined ? { lastMarkPrice: s.lastMarkPrice } : {}),
        ...(s.openInterest !== undefined ? { openInterest: s.openInterest } : {}),
      };
    }
    // Zones per coin, aggregated across the recording's venues, at the recording's last moment.
    this.engine.advance(this.lastTime);
    for (const coin of this.truth.coins()) {
      const key = `hyperliquid:${coin}`;
      const entry = (instruments[key] ??= {
        trades: 0,
        baseQty: 0,
        notionalUsd: 0,
        takerBuyUsd: 0,
        takerSellUsd: 0,
        liquidations: 0,
        longLiquidatedUsd: 0,
        shortLiquidatedUsd: 0,
        markPrices: 0,
      });
      const price = entry.lastMarkPrice ?? this.engine.price(key) ?? undefined;
      const s = this.truth.summary(coin, price && entry.openInterest ? { coins: entry.openInterest, price } : undefined);
      entry.positions = {
        wallets: s.wallets,
        longUsd: s.longUsd,
        shortUsd: s.shortUsd,
        noLiquidationUsd: s.noLiquidationUsd,
        ...(s.coverage !== undefined ? { coverage: s.coverage } : {}),
      };
      const grid = this.engine.grid;
      const estimated = this.engine.cells(key);
      if (price && estimated.length) {
        const c = compareBooks(estimated, this.truth.cells(coin, grid), {
          priceCell: grid.cellOf(price),
          spanCells: grid.cellsFor(0.2),
          withinFraction: 0.2,
        });
        if (c.correlation !== null) entry.truthCorrelation = c.correlation;
      }
    }
    const zones = Object.entries(this.engine.summary(0, this.lastTime, true).zones).flatMap(([coin, list]) =>
      list.map((z) => ({ coin, ...z })),
    );
    // The ledger's totals: a liquidation a venue re-sent was dropped there, so each counts once.
    const market = { liquidations: 0, longUsd: 0, shortUsd: 0, instruments: 0 };
    for (const s of Object.values(instruments)) {
      if (!s.liquidations) continue;
      market.liquidations += s.liquidations;
      market.longUsd += s.longLiquidatedUsd;
      market.shortUsd += s.shortLiquidatedUsd;
      market.instruments += 1;
    }
    return { frames: this.frames, skipped: this.skipped, errors: this.errors, instruments, zones, market };
  }
}
