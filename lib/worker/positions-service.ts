/**
 * Real positions (Hyperliquid), a third kind of data: while Hyperliquid streams and the reader is on,
 * the wallets its trades name are read within a share of Hyperliquid's per-IP request budget, their
 * liquidation prices kept as the true book, sampled each model step, saved, and measured against the
 * estimate. One budget covers everything LiqLens asks of that host (instrument list, margin tables,
 * position readings).
 */
import type { Clock } from '../clock';
import type { CoinCalibration } from '../contract/positions';
import type { LiqSnapshot } from '../contract/snapshot';
import { parseTarget } from '../contract/target';
import type { MarketViewReply, ViewRequest } from '../contract/view';
import { venueInfo } from '../exchanges/catalog';
import type { MarketEvent } from '../exchanges/types';
import type { MarketModel } from '../model';
import { type FetchLike, hostOf } from '../net/rest-poller';
import { WeightBudget } from '../net/weight-budget';
import { calibrateCoin } from '../positions/calibration';
import { MyAccountReader } from '../positions/my-account';
import { learnInto } from '../positions/learned';
import { positionsMarketView } from '../positions/market-view';
import { PositionsTracker } from '../positions/tracker';
import { TrueBook } from '../positions/true-book';
import { WalletTable } from '../positions/wallets';
import { HYPERLIQUID_WEIGHT_PER_MINUTE, type Settings } from '../settings';
import type { Persistence } from './persistence';
import { t } from '../i18n';

/** Discovered wallets (local) and the true book (session) are saved this often when they changed. */
export const POSITIONS_SAVE_EVERY_MS = 60_000;
/** Calibration figures are at most this old while Options asks for them. */
const CALIBRATION_MAX_AGE_MS = 10_000;

export interface PositionsServiceOptions {
  fetch: FetchLike;
  clock: Clock;
  model(): MarketModel;
  persistence: Persistence;
  onReply(body: string, request: string, t: number): void;
  changed(): void;
}

export class PositionsService {
  private tracker: PositionsTracker | null = null;
  private restored: { wallets: WalletTable; book: TrueBook } | null = null;
  /** Hyperliquid's per-IP request budget, for everything LiqLens asks of that host. */
  private budget: WeightBudget | null = null;
  private settings: Settings | null = null;
  /** The estimate measured against the true book, per Hyperliquid coin: refreshed with each positions save. */
  private calibrations: CoinCalibration[] = [];
  private calibratedAt = -Infinity;

  /** The trader's own Hyperliquid account (an address in settings), read within the same budget. */
  readonly myAccount: MyAccountReader;

  constructor(private readonly o: PositionsServiceOptions) {
    this.myAccount = new MyAccountReader({
      fetch: o.fetch,
      clock: o.clock,
      budget: () => this.budget,
      infoUrl: () => this.infoUrl(),
      changed: o.changed,
    });
  }

  /** What the last worker read: read once, before the first settings are applied. */
  async load(): Promise<void> {
    this.restored = await this.o.persistence.loadPositions();
  }

  /** The budget of a REST host, where LiqLens keeps one (the feeds' Hyperliquid polls share it). */
  budgetFor(url: string): WeightBudget | undefined {
    return this.budget && hostOf(url) === this.budget.host ? this.budget : undefined;
  }

  /**
   * One budget for the Hyperliquid host (its endpoint may be overridden), its limit as set. Before the
   * feeds apply the same settings: their Hyperliquid requests spend from it.
   */
  applyBudget(settings: Settings): void {
    this.settings = settings;
    const host = hostOf(this.infoUrl());
    const limit = this.limit(settings);
    if (this.budget && this.budget.host === host) return this.budget.setLimit(limit);
    this.budget = new WeightBudget(host, limit, this.o.clock);
    // A reader on the old host stops; applyReader starts one on this budget.
    this.stopReader();
  }

