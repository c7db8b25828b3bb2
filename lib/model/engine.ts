/**
 * The market engine: the single consumer of normalized events. For now it keeps realized
 * liquidations and per-instrument market statistics; the estimated level book (docs/model.md)
 * plugs in here too. Pure: no browser APIs, no timers; time comes from the events.
 */
import type { InstrumentKey, LiquidationEvent, MarketEvent } from '../exchanges/types';
import { LevelEngine, type LevelEngineSnapshot } from './level-engine';
import { DEFAULT_PARAMS, type ModelParams } from './params';
import type { RealizedLiquidation, MarketView } from '../contract/market';
import { coinTarget } from '../contract/target';

/** Per-instrument running figures, as `npm run replay` prints them. */
export interface InstrumentStats {
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
  /** Last trade price: the fallback "current price" when a venue has no mark price stream. */
  lastTradePrice?: number;
  /** Last known open interest, one side, base coin. */
  openInterest?: number;
  lastEventTime: number;
}

export interface EngineOptions {
  /** How many recent realized liquidations are kept for the popup and overlay. */
  maxRecentLiquidations: number;
  params: ModelParams;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = { maxRecentLiquidations: 500, params: DEFAULT_PARAMS };

const NO_LIQUIDATIONS: readonly RealizedLiquidation[] = Object.freeze([]);

/** Trade ids remembered per instrument for de-duplication (a few seconds of a busy market). */
const RECENT_TRADE_IDS = 5_000;

/** Serializable state; `fromSnapshot(toSnapshot())` resumes exactly. */
export interface EngineSnapshot {
  version: 1 | 2;
  instruments: Record<string, InstrumentStats>;
  recent: RealizedLiquidation[];
  /**
   * Written instead of `recent` when the liquidations are persisted apart (the worker's journal):
   * the ids already counted in `instruments`, so merging them back does not count them twice.
   */
  countedIds?: string[];
  /** Version 2: the estimated level books (histories are persisted separately). */
  levels?: LevelEngineSnapshot;
}

/** Figures of an instrument nothing has arrived for yet. */
export function emptyStats(): InstrumentStats {
  return {
    trades: 0,
    baseQty: 0,
    notionalUsd: 0,
    takerBuyUsd: 0,
    takerSellUsd: 0,
    liquidations: 0,
    longLiquidatedUsd: 0,
    shortLiquidatedUsd: 0,
    markPrices: 0,
    lastEventTime: 0,
  };
}

/**
 * Identity of a liquidation across reconnects and snapshot replays: the venue's id where it has one,
 * else the fields that a re-delivery repeats exactly.
 */
export function liquidationId(e: LiquidationEvent): string {
  if (e.liquidationId) return `${e.instrument}|${e.liquidationId}`;
  return `${e.instrument}|${e.exchangeTime}|${e.liquidatedSide}|${e.price}|${e.baseQty}`;
}

/** A venue's liquidation event as LiqLens keeps and shows it. */
export function toRealized(e: LiquidationEvent, id = liquidationId(e)): RealizedLiquidation {
  return {
    id,
    venue: e.venue,
    instrument: e.instrument,
    liquidatedSide: e.liquidatedSide,
    price: e.price,
    baseQty: e.baseQty,
    notionalUsd: e.notionalUsd,
    exchangeTime: e.exchangeTime,
    receiveTime: e.receiveTime,
  };
}

export class MarketEngine {
  private options: EngineOptions;
  private instruments = new Map<string, InstrumentStats>();
  /** Oldest first; up to twice `maxRecentLiquidations` (remember trims it in one go). */
  private recent: RealizedLiquidation[] = [];
  private recentIds = new Set<string>();
  private recentTradeIds = new Map<string, { ids: Set<string>; ring: string[]; next: number }>();
  /** Increases on every change, so callers can skip pushing unchanged snapshots. */
  revision = 0;
  duplicatesDropped = 0;
  /** The estimated level books, per instrument. */
  levels: LevelEngine;

  constructor(options: Partial<EngineOptions> = {}) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    this.levels = new LevelEngine(this.options.params);
  }

