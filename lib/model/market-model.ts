/**
 * The model's one front door: every normalized event goes in through `ingest`, every figure a UI or
 * the worker needs comes out through a query. Behind it, three kinds of state never mixed up:
 * realized liquidations (the ledger: what venues reported), per-instrument flow figures, and the
 * estimated levels (docs/model.md) with their minute history. Pure: no browser APIs, no timers; time
 * comes from the events and from `advance(now)`.
 *
 *   ingest(events, 'live')      ─▶ figures · ledger (new liquidations returned) · estimated levels
 *   ingest(events, 'backfill')  ─▶ estimated levels only (realized figures stay what venues reported live)
 *   price · zones · summary · view · heatmap · cells   ◀─ queries
 */
import { encodeHeatmap, heatmapRequestError, type HeatmapRequest, type WireHeatmap } from '../contract/heatmap-wire';
import type {
  MarketView,
  MarketWide,
  MyPositionView,
  ModelCheck,
  RealizedLiquidation,
  ScoreFigures,
  ScoreSource,
  ScoreWindows,
  Zone,
} from '../contract/market';
import { coinOf } from '../exchanges/specs';
import { t } from '../i18n';
import { coinTarget, parseTarget, targetCovers } from '../contract/target';
import type { MarketViewReply, ViewRange, ViewRequest } from '../contract/view';
import type { MarketEvent } from '../exchanges/types';
import type { PriceGrid } from './grid';
import type { InstrumentHistory } from './history';
import type { InstrumentLimits } from './instrument-model';
import { LevelEngine, type LevelEngineSnapshot } from './level-engine';
import { buildMarketView, viewBounds } from './market-view';
import { DEFAULT_PARAMS, type ModelParams } from './params';
import { RealizedLedger, type RealizedLedgerSnapshot, type RealizedTotals } from './realized-ledger';
import type { CellLevel, ZoneOptions } from './zones';
import { DISTANCE_EDGES, type DistanceDistribution, type PriorName } from './distance-prior';
import { SCORE_LOOKBACK_MS, ScoreBook, type ScoreBookSnapshot } from './model-score';
import { MarketTape, TAPE_BUCKET_MS, type MarketTapeSnapshot } from './market-tape';
import { myPositionView, type MyPositionInput } from './my-positions';

/** What the score needs of a liquidation inferred from Hyperliquid position readings (lib/positions). */
export interface InferredForScore {
  coin: string;
  liquidatedSide: 'long' | 'short';
  price: number;
  usd: number;
  /** The reading that found the position gone, and the one before (the level was crossed between). */
  at: number;
  since: number;
}

/** Per-instrument running figures, as `npm run replay` prints them. */
export interface InstrumentStats extends RealizedTotals {
  trades: number;
  baseQty: number;
  notionalUsd: number;
  takerBuyUsd: number;
  takerSellUsd: number;
  markPrices: number;
  lastMarkPrice?: number;
  /** Last trade price (see `currentPrice`). */
  lastTradePrice?: number;
  /** Last known open interest, one side, base coin. */
  openInterest?: number;
  lastEventTime: number;
}

/** What the flow figures hold; realized totals come from the ledger. */
type FlowStats = Omit<InstrumentStats, keyof RealizedTotals>;

/** Where events come from: the live feeds, or the venues' REST history (estimate only). */
export type EventSource = 'live' | 'backfill';

export interface MarketModelOptions {
  /** How many recent realized liquidations are listed for the popup and overlay. */
  maxRecentLiquidations: number;
  params: ModelParams;
}

export const DEFAULT_MODEL_OPTIONS: MarketModelOptions = { maxRecentLiquidations: 500, params: DEFAULT_PARAMS };

/** Serializable state; `fromSnapshot(toSnapshot())` resumes exactly (the realized list comes back from the journal). */
export interface MarketModelSnapshot {
  version: 3;
  instruments: Record<string, FlowStats>;
  realized: RealizedLedgerSnapshot;
  /** The estimated level books (histories are persisted separately). */
  levels: LevelEngineSnapshot;
  /** The whole market's liquidations of the last day (absent in snapshots from before it). */
  tape?: MarketTapeSnapshot;
}