  /** Read positions while Hyperliquid streams and the reader is on; the trader's own account whenever an address is set. */
  applyReader(settings: Settings): void {
    this.myAccount.setAddress(settings.myPositions.hyperliquidAddress);
    const limit = this.limit(settings);
    const wanted = settings.positions.enabled && settings.venues.hyperliquid?.enabled === true;
    if (!wanted) return this.stopReader();
    if (this.tracker) return;
    const restored = this.restored ?? { wallets: new WalletTable(), book: new TrueBook() };
    const model = () => this.o.model();
    this.tracker = new PositionsTracker({
      fetch: this.o.fetch,
      clock: this.o.clock,
      infoUrl: () => this.infoUrl(),
      budgetPerMinute: limit,
      budget: this.budget ?? undefined,
      priceOf: (coin) => model().price(`hyperliquid:${coin}`) ?? undefined,
      grid: () => model().grid,
      wallets: restored.wallets,
      book: restored.book,
      onReply: this.o.onReply,
      onInferred: (list) => {
        // Scored apart from what venues report (docs/model.md#score).
        model().scoreInferred(
          list.map((l) => ({ coin: l.coin, liquidatedSide: l.liquidatedSide, price: l.price, usd: l.usd, at: l.at, since: l.since })),
        );
        this.o.changed();
      },
    });
    this.tracker.start();
    this.tracker.discoverRecent(settings.venues.hyperliquid?.symbols ?? []);
  }

  private limit(settings: Settings): number {
    return Math.floor(HYPERLIQUID_WEIGHT_PER_MINUTE * settings.positions.budgetShare);
  }

  get on(): boolean {
    return this.tracker !== null;
  }

  observe(events: readonly MarketEvent[]): void {
    this.tracker?.observe(events);
  }

  /** Each model step: this minute's true book for the heatmap. */
  sample(now: number): void {
    this.tracker?.sample(now);
  }

  /**
   * Every POSITIONS_SAVE_EVERY_MS: wallets and the true book saved, liquidation distances learned
   * again from every position read (the model re-weights, nothing is rebuilt), the estimate measured.
   */
  save(now: number): void {
    const t = this.tracker;
    if (t) {
      this.o.persistence.savePositions(t.wallets, t.book, t.status().readings);
      this.learn(t.book);
    }
    this.calibrate(now);
  }

  /** The positions read so far, as the model's learned prior (coins without enough keep the pooled fit). */
  learn(book: TrueBook): void {
    learnInto(this.o.model(), book);
  }

  /** Per Hyperliquid coin the model has figures for: the true book's summary, coverage and largest positions. */
  snapshotPart(): LiqSnapshot['positions'] {
    const tracker = this.tracker;
    if (!tracker) return undefined;
    const model = this.o.model();
    const coins = new Set(tracker.book.coins());
    for (const key of model.instruments()) if (key.startsWith('hyperliquid:')) coins.add(key.slice('hyperliquid:'.length));
    return {
      status: tracker.status(),
      coins: [...coins].sort().map((coin) => {
        const instrument = `hyperliquid:${coin}`;
        return tracker.view(coin, model.price(instrument) ?? undefined, model.statsOf(instrument)?.openInterest);
      }),
    };
  }

  /** The quick view in positions mode: the same reply as the estimate's, on the estimate's price axis. */
  view(request: ViewRequest, now: number): MarketViewReply | { error: string } {
    const tracker = this.tracker;
    if (!tracker) return { error: t('positionsOffError') };
    // Hyperliquid's own coin name (kPEPE stays kPEPE): the true book is keyed by it.
    const target = parseTarget(request.target);
    const coin = target?.kind === 'instrument' ? target.symbol : (target?.coin ?? request.target);
    const model = this.o.model();
    const instrument = `hyperliquid:${coin}`;
    const leverages = model.params.leverage.map((l) => l.leverage);
    return positionsMarketView(
      request,
      coin,
      tracker.book,
      tracker.history,
      model.grid,
      leverages,
      model.price(instrument),
      now,
      (from, to, at) => model.viewBounds(instrument, request.range, from, to, at, request.columns),
    );
  }

  /** The calibration figures (Options → Model), at most 10 s old while someone asks for them. */
  calibration(now: number): CoinCalibration[] {
    if (now - this.calibratedAt > CALIBRATION_MAX_AGE_MS) this.calibrate(now);
    return this.calibrations;
  }

  stop(): void {
    this.stopReader();
    this.myAccount.stop();
  }

  /** Estimated vs true book for every Hyperliquid coin with positions read (cheap: no replay). */
  private calibrate(now: number): void {
    const t = this.tracker;
    const model = this.o.model();
    this.calibrations = t ? t.book.coins().flatMap((coin) => calibrateCoin(model, t.book, coin, now) ?? []) : [];
    this.calibratedAt = now;
  }

  private stopReader(): void {
    this.tracker?.stop();
    this.tracker = null;
  }

  private infoUrl(): string {
    const rest = this.settings?.venues.hyperliquid?.endpoints.rest || venueInfo('hyperliquid')!.defaultEndpoints.rest;
    return `${rest.replace(/\/+$/, '')}/info`;
  }
}