  /**
   * New model parameters. The level books and history are rebuilt (a different grid or leverage
   * prior cannot be converted); realized figures are kept. Returns whether anything changed.
   */
  setParams(params: ModelParams): boolean {
    if (JSON.stringify(params) === JSON.stringify(this.options.params)) return false;
    this.options = { ...this.options, params };
    this.levels = new LevelEngine(params);
    this.revision += 1;
    return true;
  }

  /** Close model steps up to `now` (a timer calls this so quiet markets still advance). */
  advance(now: number): void {
    this.levels.advance(now);
  }

  /** Trades counted for an instrument so far (0 before any). */
  tradesOf(instrument: string): number {
    return this.instruments.get(instrument)?.trades ?? 0;
  }

  private stats(key: InstrumentKey): InstrumentStats {
    let s = this.instruments.get(key);
    if (!s) {
      s = emptyStats();
      this.instruments.set(key, s);
    }
    return s;
  }

  /**
   * Count and model each event once. Returns the realized liquidations that were new (a venue's
   * re-sent ones are dropped here), so journal, alerts and listeners see each exactly once.
   */
  ingest(events: readonly MarketEvent[]): readonly RealizedLiquidation[] {
    let accepted: RealizedLiquidation[] | undefined;
    for (const e of events) {
      if (!this.ingestOne(e)) continue;
      this.levels.ingestOne(e);
      if (e.kind === 'liquidation') (accepted ??= []).push(this.recent[this.recent.length - 1]);
    }
    return accepted ?? NO_LIQUIDATIONS;
  }

  /** Returns false for a duplicate, which must not reach the level model either. */
  private ingestOne(e: MarketEvent): boolean {
    const s = this.stats(e.instrument);
    s.lastEventTime = Math.max(s.lastEventTime, e.exchangeTime);
    switch (e.kind) {
      case 'trade':
        if (e.tradeId !== undefined && this.seenTrade(e.instrument, e.tradeId)) {
          this.duplicatesDropped += 1;
          return false;
        }
        s.trades += 1;
        s.baseQty += e.baseQty;
        s.notionalUsd += e.notionalUsd;
        if (e.takerSide === 'buy') s.takerBuyUsd += e.notionalUsd;
        else s.takerSellUsd += e.notionalUsd;
        s.lastTradePrice = e.price;
        break;
      case 'markPrice':
        s.markPrices += 1;
        s.lastMarkPrice = e.markPrice;
        break;
      case 'openInterest':
        // An unchanged reading (a quiet market polled every few seconds) still reaches the model,
        // which closes its flow window on it, but changes nothing worth saving or pushing again.
        if (s.openInterest === e.baseQty) return true;
        s.openInterest = e.baseQty;
        break;
      case 'liquidation': {
        const id = liquidationId(e);
        if (this.recentIds.has(id)) {
          this.duplicatesDropped += 1;
          return false;
        }
        s.liquidations += 1;
        if (e.liquidatedSide === 'long') s.longLiquidatedUsd += e.notionalUsd;
        else s.shortLiquidatedUsd += e.notionalUsd;
        this.remember(toRealized(e, id));
        break;
      }
    }
    this.revision += 1;
    return true;
  }

  /**
   * Whether this trade id was already counted. Venues re-send recent trades after a reconnect;
   * a bounded window of ids per instrument is enough to catch those without growing forever.
   */
  private seenTrade(instrument: string, tradeId: string): boolean {
    let window = this.recentTradeIds.get(instrument);
    if (!window) {
      window = { ids: new Set(), ring: new Array<string>(RECENT_TRADE_IDS), next: 0 };
      this.recentTradeIds.set(instrument, window);
    }
    if (window.ids.has(tradeId)) return true;
    const evicted = window.ring[window.next];
    if (evicted !== undefined) window.ids.delete(evicted);
    window.ring[window.next] = tradeId;
    window.next = (window.next + 1) % RECENT_TRADE_IDS;
    window.ids.add(tradeId);
    return false;
  }

  private remember(liq: RealizedLiquidation): void {
    this.recent.push(liq);
    this.recentIds.add(liq.id);
    // Trimmed in one splice at twice the bound: a shift per liquidation moved the whole list each
    // time in a burst. What is shown and saved is the newest `maxRecentLiquidations` (kept()).
    const max = this.options.maxRecentLiquidations;
    if (this.recent.length >= 2 * max)
      for (const dropped of this.recent.splice(0, this.recent.length - max)) this.recentIds.delete(dropped.id);
  }