const NO_LIQUIDATIONS: readonly RealizedLiquidation[] = Object.freeze([]);

/** Trade ids remembered per instrument for de-duplication (a few seconds of a busy market). */
const RECENT_TRADE_IDS = 5_000;

/**
 * The current price of an instrument, the one definition LiqLens uses everywhere (zones, the map,
 * the price line, positions' distances, alerts): the last trade, as the trader's chart draws it; the
 * mark price where nothing has traded yet (a venue without a trade stream, a quiet market).
 */
export function currentPrice(s: Pick<InstrumentStats, 'lastTradePrice' | 'lastMarkPrice'> | undefined): number | undefined {
  return s?.lastTradePrice ?? s?.lastMarkPrice;
}

export class MarketModel {
  private options: MarketModelOptions;
  private flows = new Map<string, FlowStats>();
  private ledger: RealizedLedger;
  private tradeIds = new Map<string, { ids: Set<string>; ring: string[]; next: number }>();
  private estimate: LevelEngine;
  /** The live accuracy score's tallies (model-score.ts); kept apart from the state snapshot, in local storage. */
  private scores = new ScoreBook();
  /** Every coin's realized liquidations, a day in 5-minute buckets (market-tape.ts), fed as the ledger counts. */
  private tape = new MarketTape();
  /** Increases on every change, so callers can skip saving or pushing what did not change. */
  revision = 0;
  duplicatesDropped = 0;

  constructor(options: Partial<MarketModelOptions> = {}) {
    this.options = { ...DEFAULT_MODEL_OPTIONS, ...options };
    this.ledger = this.newLedger(new RealizedLedger(this.options.maxRecentLiquidations));
    this.estimate = this.newEstimate(this.options.params);
  }

  private newLedger(ledger: RealizedLedger): RealizedLedger {
    ledger.onCount = (l) => this.tape.record(l);
    return ledger;
  }

  private newEstimate(params: ModelParams): LevelEngine {
    return new LevelEngine(params, (instrument) => currentPrice(this.flows.get(instrument)));
  }

  // ─── Commands ────────────────────────────────────────────────────────────────────────────────

  /**
   * Count and model each event once. Live events feed the figures, the ledger and the estimate;
   * backfilled ones the estimate alone. Returns the realized liquidations that were new (a venue's
   * re-sent ones are dropped here), so journal, alerts and listeners see each exactly once.
   */
  ingest(events: readonly MarketEvent[], source: EventSource = 'live'): readonly RealizedLiquidation[] {
    if (source === 'backfill') {
      this.estimate.ingestBackfill(events);
      return NO_LIQUIDATIONS;
    }
    let accepted: RealizedLiquidation[] | undefined;
    for (const e of events) {
      const kept = this.count(e);
      if (kept === false) continue;
      this.estimate.ingestOne(e);
      if (kept !== true) {
        (accepted ??= []).push(kept);
        this.score(kept);
      }
    }
    return accepted ?? NO_LIQUIDATIONS;
  }

  /** A reported liquidation against the estimate of its own instrument 60 s before. */
  private score(l: RealizedLiquidation): void {
    // Most of an all-market stream's liquidations are of instruments LiqLens draws no estimate for
    // (no price, no book): they are no part of its score. (Liquidations of an estimated instrument
    // before its first frame are counted, not scored.)
    if (!this.estimate.estimates(l.instrument)) return;
    const frame = this.estimate.scoreFrame(l.instrument, l.exchangeTime - SCORE_LOOKBACK_MS);
    this.scores.record(
      {
        instrument: l.instrument,
        source: 'reported',
        side: l.liquidatedSide,
        cell: frame ? this.estimate.grid.cellOf(l.price) : 0,
        usd: l.notionalUsd,
        time: l.exchangeTime,
      },
      frame,
    );
  }

