/**
 * Real Hyperliquid positions in the worker: discovery from the trade feed, the scanner under the
 * host's weight budget, the true book, and the view the UIs get for each coin. One object, owned by
 * the worker core, started while Hyperliquid streams and positions are on.
 */
import type { Clock } from '../clock';
import type { MarketEvent } from '../exchanges/types';
import { findZones, type PriceGrid } from '../model';
import { hostOf, request, type FetchLike } from '../net/rest-poller';
import { isWallet } from '../exchanges/hyperliquid';
import { WeightBudget } from '../net/weight-budget';
import { PositionScanner } from './scanner';
import { TrueBook, type InferredLiquidation } from './true-book';
import { WalletTable } from './wallets';
import { PositionsHistory } from './market-view';
import type { PositionsStatus, PositionsView } from '../contract/positions';

export interface TrackerOptions {
  fetch: FetchLike;
  clock: Clock;
  infoUrl(): string;
  budgetPerMinute: number;
  /** The host's budget when someone else owns it (the worker core: every Hyperliquid request shares it). */
  budget?: WeightBudget;
  priceOf(coin: string): number | undefined;
  /** The model's price grid, so true and estimated books share cells. */
  grid(): PriceGrid;
  wallets?: WalletTable;
  book?: TrueBook;
  onReply?(body: string, requestBody: string, receiveTime: number): void;
  onInferred?(liquidations: InferredLiquidation[]): void;
}

export const shortWallet = (w: string) => `${w.slice(0, 6)}…${w.slice(-4)}`;

export class PositionsTracker {
  readonly wallets: WalletTable;
  readonly book: TrueBook;
  readonly budget: WeightBudget;
  /** What the true book showed each minute (the popup's positions heatmap). */
  readonly history = new PositionsHistory();
  private readonly scanner: PositionScanner;

  constructor(private readonly o: TrackerOptions) {
    this.wallets = o.wallets ?? new WalletTable();
    this.book = o.book ?? new TrueBook();
    this.budget = o.budget ?? new WeightBudget(hostOf(o.infoUrl()), o.budgetPerMinute, o.clock);
    this.scanner = new PositionScanner({
      fetch: o.fetch,
      clock: o.clock,
      budget: this.budget,
      infoUrl: o.infoUrl,
      wallets: this.wallets,
      book: this.book,
      priceOf: o.priceOf,
      onReply: o.onReply,
      onInferred: o.onInferred,
    });
  }

  start(): void {
    this.scanner.start();
  }

  stop(): void {
    this.stopped = true;
    this.scanner.stop();
  }

  private stopped = false;

  /**
   * Once at start: each coin's `recentTrades` (weight 20 each, within the budget) names wallets that
   * traded just before LiqLens started listening.
   */
  discoverRecent(coins: readonly string[]): void {
    const RECENT_WEIGHT = 20;
    for (const coin of coins) {
      const attempt = () => {
        if (this.stopped) return;
        if (!this.budget.tryTake(RECENT_WEIGHT))
          return void this.o.clock.setTimeout(attempt, Math.max(250, this.budget.waitFor(RECENT_WEIGHT)));
        const body = JSON.stringify({ type: 'recentTrades', coin });
        void request(this.o.fetch, { url: this.o.infoUrl(), method: 'POST', body }, this.o.clock).then((res) => {
          if (res.status === 429) return this.budget.rateLimit(res.retryAfterMs);
          if (!res.ok || this.stopped) return;
          this.o.onReply?.(res.body ?? '', body, this.o.clock.now());
          this.observeRecentTrades(res.body ?? '');
        });
      };
      attempt();
    }
  }

  /** A `recentTrades` reply: the same trade objects as the WebSocket's, `users` included. */
  private observeRecentTrades(body: string): void {
    let list: unknown;
    try {
      list = JSON.parse(body);
    } catch {
      return;
    }
    if (!Array.isArray(list)) return;
    for (const t of list as Record<string, unknown>[]) {
      const px = Number(t?.px);
      const sz = Number(t?.sz);
      const time = Number(t?.time);
      if (!(px > 0 && sz > 0 && time > 0) || !Array.isArray(t.users) || typeof t.coin !== 'string') continue;
      this.book.notePrice(t.coin, px, time);
      for (const w of t.users) if (isWallet(w)) this.wallets.observe(w.toLowerCase(), px * sz, time);
    }
  }

  /** Hyperliquid events: trades name their wallets (discovery) and, with mark prices, trace the price path. */
  observe(events: readonly MarketEvent[]): void {
    for (const e of events) {
      if (e.venue !== 'hyperliquid') continue;
      const coin = e.instrument.slice('hyperliquid:'.length);
      if (e.kind === 'trade') {
        this.book.notePrice(coin, e.price, e.exchangeTime);
        if (e.wallets) for (const w of e.wallets) this.wallets.observe(w, e.notionalUsd, e.exchangeTime);
      } else if (e.kind === 'markPrice') this.book.notePrice(coin, e.markPrice, e.exchangeTime);
    }
  }

  /** Record this minute's true book for every coin with a price. */
  sample(now: number): void {
    for (const coin of this.book.coins()) {
      const price = this.o.priceOf(coin);
      if (price) this.history.sample(coin, this.book, this.o.grid(), price, now);
    }
  }

  status(): PositionsStatus {
    return { ...this.scanner.status(), budget: this.budget.status() };
  }

  view(coin: string, price: number | undefined, openInterestCoins: number | undefined): PositionsView {
    const summary = this.book.summary(coin, price && openInterestCoins ? { coins: openInterestCoins, price } : undefined);
    const largest = price
      ? this.book.largestNear(coin, price, 0.1, 8).map((p) => ({
          wallet: shortWallet(p.wallet),
          side: p.side,
          usd: p.positionValue,
          leverage: p.leverage,
          margin: p.margin,
          liquidationPx: p.liquidationPx!,
          distance: p.distance,
          readAt: p.readAt,
        }))
      : [];
    const inferred = this.book.inferred(coin);
    const levels = price
      ? this.book
          .cells(coin, this.o.grid())
          .filter((c) => Math.abs(c.price / price - 1) <= 0.2)
          .map(({ price: p, long, short, wallets }) => ({ price: p, long, short, wallets }))
      : [];
    const grid = this.o.grid();
    const zones = price
      ? findZones(
          'positions',
          levels.map((l) => ({ cell: grid.cellOf(l.price), price: l.price, long: l.long, short: l.short, venues: ['hyperliquid'] })),
          price,
          grid,
          this.o.clock.now(),
          [],
          { withinFraction: 0.2 },
        )
      : [];
    return {
      ...summary,
      instrument: `hyperliquid:${coin}`,
      ...(price ? { price } : {}),
      largest,
      inferred: { count: inferred.length, usd: inferred.reduce((s, l) => s + l.usd, 0) },
      levels,
      zones,
    };
  }
}