  /** The newest `maxRecentLiquidations`, oldest first. */
  private kept(): RealizedLiquidation[] {
    const max = this.options.maxRecentLiquidations;
    return this.recent.length > max ? this.recent.slice(-max) : this.recent;
  }

  /** Ids the restored snapshot counted but did not list (EngineSnapshot.countedIds). */
  private counted = new Set<string>();

  /**
   * Add realized liquidations saved after the last full snapshot (a worker stopped between the two
   * saves): those not known yet are counted and kept, in time order; known ones are skipped.
   * Returns how many were added.
   */
  mergeRealized(list: readonly RealizedLiquidation[]): number {
    let added = 0;
    for (const liq of [...list].sort((a, b) => a.receiveTime - b.receiveTime)) {
      if (this.recentIds.has(liq.id)) continue;
      if (this.counted.delete(liq.id)) {
        // In the snapshot's totals already (saved without its list): kept, not counted again.
        this.remember({ ...liq });
        added++;
        continue;
      }
      const s = this.stats(liq.instrument);
      s.liquidations += 1;
      if (liq.liquidatedSide === 'long') s.longLiquidatedUsd += liq.notionalUsd;
      else s.shortLiquidatedUsd += liq.notionalUsd;
      s.lastEventTime = Math.max(s.lastEventTime, liq.exchangeTime);
      this.remember({ ...liq });
      added++;
    }
    if (added) {
      this.recent.sort((a, b) => a.receiveTime - b.receiveTime);
      this.revision += 1;
    }
    return added;
  }

  instrumentStats(): Record<string, InstrumentStats> {
    return Object.fromEntries([...this.instruments].map(([k, v]) => [k, { ...v }]));
  }

  /** What the popup and overlay draw. `limit` caps the liquidation list (newest first). */
  /** `aggregate`: zones per coin across venues; otherwise per instrument. */
  view(limit = 100, now = Date.now(), aggregate = true): MarketView {
    const instruments: MarketView['instruments'] = {};
    for (const [key, s] of this.instruments) {
      instruments[key] = {
        lastMarkPrice: s.lastMarkPrice,
        lastTradePrice: s.lastTradePrice,
        liquidations: s.liquidations,
        longLiquidatedUsd: s.longLiquidatedUsd,
        shortLiquidatedUsd: s.shortLiquidatedUsd,
        openInterest: s.openInterest,
      };
    }
    const zones: MarketView['zones'] = {};
    if (aggregate) for (const coin of this.levels.coins()) zones[coin] = this.levels.zones(coinTarget(coin), now);
    else for (const instrument of this.levels.instruments()) zones[instrument] = this.levels.zones(instrument, now);
    return { instruments, liquidations: this.recent.slice(-Math.min(limit, this.options.maxRecentLiquidations)).reverse(), zones };
  }

  /** `withoutRecent`: the liquidations are kept elsewhere; only their ids go in (see countedIds). */
  toSnapshot({ withoutRecent = false } = {}): EngineSnapshot {
    const kept = this.kept();
    return {
      version: 2,
      instruments: this.instrumentStats(),
      recent: withoutRecent ? [] : kept.map((l) => ({ ...l })),
      ...(withoutRecent ? { countedIds: kept.map((l) => l.id) } : {}),
      levels: this.levels.toSnapshot(),
    };
  }

  static fromSnapshot(snapshot: EngineSnapshot, options: Partial<EngineOptions> = {}): MarketEngine {
    const engine = new MarketEngine(options);
    if (snapshot?.version !== 1 && snapshot?.version !== 2) return engine; // unknown or missing: start clean rather than misread
    engine.levels = LevelEngine.fromSnapshot(snapshot.levels, engine.options.params);
    for (const [key, stats] of Object.entries(snapshot.instruments ?? {})) engine.instruments.set(key, { ...emptyStats(), ...stats });
    for (const liq of snapshot.recent ?? []) engine.remember({ ...liq });
    if (Array.isArray(snapshot.countedIds)) engine.counted = new Set(snapshot.countedIds.filter((id) => typeof id === 'string'));
    return engine;
  }
}