  /**
   * Liquidations inferred from Hyperliquid position readings, scored apart. The level was crossed
   * somewhere between two readings: the estimate scored is the one that stood at the first reading,
   * or 60 s before the second when the readings were closer than that.
   */
  scoreInferred(list: readonly InferredForScore[]): void {
    for (const l of list) {
      const instrument = `hyperliquid:${l.coin}`;
      this.scores.record(
        { instrument, source: 'inferred', side: l.liquidatedSide, cell: this.estimate.grid.cellOf(l.price), usd: l.usd, time: l.at },
        this.estimate.scoreFrame(instrument, Math.min(l.since, l.at - SCORE_LOOKBACK_MS)),
      );
    }
  }

  /**
   * A distance distribution learned from real positions for a coin, or `*` for every coin without
   * its own (null forgets it). Books are re-weighted at once, nothing is rebuilt.
   */
  setLearned(coin: string, d: DistanceDistribution | null): void {
    this.estimate.setLearned(coin, d);
    this.revision += 1;
    this.checkCache = null;
  }

  private checkCache: { check: ModelCheck; chosen: string; hour: number; coins: string; scoreRevision: number; at: number } | null = null;

  /**
   * The model's check for the UIs: the prior chosen and drawn per coin, what was learned, and the
   * score per coin and instrument. Recomputed only when a liquidation was scored, the hour turned,
   * or the prior or what was learned changed.
   */
  check(now: number): ModelCheck {
    const coins = this.estimate.coins();
    const chosen = this.params.prior ?? 'default';
    const hour = Math.floor(now / 3_600_000);
    const c = this.checkCache;
    // A burst scores hundreds of liquidations a second: the figures are recomputed at most once a
    // second for it (and at once for a new prior, a new coin or a new hour).
    const coinList = coins.join(',');
    const same = c && c.chosen === chosen && c.hour === hour && c.coins === coinList;
    if (same && (c.scoreRevision === this.scores.revision || now - c.at < 1_000)) return c.check;
    const check: ModelCheck = {
      chosen,
      drawn: Object.fromEntries(coins.map((coin) => [coin, this.estimate.activePrior(coinTarget(coin))])),
      learned: this.learned(),
      edges: [...DISTANCE_EDGES],
      scores: this.scores.summary(coinOf, now),
    };
    this.checkCache = { check, chosen, hour, coins: coinList, scoreRevision: this.scores.revision, at: now };
    return check;
  }

  /**
   * An instrument's history is being backfilled: its live events wait (figures and ledger run on),
   * so the estimate sees time in order, backfill first. `backfillDone` replays them.
   */
  awaitBackfill(instrument: string): void {
    this.estimate.hold(instrument);
  }

  backfillDone(instrument: string): void {
    this.estimate.release(instrument);
  }

  /**
   * New model parameters. Another prior re-weights the same books at once (`reweighted`); any other
   * change rebuilds the level books and history (`rebuilt`: a different grid or leverage tier set
   * cannot be converted); realized figures and learned distributions are kept.
   */
  setParams(params: ModelParams): 'unchanged' | 'reweighted' | 'rebuilt' {
    if (JSON.stringify(params) === JSON.stringify(this.options.params)) return 'unchanged';
    const before = this.options.params;
    this.options = { ...this.options, params };
    this.revision += 1;
    this.checkCache = null;
    if (JSON.stringify({ ...params, prior: before.prior }) === JSON.stringify(before)) {
      this.estimate.setPrior(params.prior ?? 'default');
      return 'reweighted';
    }
    const learned = this.estimate.learnedDistributions();
    this.estimate = this.newEstimate(params);
    for (const [coin, d] of Object.entries(learned)) this.estimate.setLearned(coin, d);
    return 'rebuilt';
  }

  /** What an instrument's venue allows (maintenance tiers, maximum leverage), as it becomes known. */
  setLimits(instrument: string, limits: InstrumentLimits): void {
    this.estimate.setLimits(instrument, limits);
  }

  /** Close model steps up to `now` (a timer calls this so quiet markets still advance). */
  advance(now: number): void {
    this.estimate.advance(now);
  }

