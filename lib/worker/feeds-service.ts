/**
 * The feeds the worker runs: the settings' venues and symbols, plus the coins followed for open
 * pages (lib/worker/coin-follow.ts). A change reaches the venues as live subscribes and unsubscribes
 * on the open sockets; instruments new to the feeds get their day of backfill first.
 *
 *   settings ─┐
 *   watchCoin ┴▶ follow plan ─▶ FeedManager (sockets, polls, instrument lists) ─▶ events ─▶ onEvents
 *                             └▶ BackfillService (REST history, before the live events)
 */
import type { Clock } from '../clock';
import type { FollowState, FollowStatus, VenueHealth } from '../contract/health';
import { parseTarget, targetCovers } from '../contract/target';
import { getVenue } from '../exchanges';
import { isRecord } from '../exchanges/parse-util';
import { coinOf } from '../exchanges/specs';
import { t } from '../i18n';
import type { InstrumentSpec, MarginTier, MarketEvent, VenueId } from '../exchanges/types';
import type { MarketModel } from '../model';
import { FeedManager, type SpecCache } from '../net/feed-manager';
import type { WeightBudget } from '../net/weight-budget';
import { FOLLOW_PER_VENUE, venueFeedConfigs, type Settings } from '../settings';
import type { BackfillService } from './backfill-service';
import { CoinFollower } from './coin-follow';
import type { WorkerPorts } from './ports';

/** A coin as UIs name it: `BTC`, `PEPE`, `1000SATS` (already normalized by lib/sites/symbols). */
const COIN = /^[A-Z0-9]{1,20}$/;

export interface FeedsServiceOptions {
  ports: Pick<WorkerPorts, 'socket' | 'fetch'> & { clock: Clock };
  specCache: SpecCache;
  model(): MarketModel;
  backfill: BackfillService;
  onEvents(events: MarketEvent[]): void;
  /** Raw frames and REST bodies for Options → Recording, while it is on. */
  onRawFrame(venue: VenueId, frame: string, t: number, restPath?: string, requestBody?: string): void;
  /** The weight budget of a REST host, where LiqLens keeps one (Hyperliquid's). */
  budgetFor(url: string): WeightBudget | undefined;
  changed(): void;
}

export class FeedsService {
  readonly manager: FeedManager;
  private readonly follower = new CoinFollower();
  private followState: FollowState = { followed: [], capped: [], unlisted: [] };
  private settings: Settings | null = null;
  /** What was last configured: an unchanged plan touches no socket. */
  private feedsKey = '';
  /** The settings' own feeds, last applied: a change there (an endpoint, a symbol) restarts backfill. */
  private baseFeedsKey = '';

  constructor(private readonly o: FeedsServiceOptions) {
    const model = () => o.model();
    this.manager = new FeedManager({
      createSocket: o.ports.socket,
      fetch: o.ports.fetch,
      clock: o.ports.clock,
      specCache: o.specCache,
      onEvents: o.onEvents,
      onRawFrame: o.onRawFrame,
      // What each instrument's venue allows reaches the model: no level beyond its maximum leverage.
      onMarginTiers: (instrument, tiers: MarginTier[]) => model().setLimits(instrument, { tiers }),
      onSpecs: (venue, specs) => {
        for (const spec of specs) if (spec.maxLeverage) model().setLimits(`${venue}:${spec.symbol}`, { maxLeverage: spec.maxLeverage });
      },
      onHealthChange: o.changed,
      tradesOf: (instrument) => model().tradesOf(instrument),
      staleCheckedOnTick: true, // tick() runs manager.tick() on the core's tick
      budgetFor: o.budgetFor,
    });
  }

  /** Run these settings' feeds (and the followed coins'). */
  apply(settings: Settings): void {
    this.settings = settings;
    this.sync();
  }

  /** New model parameters: the new books need their history again, so the plan is applied afresh. */
  restart(): void {
    this.feedsKey = '';
  }

  /** Every tick: silent sockets and parked polls; every model step, followed coins whose grace ran out. */
  tick(stepDue: boolean): void {
    this.manager.tick();
    // (Nothing to do when no page shows a coin and none is in its grace: settings changes sync at once.)
    if (stepDue && (!this.follower.idle || this.followState.followed.length)) this.sync();
  }

  get follow(): FollowState {
    return this.followState;
  }

  /** The coin a viewer shows, while it keeps saying so. */
  shownBy(viewer: string, now: number): string | undefined {
    return this.follower.shownBy(viewer, now);
  }