  /** Put back a minute history loaded from the database (after a browser restart). */
  restoreHistory(instrument: string, history: InstrumentHistory): void {
    this.estimate.attachHistory(instrument, history);
  }

  /** Realized liquidations journaled after the last snapshot (a worker stopped between the two). */
  restoreRealized(list: readonly RealizedLiquidation[]): number {
    const added = this.ledger.restore(list);
    for (const l of list) {
      const s = this.flowsOf(l.instrument);
      s.lastEventTime = Math.max(s.lastEventTime, l.exchangeTime);
    }
    if (added) this.revision += 1;
    return added;
  }

  // ─── Queries ─────────────────────────────────────────────────────────────────────────────────

  /** Every coin's realized liquidations over the last 1, 4, 12 and 24 h (the popup's Market view). */
  marketWide(now: number): MarketWide {
    // The popup asks up to four times a second: the windows are summed again only when a liquidation
    // came or a bucket closed (a busy day's sum takes ~10 ms; a quiet minute's, next to nothing).
    const c = this.marketWideCache;
    const bucket = Math.floor(now / TAPE_BUCKET_MS);
    if (!c || c.bucket !== bucket || c.revision !== this.tape.revision)
      this.marketWideCache = { bucket, revision: this.tape.revision, value: this.tape.windows(now) };
    return this.marketWideCache!.value;
  }

  private marketWideCache: { bucket: number; revision: number; value: MarketWide } | undefined;

  /**
   * The trader's own positions against the estimate: liquidation price (venue's, or the formula with
   * the instrument's tier), distance, the crowd's USD between price and level, a crowding cluster.
   * Priced on the venue's instrument of that coin when one is streamed, else on its defaults.
   */
  myPositions(list: readonly MyPositionInput[], now: number): MyPositionView[] {
    return list.map((p) => {
      const instrument = this.streamedInstrument(p.venue, p.coin) ?? `${p.venue}:${p.coin}USDT`;
      const target = coinTarget(p.coin);
      const { tiers, inverse } = this.estimate.contractOf(instrument);
      return myPositionView(p, {
        price: this.price(instrument) ?? this.price(target) ?? undefined,
        cells: this.cells(target),
        zones: this.zones(target, now),
        tiers,
        inverse,
      });
    });
  }

  /** The venue's instrument of a coin that anything has arrived for (a snapshot asks up to 4 Hz: no copy of the keys). */
  private streamedInstrument(venue: string, coin: string): string | undefined {
    for (const key of this.flows.keys()) if (key.startsWith(`${venue}:`) && coinOf(key) === coin) return key;
    return undefined;
  }

  /** Changes with every liquidation the market-wide tape counts. */
  get marketWideRevision(): number {
    return this.tape.revision;
  }

  get params(): ModelParams {
    return this.options.params;
  }

  /** The price grid every book is on (real positions share its cells). */
  get grid(): PriceGrid {
    return this.estimate.grid;
  }

  /**
   * The current price of a target (`currentPrice`): of its instrument, or for a coin of its
   * instrument with the biggest estimated book.
   */
  price(target: string): number | null {
    const of = parseTarget(target);
    if (!of) return null;
    // An instrument's own figures first: its estimate may be waiting for backfill.
    if (of.kind === 'instrument') return currentPrice(this.flows.get(of.key)) ?? this.estimate.price(target);
    const estimated = this.estimate.price(target);
    if (estimated !== null) return estimated;
    for (const [key, s] of this.flows) if (targetCovers(of, key) && currentPrice(s) !== undefined) return currentPrice(s)!;
    return null;
  }

  /** Trades counted for an instrument so far (0 before any). */
  tradesOf(instrument: string): number {
    return this.flows.get(instrument)?.trades ?? 0;
  }

  /** Instruments anything has arrived for. */
  instruments(): string[] {
    return [...this.flows.keys()];
  }

  /** One instrument's running figures (a copy), if anything arrived for it. */
  statsOf(instrument: string): InstrumentStats | undefined {
    const s = this.flows.get(instrument);
    return s && { ...s, ...this.ledger.totals(instrument) };
  }

  /** Every instrument's running figures (copies). */
  instrumentStats(): Record<string, InstrumentStats> {
    return Object.fromEntries([...this.flows].map(([k, v]) => [k, { ...v, ...this.ledger.totals(k) }]));
  }

  /** Instruments with an estimated book (and a minute history), for the history saves. */
  modelledInstruments(): string[] {
    return this.estimate.instruments();
  }

  historyOf(instrument: string): InstrumentHistory | undefined {
    return this.estimate.history(instrument);
  }

  zones(target: string, now: number, options?: Partial<ZoneOptions> & { realizedWindowMs?: number }): Zone[] {
    return this.estimate.zones(target, now, options);
  }

  /**
   * Estimated USD per cell of a target; `tierScale` reweighs the leverage tiers (the calibration's
   * fitted mix) without replaying anything.
   */
  cells(target: string, tierScale?: readonly number[]): CellLevel[] {
    return this.estimate.cells(target, tierScale);
  }

  /** The prior a target is drawn with now: `learned` once a distribution exists and the settings ask for it. */
  activePrior(target: string): PriorName {
    return this.estimate.activePrior(target);
  }

  /** Distance distributions learned so far, per coin and `*` (every coin without its own). */
  learned(): Record<string, DistanceDistribution> {
    return this.estimate.learnedDistributions();
  }

  /** The live score over the last 1 h, 24 h and 7 d, of a coin (its venues added up) or an instrument. */
  scoreOf(target: string, now: number): ScoreWindows | null {
    const of = parseTarget(target);
    return of ? this.scores.windows((instrument) => targetCovers(of, instrument), now) : null;
  }

  /** The score of one source since an hour's start (a replay's span, the simulator's scored part). */
  scoreSince(target: string | 'all', since: number, source: ScoreSource): ScoreFigures {
    const of = target === 'all' ? 'all' : parseTarget(target);
    return this.scores.sum((instrument) => of === 'all' || (!!of && targetCovers(of, instrument)), source, since);
  }

  /** Instruments with any liquidation scored (or counted unscored) in the last 7 days. */
  scoredInstruments(): string[] {
    return this.scores.instruments();
  }

  /** Changes whenever a liquidation was scored, so saves can skip an unchanged score. */
  get scoreRevision(): number {
    return this.scores.revision;
  }

  scoreSnapshot(): ScoreBookSnapshot {
    return this.scores.toSnapshot();
  }

  /** Put back the score's tallies from local storage (they outlive a browser restart). */
  restoreScores(snapshot: unknown): void {
    this.scores = ScoreBook.fromSnapshot(snapshot);
  }

  /** The naive baseline's book per cell (no taker flow: the score's yardstick). */
  naiveCells(target: string): { cell: number; long: number; short: number }[] {
    return this.estimate.naiveCells(target);
  }

  /** What snapshots carry: figures, the newest `limit` liquidations, zones per coin (`aggregate`) or per instrument. */
  summary(limit: number, now: number, aggregate = true): MarketView {
    const instruments: MarketView['instruments'] = {};
    for (const [key, s] of this.flows) {
      const t = this.ledger.totals(key);
      instruments[key] = {
        lastMarkPrice: s.lastMarkPrice,
        lastTradePrice: s.lastTradePrice,
        liquidations: t.liquidations,
        longLiquidatedUsd: t.longLiquidatedUsd,
        shortLiquidatedUsd: t.shortLiquidatedUsd,
        openInterest: s.openInterest,
      };
    }
    const zones: MarketView['zones'] = {};
    if (aggregate) for (const coin of this.estimate.coins()) zones[coin] = this.estimate.zones(coinTarget(coin), now);
    else for (const instrument of this.estimate.instruments()) zones[instrument] = this.estimate.zones(instrument, now);
    return { instruments, liquidations: this.ledger.newest(limit), zones };
  }

  /** The popup's quick view of the estimate (the caller validated the request: `viewRequestError`). */
  view(request: ViewRequest, now: number): MarketViewReply {
    return buildMarketView(this.estimate, request, now);
  }