  /**
   * A chart page's overlay or the popup shows `coin` (or nothing): follow it while it is shown and a
   * grace period after, if no enabled venue streams it. Answers what LiqLens does for that coin.
   */
  watchCoin(viewer: string, request: unknown): FollowStatus | { error: string } {
    const coin = isRecord(request) ? request.coin : undefined;
    if (coin !== null && (typeof coin !== 'string' || !COIN.test(coin))) return { error: t('coinInvalid') };
    this.follower.watch(viewer, coin, this.o.ports.clock.now());
    this.sync();
    const s = this.followState;
    return {
      coin,
      followed: coin ? (s.followed.find((f) => f.coin === coin)?.instruments ?? []) : [],
      capped: coin ? (s.capped.find((c) => c.coin === coin)?.venues ?? []) : [],
      unlisted: coin !== null && s.unlisted.includes(coin),
    };
  }

  /** The instruments followed for an open page's `coin`, if it is followed. */
  followedInstruments(coin: unknown): string[] | undefined {
    return this.followState.followed.find((f) => f.coin === coin)?.instruments;
  }

  /** The user asks again for history that failed (a venue that was down, a region block lifted). */
  retryBackfill(): void {
    if (this.o.backfill.running) return;
    this.o.backfill.forgetFinished();
    this.feedsKey = ''; // configure again: the instruments still without history are fetched
    this.sync();
  }

  health(now?: number): VenueHealth[] {
    return this.manager.health(now);
  }

  specOf(venue: VenueId, symbol: string): InstrumentSpec | undefined {
    return this.manager.specOf(venue, symbol);
  }

  /** Every instrument the running venues list, and whether the settings follow it. */
  instruments(): { venue: VenueId; symbol: string; coin: string; followed: boolean }[] {
    return this.manager.health().flatMap((h) =>
      this.manager.specs(h.venue).map((s) => ({
        venue: h.venue,
        symbol: s.symbol,
        coin: coinOf(`${h.venue}:${s.symbol}`),
        followed: this.settings?.venues[h.venue]?.symbols.includes(s.symbol) ?? h.symbols.includes(s.symbol),
      })),
    );
  }

  /**
   * The price step a view is written in: its instrument's tick, or for a coin the finest tick of its
   * instruments (the precision a trader reads on the venue with the finest book). Undefined until
   * the venues' instrument lists have arrived.
   */
  tickSizeOf(target: string, instruments: readonly string[]): number | undefined {
    const of = parseTarget(target);
    let finest: number | undefined;
    for (const key of instruments) {
      const instrument = parseTarget(key);
      if (!of || instrument?.kind !== 'instrument' || !targetCovers(of, key)) continue;
      const tick = this.manager.specOf(instrument.venue, instrument.symbol)?.tickSize;
      if (tick && tick > 0 && (finest === undefined || tick < finest)) finest = tick;
    }
    return finest;
  }

  stop(): void {
    this.manager.stopAll();
  }

  /** The settings' feeds plus the followed coins', applied as the difference from what runs. */
  private sync(): void {
    const settings = this.settings;
    if (!settings) return;
    const base = venueFeedConfigs(settings);
    const baseKey = JSON.stringify(base);
    if (baseKey !== this.baseFeedsKey) {
      this.baseFeedsKey = baseKey;
      this.o.backfill.reset();
    }
    const plan = this.follower.plan(
      base,
      (venue) => this.manager.specs(venue),
      {
        enabled: settings.follow.enabled,
        graceMs: settings.follow.graceMinutes * 60_000,
        perVenue: (venue) => Math.min(FOLLOW_PER_VENUE, getVenue(venue)?.maxSymbolsPerConnection ?? FOLLOW_PER_VENUE),
      },
      this.o.ports.clock.now(),
    );
    const next: FollowState = { followed: plan.followed, capped: plan.capped, unlisted: plan.unlisted };
    const changed = JSON.stringify(next) !== JSON.stringify(this.followState);
    this.followState = next;
    const feedsKey = JSON.stringify(plan.configs);
    if (feedsKey !== this.feedsKey) {
      this.feedsKey = feedsKey;
      // Backfill first: the new instruments' live events wait in the model until their day is in.
      this.o.backfill.start(plan.configs);
      this.manager.configure(plan.configs);
    }
    if (changed) this.o.changed();
  }
}