  /** The price axis of a view over a range: the estimate's, so the positions view can share it. */
  viewBounds(target: string, range: ViewRange, from: number, to: number, price: number, columns: number): { low: number; high: number } {
    return viewBounds(this.estimate, target, range, from, to, price, columns);
  }

  /** The overlay's time × price heatmap of a target, with its sweeps (validated: it comes from a page's overlay). */
  heatmap(request: unknown): WireHeatmap | { error: string } {
    const error = heatmapRequestError(request);
    if (error) return { error: t('heatmapRequestRefused', { error }) };
    const r = request as HeatmapRequest;
    return encodeHeatmap(this.estimate.heatmap(r.target, r.from, r.to, r.columns, r.rows, r.low, r.high), this.estimate.sweeps(r.target));
  }

  toSnapshot(): MarketModelSnapshot {
    return {
      version: 3,
      instruments: Object.fromEntries([...this.flows].map(([k, v]) => [k, { ...v }])),
      realized: this.ledger.toSnapshot(),
      levels: this.estimate.toSnapshot(),
      tape: this.tape.toSnapshot(),
    };
  }

  /**
   * Resume from a snapshot. Session storage (where the worker keeps it) does not outlive an
   * extension update, so only this version's shape is read; anything else starts clean.
   */
  static fromSnapshot(snapshot: MarketModelSnapshot | undefined | null, options: Partial<MarketModelOptions> = {}): MarketModel {
    const model = new MarketModel(options);
    if (snapshot?.version !== 3) return model;
    model.ledger = model.newLedger(RealizedLedger.fromSnapshot(snapshot.realized, model.options.maxRecentLiquidations));
    model.tape = MarketTape.fromSnapshot(snapshot.tape);
    for (const [key, stats] of Object.entries(snapshot.instruments ?? {})) model.flows.set(key, { ...emptyFlows(), ...stats });
    model.estimate = LevelEngine.fromSnapshot(snapshot.levels, model.options.params, (instrument) =>
      currentPrice(model.flows.get(instrument)),
    );
    return model;
  }

  // ─── Inside ──────────────────────────────────────────────────────────────────────────────────

  private flowsOf(key: string): FlowStats {
    let s = this.flows.get(key);
    if (!s) this.flows.set(key, (s = emptyFlows()));
    return s;
  }

  /**
   * Count one live event: true when it counts, false for a duplicate (which must not reach the
   * estimate either), or the realized liquidation it was.
   */
  private count(e: MarketEvent): boolean | RealizedLiquidation {
    const s = this.flowsOf(e.instrument);
    s.lastEventTime = Math.max(s.lastEventTime, e.exchangeTime);
    let kept: true | RealizedLiquidation = true;
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
        const recorded = this.ledger.record(e);
        if (!recorded) {
          this.duplicatesDropped += 1;
          return false;
        }
        kept = recorded;
        break;
      }
    }
    this.revision += 1;
    return kept;
  }

  /**
   * Whether this trade id was already counted. Venues re-send recent trades after a reconnect;
   * a bounded window of ids per instrument is enough to catch those without growing forever.
   */
  private seenTrade(instrument: string, tradeId: string): boolean {
    let window = this.tradeIds.get(instrument);
    if (!window) {
      window = { ids: new Set(), ring: new Array<string>(RECENT_TRADE_IDS), next: 0 };
      this.tradeIds.set(instrument, window);
    }
    if (window.ids.has(tradeId)) return true;
    const evicted = window.ring[window.next];
    if (evicted !== undefined) window.ids.delete(evicted);
    window.ring[window.next] = tradeId;
    window.next = (window.next + 1) % RECENT_TRADE_IDS;
    window.ids.add(tradeId);
    return false;
  }
}

function emptyFlows(): FlowStats {
  return { trades: 0, baseQty: 0, notionalUsd: 0, takerBuyUsd: 0, takerSellUsd: 0, markPrices: 0, lastEventTime: 0 };
}
