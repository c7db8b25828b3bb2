/**
 * The worker core: everything the service worker does, as plain TypeScript on ports
 * (lib/worker/ports.ts). It owns the market engine, the feed manager, backfill, alerts, the
 * persistence schedule, the settings writes and the snapshots; the background entrypoint only builds
 * the ports from browser APIs and routes messages here.
 *
 *   sockets ─▶ FeedManager ─▶ parse ─▶ MarketEngine ─▶ snapshot() ─▶ listeners (popup, overlays)
 *   fetch   ─▶ pollers, backfill ─┘          │   realized liquidations ─▶ pushed within a frame
 *                                            ├─▶ AlertEngine ─▶ notify
 *   Hyperliquid trades ─▶ PositionsTracker (wallets → scanner within the host's budget → true book)
 *   tick(now) every 5 s: model steps, saves (session, history database, positions), zone alerts
 *   changeSettings(patch) ─▶ validate ─▶ merge into stored ─▶ write ─▶ apply
 *
 * One writer for settings, one clock for every timer, one function (`restoreEngine`) for the state a
 * restarted worker resumes from.
 */
import { AlertEngine, DEFAULT_ALERTS } from '../alerts';
import type { FiredAlert, RealizedLiquidation } from '../contract/market';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { coinOf } from '../exchanges/specs';
import { isRecord } from '../exchanges/parse-util';
import type { InstrumentSpec, MarketEvent, VenueId } from '../exchanges/types';
import { backfillSince } from '../model/backfill';
import { MarketEngine, type EngineSnapshot } from '../model/engine';
import { encodeHeatmap, heatmapRequestError, type WireHeatmap } from '../contract/heatmap-wire';
import { COARSE_CAPACITY, COARSE_PERIOD_MS } from '../model/history';
import { buildMarketView, viewBounds } from '../model/market-view';
import { viewRequestError, type MarketViewReply, type ViewRequest } from '../contract/view';
import { positionsMarketView } from '../positions/market-view';
import type { ModelParams } from '../model/params';
import {
  liquidationsOfCoin,
  snapshotForCoin,
  SNAPSHOT_PUSH_INTERVAL_MS,
  TAB_SNAPSHOT_INTERVAL_MS,
  type LiqSnapshot,
} from '../contract/snapshot';
import { backfillTargets, runBackfill } from '../net/backfill-runner';
import type { BackfillProgress, FollowState, FollowStatus, VenueHealth } from '../contract/health';
import { FeedManager, type SpecCache, type VenueFeedConfig } from '../net/feed-manager';
import { hostOf } from '../net/rest-poller';
import { FrameRecorder } from '../recording';
import { PositionsTracker } from '../positions/tracker';
import { calibrateCoin } from '../positions/calibration';
import type { CoinCalibration } from '../contract/positions';
import { TrueBook } from '../positions/true-book';
import { WalletTable } from '../positions/wallets';
import { venueInfo } from '../exchanges/catalog';
import {
  applySettingsPatch,
  FOLLOW_PER_VENUE,
  HYPERLIQUID_WEIGHT_PER_MINUTE,
  sanitizeSettings,
  venueFeedConfigs,
  type Settings,
} from '../settings';
import { CoinFollower } from './coin-follow';
import { getVenue } from '../exchanges';
import { throttle, type Throttled } from '../throttle';
import { WeightBudget } from '../net/weight-budget';
import { RealizedJournal } from './realized-journal';
import type { HistoryDatabase, ListenerId, WorkerPorts } from './ports';
import { parseTarget, targetCovers, targetOfShorthand } from '../contract/target';

/** The core's heartbeat; every periodic job below is a multiple of it. */
export const TICK_MS = 5_000;
/** Quiet markets still close model steps and write their minute columns. */
const ADVANCE_EVERY_MS = 5_000;
/**
 * The engine snapshot in session storage (when it changed: on a live market, always). Its
 * conversion into the storage format is a sizeable write (traced at ~15 ms a save on a liquidation
 * burst); a worker stopped between two saves loses at most this much of the estimate's input, while
 * realized liquidations are journaled apart within REALIZED_SAVE_MS.
 */
const ENGINE_SAVE_EVERY_MS = 15_000;
/** Heatmap history in the database: a browser closed between two saves loses at most this. */
const HISTORY_SAVE_EVERY_MS = 15_000;
const ZONE_CHECK_EVERY_MS = 10_000;
/**
 * Realized liquidations are journaled within this, so a worker stopped between engine snapshots
 * keeps them (restart.e2e stops it 400 ms after one): each write is the chunk being filled, at most
 * 50 entries, however fast they arrive. (A second instead saved nothing measurable on a burst.)
 */
const REALIZED_SAVE_MS = 200;
/**
 * Realized liquidations reach listeners within this (one animation frame), batched, instead of
 * waiting for the next snapshot (up to 250 ms): a liquidation is news, the estimate is not.
 */
const REALIZED_BATCH_MS = 16;
/** How long backfill may run; what is not fetched by then is skipped and live data resumes. */
const BACKFILL_BUDGET_MS = 30_000;
const MAX_NOTICES = 5;
/** Discovered wallets (local) and the true book (session) are saved this often when they changed. */
const POSITIONS_SAVE_EVERY_MS = 60_000;

/** Storage keys (session: engine state; local: caches and alert history). */
export const KEYS = {
  engine: 'engine',
  realized: 'realized',
  startedAt: 'workerStartedAt',
  alertHistory: 'alertHistory',
  wallets: 'positions:wallets',
  trueBook: 'positions:book',
  specs: (venue: VenueId) => `specs:${venue}`,
} as const;

export type SettingsResult = { settings: Settings } | { error: string };

export class WorkerCore {
  readonly feeds: FeedManager;
  /** Counters a user never sees; tests and the bench read them. */
  readonly stats = { snapshotsBuilt: 0 };
  private engine = new MarketEngine();
  /** Raw frames for Options → Recording, kept only while the user has recording on. */
  private recorder: FrameRecorder | null = null;
  private readonly alerts = new AlertEngine(DEFAULT_ALERTS);
  private readonly clock: Clock;
  private settings: Settings | null = null;
  private appliedKey = '';
  private feedsKey = '';
  private customSitesKey: string | null = null;
  private notices: string[] = [];
  private backfill: BackfillProgress = { state: 'idle', total: 0, done: 0, failed: [] };
  /** Backfill runs and their progress (one at start, one more per coin followed meanwhile). */
  private readonly backfillRuns = new Map<AbortController, BackfillProgress>();
  /** Instruments a backfill run is fetching, and which run. */
  private readonly backfilling = new Map<string, AbortController>();
  /** The settings' own feeds, last applied: a change there (an endpoint, a symbol) restarts backfill. */
  private baseFeedsKey = '';
  /** Coins followed for open pages (lib/worker/coin-follow.ts), and the last plan's outcome. */
  private readonly follower = new CoinFollower();
  private followState: FollowState = { followed: [], capped: [], unlisted: [] };
  private history: HistoryDatabase | null = null;
  private historySavedUpTo = 0;
  private historySaving = false;
  /** The newest minute column each instrument's last periodic save wrote: no new column, nothing to write. */
  private historySavedColumn = new Map<string, number | undefined>();
  private savedRevision = -1;
  private readonly listeners = new Set<ListenerId>();
  /** Pushes to the popup (≤ 4 Hz) and to chart tabs (≤ 1 Hz), each with its trailing run. */
  private readonly push: Throttled;
  private readonly pushTabs: Throttled;
  private started = false;
  private stopped = false;
  private tickTimer: TimerHandle | null = null;
  /** Realized liquidations since the last engine snapshot, appended to session storage. */
  private journal!: RealizedJournal;
  private realizedOutbox: RealizedLiquidation[] = [];
  private realizedPushTimer: TimerHandle | null = null;
  private due = { advance: 0, engineSave: 0, historySave: 0, zones: 0, positionsSave: 0 };
  /** Real positions (Hyperliquid), while Hyperliquid streams and positions are on. */
  private positions: PositionsTracker | null = null;
  private restoredPositions: { wallets: WalletTable; book: TrueBook } | null = null;
  private positionsSaved = { wallets: -1, book: -1 };
  /**
   * Hyperliquid's per-IP request budget, for everything LiqLens asks of that host (instrument list,
   * margin tables, position readings): a share of 1 200 weight a minute, set in Options.
   */
  private hyperliquidBudget: WeightBudget | null = null;
  /** The estimate measured against the true book, per Hyperliquid coin: refreshed with each positions save. */
  private calibrations: CoinCalibration[] = [];
  private calibratedAt = -Infinity;
  /** Settings writes run one after another, each on the value the previous one stored. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly ports: WorkerPorts) {
    this.clock = ports.clock;
    this.push = throttle(() => this.publish('page'), SNAPSHOT_PUSH_INTERVAL_MS, this.clock);
    this.pushTabs = throttle(() => this.publish('tabs'), TAB_SNAPSHOT_INTERVAL_MS, this.clock);
    const specCache: SpecCache = {
      load: async (venue) => validSpecEntry(await ports.local.get(KEYS.specs(venue))),
      save: (venue, entry) => ports.local.set(KEYS.specs(venue), entry),
    };
    this.feeds = new FeedManager({
      createSocket: ports.socket,
      fetch: ports.fetch,
      clock: this.clock,
      specCache,
      onEvents: (events) => this.onEvents(events),
      onRawFrame: (venue, frame, t, rest, request) => this.recorder?.add(venue, frame, t, rest, request),
      onMarginTiers: (instrument, tiers) => this.engine.levels.setLimits(instrument, { tiers }),
      onSpecs: (venue, specs) => {
        for (const spec of specs)
          if (spec.maxLeverage) this.engine.levels.setLimits(`${venue}:${spec.symbol}`, { maxLeverage: spec.maxLeverage });
      },
      onHealthChange: () => this.changed(),
      tradesOf: (instrument) => this.engine.tradesOf(instrument),
      staleCheckedOnTick: true, // tick() runs feeds.tick() every TICK_MS (5 s)
      budgetFor: (url) => (this.hyperliquidBudget && hostOf(url) === this.hyperliquidBudget.host ? this.hyperliquidBudget : undefined),
    });
  }

  /**
   * Resume: the engine from session storage, history from the database, then the settings (read
   * last, so a change made while this ran is not missed), feeds and the tick.
   */
  async start(): Promise<void> {
    const { clock, session } = this.ports;
    session.set(KEYS.startedAt, clock.now()).catch((err) => this.log('could not note the start time', err));
    const initial = await this.ports.settings.load();
    // Restore before connecting, so events from the new sockets land on top of the restored state.
    this.journal = new RealizedJournal(session, clock, REALIZED_SAVE_MS, (m, e) => this.log(m, e));
    this.engine = await restoreEngine(session, initial.model, (m, e) => this.log(m, e), this.journal);
    await this.openHistory();
    await this.loadAlertHistory();
    await this.loadPositions();
    if (this.stopped) return;
    const now = clock.now();
    this.due = {
      advance: now + ADVANCE_EVERY_MS,
      engineSave: now + ENGINE_SAVE_EVERY_MS,
      historySave: now + HISTORY_SAVE_EVERY_MS,
      zones: now + ZONE_CHECK_EVERY_MS,
      positionsSave: now + POSITIONS_SAVE_EVERY_MS,
    };
    this.historySavedUpTo = now - HISTORY_SAVE_EVERY_MS;
    this.tickTimer = clock.setInterval(() => this.tick(clock.now()), TICK_MS);
    this.started = true;
    this.apply(await this.ports.settings.load());
  }

  /** Stop everything (tests; a worker is simply killed). */
  stop(): void {
    this.stopped = true;
    this.feeds.stopAll();
    this.positions?.stop();
    for (const run of this.backfillRuns.keys()) run.abort();
    this.push.cancel();
    this.pushTabs.cancel();
    this.clock.clearInterval(this.tickTimer);
    this.journal?.flush();
    this.journal?.stop();
    this.clock.clearTimeout(this.realizedPushTimer);
  }

  /**
   * Run these settings: feeds, model parameters, alerts, custom sites. Called after every write
   * and by the storage watch (for writes from outside, e.g. a settings migration); unchanged
   * settings are a no-op, and so is anything before start-up finished (it reads them itself).
   */
  apply(settings: Settings): void {
    if (!this.started || this.stopped) return;
    const key = JSON.stringify(settings);
    if (key === this.appliedKey) return;
    this.appliedKey = key;
    this.settings = settings;
    this.alerts.configure(settings.alerts);
    // Off: the buffer goes (its frames are memory the user did not ask for); on: a fresh one fills.
    if (settings.recording.enabled) this.recorder ??= new FrameRecorder();
    else this.recorder = null;
    if (this.engine.setParams(settings.model)) {
      void this.history?.clear().catch((err) => this.notice(`Could not clear heatmap history: ${errorText(err)}`));
      this.notice('Model parameters changed: the estimated heatmap was rebuilt and its history reloads from the venues.');
      this.feedsKey = ''; // the new books need their history again
    }
    const sitesKey = JSON.stringify(settings.overlay.customSites);
    if (sitesKey !== this.customSitesKey) {
      this.customSitesKey = sitesKey;
      this.ports
        .syncCustomSites(settings)
        .then((missing) => missing.length && this.notice(`No permission for ${missing.join(', ')}: grant it under Options → Sites.`))
        .catch((err) => this.notice(`Custom sites could not be registered: ${errorText(err)}`));
    }
    this.syncHyperliquidBudget(settings);
    this.syncFeeds();
    this.syncPositions(settings);
    this.changed();
  }

  private hyperliquidInfoUrl(): string {
    return `${(this.settings?.venues.hyperliquid?.endpoints.rest || venueInfo('hyperliquid')!.defaultEndpoints.rest).replace(/\/+$/, '')}/info`;
  }

  /** One budget for the Hyperliquid REST host (its endpoint may be overridden); its limit follows the settings. */
  private syncHyperliquidBudget(settings: Settings): void {
    const host = hostOf(this.hyperliquidInfoUrl());
    const limit = Math.floor(HYPERLIQUID_WEIGHT_PER_MINUTE * settings.positions.budgetShare);
    if (this.hyperliquidBudget && this.hyperliquidBudget.host === host) return this.hyperliquidBudget.setLimit(limit);
    this.hyperliquidBudget = new WeightBudget(host, limit, this.clock);
    // A tracker on the old host stops; syncPositions starts one on this budget.
    this.positions?.stop();
    this.positions = null;
  }

  /** Read real positions while Hyperliquid streams and the reader is on; its budget follows the settings. */
  private syncPositions(settings: Settings): void {
    const wanted = settings.positions.enabled && settings.venues.hyperliquid?.enabled === true;
    if (!wanted) {
      this.positions?.stop();
      this.positions = null;
      return;
    }
    const budget = Math.floor(HYPERLIQUID_WEIGHT_PER_MINUTE * settings.positions.budgetShare);
    if (this.positions) return;
    const restored = this.restoredPositions ?? { wallets: new WalletTable(), book: new TrueBook() };
    this.positions = new PositionsTracker({
      fetch: this.ports.fetch,
      clock: this.clock,
      infoUrl: () => this.hyperliquidInfoUrl(),
      budgetPerMinute: budget,
      budget: this.hyperliquidBudget ?? undefined,
      priceOf: (coin) => {
        const s = this.engine.instrumentStats()[`hyperliquid:${coin}`];
        return s?.lastMarkPrice ?? s?.lastTradePrice;
      },
      grid: () => this.engine.levels.grid,
      wallets: restored.wallets,
      book: restored.book,
      onReply: (body, request, t) => this.recorder?.add('hyperliquid', body, t, '/info', request),
      onInferred: () => this.changed(),
    });
    this.positions.start();
    this.positions.discoverRecent(settings.venues.hyperliquid?.symbols ?? []);
  }

  /**
   * The feeds for the settings plus the coins followed for open pages (lib/worker/coin-follow.ts);
   * a change reaches the venues as live subscribes and unsubscribes.
   */
  private syncFeeds(): void {
    const settings = this.settings;
    if (!settings) return;
    const base = venueFeedConfigs(settings);
    const baseKey = JSON.stringify(base);
    if (baseKey !== this.baseFeedsKey) {
      // Runs for the old settings fetch from old endpoints (or for symbols gone): the new ones start
      // over, and what the old ones failed at no longer applies (a venue turned off is not "failed").
      this.baseFeedsKey = baseKey;
      for (const run of this.backfillRuns.keys()) run.abort();
      this.backfillRuns.clear();
      this.backfilling.clear();
      this.backfill = { state: 'idle', total: 0, done: 0, failed: [] };
    }
    const plan = this.follower.plan(
      base,
      (venue) => this.feeds.specs(venue),
      {
        enabled: settings.follow.enabled,
        graceMs: settings.follow.graceMinutes * 60_000,
        perVenue: (venue) => Math.min(FOLLOW_PER_VENUE, getVenue(venue)?.maxSymbolsPerConnection ?? FOLLOW_PER_VENUE),
      },
      this.clock.now(),
    );
    const changed = JSON.stringify([plan.followed, plan.capped, plan.unlisted]) !== JSON.stringify(this.followState);
    this.followState = { followed: plan.followed, capped: plan.capped, unlisted: plan.unlisted };
    const feedsKey = JSON.stringify(plan.configs);
    if (feedsKey !== this.feedsKey) {
      this.feedsKey = feedsKey;
      this.startFeeds(plan.configs);
    }
    if (changed) this.changed();
  }

  private startFeeds(configs: VenueFeedConfig[]): void {
    // Live feeds start at once. Instruments whose history is missing or stale are backfilled from the
    // venues' REST meanwhile; their live events wait in the level model until that is done, so the
    // model sees time in order. A run already fetching an instrument keeps it: a coin followed while
    // the first day loads gets a run of its own beside it.
    const now = this.clock.now();
    const since = (instrument: string) => backfillSince(this.engine.levels.history(instrument)?.minutes.lastTime(), now);
    const targets = backfillTargets(configs, since).filter((i) => !this.backfilling.has(i));
    const controller = new AbortController();
    for (const instrument of targets) {
      this.engine.levels.hold(instrument);
      this.backfilling.set(instrument, controller);
    }
    this.feeds.configure(configs);
    if (!targets.length) return;
    const levels = () => this.engine.levels;
    const budget = this.clock.setTimeout(() => controller.abort(), BACKFILL_BUDGET_MS);
    this.backfillRuns.set(controller, { state: 'running', total: targets.length, done: 0, failed: [] });
    void runBackfill({
      fetch: this.ports.fetch,
      clock: this.clock,
      configs,
      since: (instrument) => (targets.includes(instrument) ? since(instrument) : undefined),
      // Backfill feeds the estimate only: realized figures stay what the venues reported live.
      onEvents: (events) => levels().ingestBackfill(events),
      specOf: (venue, symbol) => this.feeds.specOf(venue, symbol),
      onInstrumentDone: (instrument) => {
        if (this.backfilling.has(instrument) && this.backfilling.get(instrument) !== controller) return; // a newer run's now
        levels().release(instrument);
        // The backfilled day is older than what the periodic save looks at: save it whole now.
        void this.saveHistoryOf(instrument, 0);
      },
      onProgress: (p) => {
        if (controller.signal.aborted && !this.backfillRuns.has(controller)) return; // superseded by new settings
        this.backfillRuns.set(controller, p);
        this.backfill = combinedProgress([...this.backfillRuns.values()]);
        this.changed();
      },
      signal: controller.signal,
    })
      .catch((err) => this.notice(`Backfill failed: ${errorText(err)}`))
      .finally(() => {
        this.clock.clearTimeout(budget);
        // Only what this run still owns: an instrument a newer run took over stays held for it.
        for (const instrument of targets) {
          if (this.backfilling.get(instrument) !== controller && this.backfilling.has(instrument)) continue;
          levels().release(instrument);
          this.backfilling.delete(instrument);
        }
        // The figures of finished runs stay until every run is done, so the progress never goes back.
        if ([...this.backfillRuns.values()].every((p) => p.state === 'done')) this.backfillRuns.clear();
      });
  }

  /** The user asks again for history that failed (a venue that was down, a region block lifted). */
  retryBackfill(): void {
    if (this.backfillRuns.size && [...this.backfillRuns.values()].some((p) => p.state === 'running')) return;
    this.backfillRuns.clear();
    this.backfilling.clear();
    this.feedsKey = ''; // startFeeds again: the instruments still without history are fetched
    this.syncFeeds();
  }

  // ─── Following the page's coin ───────────────────────────────────────────────────────────────

  /**
   * A chart page's overlay or the popup shows `coin` (or nothing): follow it while it is shown and a
   * grace period after, if no enabled venue streams it. Answers what LiqLens does for that coin.
   */
  watchCoin(viewer: string, request: unknown): FollowStatus | { error: string } {
    const coin = isRecord(request) ? request.coin : undefined;
    if (coin !== null && (typeof coin !== 'string' || !COIN.test(coin)))
      return { error: 'watchCoin wants { coin: "BTC" } or { coin: null }' };
    this.follower.watch(viewer, coin, this.clock.now());
    this.syncFeeds();
    return this.followStatus(coin);
  }

  private followStatus(coin: string | null): FollowStatus {
    const s = this.followState;
    return {
      coin,
      followed: coin ? (s.followed.find((f) => f.coin === coin)?.instruments ?? []) : [],
      capped: coin ? (s.capped.find((c) => c.coin === coin)?.venues ?? []) : [],
      unlisted: coin !== null && s.unlisted.includes(coin),
    };
  }

  /** Pin a followed coin: its instruments become the venues' symbols in the settings (one click in the popup). */
  pinCoin(request: unknown): Promise<SettingsResult> {
    const coin = isRecord(request) ? request.coin : undefined;
    const followed = this.followState.followed.find((f) => f.coin === coin);
    if (!followed) return Promise.resolve({ error: `${String(coin)} is not followed for an open page: nothing to pin` });
    return this.write((stored) => {
      const venues: Record<string, { symbols: string[] }> = {};
      for (const instrument of followed.instruments) {
        const [venue, symbol] = instrument.split(/:(.*)/) as [VenueId, string];
        const symbols = venues[venue]?.symbols ?? [...(stored.venues[venue]?.symbols ?? [])];
        if (!symbols.includes(symbol)) symbols.push(symbol);
        venues[venue] = { symbols };
      }
      return applySettingsPatch(stored, { venues });
    });
  }

  // ─── Settings: the one writer ────────────────────────────────────────────────────────────────

  /** Merge a UI's patch into the stored settings, validate, write, apply. Nothing is written on error. */
  changeSettings(patch: unknown): Promise<SettingsResult> {
    return this.write((stored) => applySettingsPatch(stored, patch));
  }

  /** Replace the settings whole (Options → import, reset to defaults), validated the same way. */
  replaceSettings(raw: unknown): Promise<SettingsResult> {
    return this.write(() => {
      const { settings, problems } = sanitizeSettings(raw);
      return problems.length ? { error: `not saved: ${problems.join('; ')}` } : { settings };
    });
  }

  /** The keyboard command: overlay off everywhere, or back on. Resolves the new state. */
  async toggleOverlay(): Promise<boolean> {
    const result = await this.write((stored) => applySettingsPatch(stored, { overlay: { enabled: !stored.overlay.enabled } }));
    if ('error' in result) throw new Error(result.error);
    return result.settings.overlay.enabled;
  }

  private write(change: (stored: Settings) => SettingsResult): Promise<SettingsResult> {
    const run = this.writes.then(async (): Promise<SettingsResult> => {
      try {
        const result = change(await this.ports.settings.load());
        if ('error' in result) return result;
        await this.ports.settings.save(result.settings);
        this.apply(result.settings);
        return result;
      } catch (err) {
        return { error: `Could not save settings: ${errorText(err)}` };
      }
    });
    this.writes = run;
    return run;
  }

  // ─── Time ────────────────────────────────────────────────────────────────────────────────────

  /** Everything periodic, in one place: model steps, saves and zone alerts, each when it is due. */
  tick(now: number): void {
    // Every tick: silent sockets (no watchdog timer per connection) and parked polls.
    this.feeds.tick();
    if (now >= this.due.advance) {
      this.due.advance = now + ADVANCE_EVERY_MS;
      this.engine.advance(now);
      this.positions?.sample(now);
      // Followed coins whose grace ran out are dropped; coins waiting for an instrument list are added.
      // (Nothing to do when no page shows a coin and none is in its grace: settings changes sync at once.)
      if (!this.follower.idle || this.followState.followed.length) this.syncFeeds();
    }
    if (now >= this.due.engineSave) {
      this.due.engineSave = now + ENGINE_SAVE_EVERY_MS;
      this.saveEngine();
    }
    if (now >= this.due.historySave) {
      this.due.historySave = now + HISTORY_SAVE_EVERY_MS;
      void this.saveHistory(now);
    }
    if (now >= this.due.positionsSave) {
      this.due.positionsSave = now + POSITIONS_SAVE_EVERY_MS;
      this.savePositions();
      this.calibrate(now);
    }
    if (now >= this.due.zones) {
      this.due.zones = now + ZONE_CHECK_EVERY_MS;
      const levels = this.engine.levels;
      this.show(this.alerts.onZones((target) => levels.zones(targetOfShorthand(target), now), now));
    }
  }

  // ─── Events ──────────────────────────────────────────────────────────────────────────────────

  private onEvents(events: MarketEvent[]): void {
    const liquidations = this.engine.ingest(events);
    this.positions?.observe(events);
    if (liquidations.length) {
      this.journal.append(liquidations);
      this.show(this.alerts.onLiquidations(liquidations, this.clock.now()));
      if (this.listeners.size) this.queueRealized(liquidations);
    }
    this.changed();
  }

  private queueRealized(liquidations: readonly RealizedLiquidation[]): void {
    this.realizedOutbox.push(...liquidations);
    if (this.realizedPushTimer) return;
    this.realizedPushTimer = this.clock.setTimeout(() => {
      this.realizedPushTimer = null;
      const batch = this.realizedOutbox;
      this.realizedOutbox = [];
      const now = this.clock.now();
      for (const listener of this.listeners) {
        // A chart tab gets its coin's liquidations only: the others would re-render it for nothing.
        const coin = listener === 'page' ? undefined : this.follower.shownBy(listener, now);
        const mine = coin ? liquidationsOfCoin(batch, coin) : batch;
        if (!mine.length) continue;
        const drop = () => this.listeners.delete(listener);
        this.ports.pushRealized(mine, listener).then((more) => more || drop(), drop);
      }
    }, REALIZED_BATCH_MS);
  }

  private show(fired: FiredAlert[]): void {
    if (!fired.length) return;
    this.ports.local.set(KEYS.alertHistory, this.alerts.history.slice()).catch((err) => this.log('could not save alert history', err));
    const sound = this.settings?.alerts.sound ?? false;
    for (const alert of fired) {
      this.ports.notify(alert, { sound }).catch((err) => this.notice(`Alert "${alert.title}" could not be shown: ${errorText(err)}`));
    }
  }

  /** Something the user should know that is not a feed's state: shown in the popup (last five). */
  notice(message: string): void {
    this.log(message);
    this.notices.push(`${new Date(this.clock.now()).toLocaleTimeString()} ${message}`);
    if (this.notices.length > MAX_NOTICES) this.notices.shift();
    this.changed();
  }

  // ─── Snapshots: built only while someone listens ─────────────────────────────────────────────

  /** A listener asks: it is subscribed to pushes and gets the current snapshot (a chart tab, its share). */
  listen(listener: ListenerId): LiqSnapshot {
    this.listeners.add(listener);
    return this.shareOf(this.snapshot(), listener);
  }

  /** What `listener` is sent of `snapshot`: a chart tab that said which coin it shows gets that coin's share. */
  private shareOf(snapshot: LiqSnapshot, listener: ListenerId, byCoin = new Map<string, LiqSnapshot>()): LiqSnapshot {
    const coin = listener === 'page' ? undefined : this.follower.shownBy(listener, snapshot.generatedAt);
    if (!coin) return snapshot;
    let share = byCoin.get(coin);
    if (!share) byCoin.set(coin, (share = snapshotForCoin(snapshot, coin)));
    return share;
  }

  /** Whether anyone receives pushes (no listener: no snapshot is built at all). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  private changed(): void {
    if (!this.listeners.size) return;
    if (this.listeners.has('page')) this.push();
    if (this.listeners.size > (this.listeners.has('page') ? 1 : 0)) this.pushTabs();
  }

  private publish(to: 'page' | 'tabs'): void {
    const targets = [...this.listeners].filter((l) => (l === 'page') === (to === 'page'));
    if (!targets.length) return;
    const snapshot = this.snapshot();
    const byCoin = new Map<string, LiqSnapshot>(); // one share per coin, however many tabs show it
    for (const listener of targets) {
      const drop = () => this.listeners.delete(listener);
      this.ports.publish(this.shareOf(snapshot, listener, byCoin), listener).then((more) => more || drop(), drop);
    }
  }

  snapshot(): LiqSnapshot {
    const now = this.clock.now();
    this.stats.snapshotsBuilt += 1;
    return {
      generatedAt: now,
      revision: this.engine.revision,
      feeds: this.feeds.health(now),
      market: this.engine.view(100, now, this.settings?.display.aggregateVenues ?? true),
      notices: [...this.notices],
      backfill: { ...this.backfill, failed: [...this.backfill.failed] },
      follow: { followed: this.followState.followed, capped: this.followState.capped, unlisted: this.followState.unlisted },
      ...(this.positions ? { positions: this.positionsView() } : {}),
    };
  }

  /** Per Hyperliquid coin the engine has data for: the true book's summary, coverage and largest positions. */
  private positionsView(): NonNullable<LiqSnapshot['positions']> {
    const tracker = this.positions!;
    const coins = new Set(tracker.book.coins());
    const stats = this.engine.instrumentStats();
    for (const key of Object.keys(stats)) if (key.startsWith('hyperliquid:')) coins.add(key.slice('hyperliquid:'.length));
    return {
      status: tracker.status(),
      coins: [...coins].sort().map((coin) => {
        const s = stats[`hyperliquid:${coin}`];
        return tracker.view(coin, s?.lastMarkPrice ?? s?.lastTradePrice, s?.openInterest);
      }),
    };
  }

  // ─── Queries (answered for the UIs) ──────────────────────────────────────────────────────────

  health(): VenueHealth[] {
    return this.feeds.health();
  }

  view(request: unknown): MarketViewReply | { error: string } {
    const error = viewRequestError(request);
    if (error) return { error: `view request refused: ${error}` };
    const r = request as ViewRequest;
    if (r.kind === 'positions') {
      const p = this.positions;
      if (!p) return { error: 'Real positions are off: turn Hyperliquid and Options → Positions on.' };
      // Hyperliquid's own coin name (kPEPE stays kPEPE): the true book is keyed by it.
      const target = parseTarget(r.target);
      const coin = target?.kind === 'instrument' ? target.symbol : (target?.coin ?? r.target);
      const s = this.engine.instrumentStats()[`hyperliquid:${coin}`];
      const levels = this.engine.levels;
      const leverages = levels.params.leverage.map((l) => l.leverage);
      const price = s?.lastMarkPrice ?? s?.lastTradePrice ?? null;
      return positionsMarketView(r, coin, p.book, p.history, levels.grid, leverages, price, this.clock.now(), (from, to, at) =>
        viewBounds(levels, `hyperliquid:${coin}`, r.range, from, to, at, r.columns),
      );
    }
    const view = buildMarketView(this.engine.levels, request as Parameters<typeof buildMarketView>[1], this.clock.now());
    const tickSize = this.tickSizeOf(view.target);
    return tickSize ? { ...view, tickSize } : view;
  }

  /**
   * The price step a view is written in: its instrument's tick, or for a coin the finest tick of its
   * instruments (the precision a trader reads on the venue with the finest book). Undefined until
   * the venues' instrument lists have arrived.
   */
  private tickSizeOf(target: string): number | undefined {
    const ticks: number[] = [];
    const of = parseTarget(target);
    for (const key of Object.keys(this.engine.instrumentStats())) {
      const instrument = parseTarget(key);
      if (!of || instrument?.kind !== 'instrument' || !targetCovers(of, key)) continue;
      const tick = this.feeds.specOf(instrument.venue, instrument.symbol)?.tickSize;
      if (tick && tick > 0) ticks.push(tick);
    }
    return ticks.length ? Math.min(...ticks) : undefined;
  }

  heatmap(request: unknown): WireHeatmap | { error: string } {
    const error = heatmapRequestError(request);
    if (error) return { error: `heatmap request refused: ${error}` };
    const r = request as { target: string; from: number; to: number; columns: number; rows: number; low: number; high: number };
    const levels = this.engine.levels;
    return encodeHeatmap(levels.heatmap(r.target, r.from, r.to, r.columns, r.rows, r.low, r.high), levels.sweeps(r.target));
  }

  /** Every instrument the running venues list, and whether the settings follow it. */
  instruments(): { venue: VenueId; symbol: string; coin: string; followed: boolean }[] {
    return this.feeds.health().flatMap((h) =>
      this.feeds.specs(h.venue).map((s) => ({
        venue: h.venue,
        symbol: s.symbol,
        coin: coinOf(`${h.venue}:${s.symbol}`),
        followed: this.settings?.venues[h.venue]?.symbols.includes(s.symbol) ?? h.symbols.includes(s.symbol),
      })),
    );
  }

  alertHistory(): FiredAlert[] {
    return this.alerts.history;
  }

  /** The last 1–10 minutes of raw frames in the recording format (docs/recording.md). */
  exportRecording(minutes: unknown): { jsonl: string; frames: number } {
    // Validate: the minutes come from a UI, and a UI is code we do not fully control.
    const m = typeof minutes === 'number' && Number.isFinite(minutes) ? Math.min(10, Math.max(1, minutes)) : 5;
    const jsonl = this.recorder?.export(m, this.clock.now()) ?? '';
    return { jsonl, frames: jsonl ? jsonl.split('\n').length - 1 : 0 };
  }

  // ─── Persistence ─────────────────────────────────────────────────────────────────────────────

  private saveEngine(): void {
    if (this.engine.revision === this.savedRevision) return;
    this.savedRevision = this.engine.revision;
    // Without the recent liquidations (two thirds of it, rewritten every 5 s): the journal keeps
    // those, and restoreEngine merges them back.
    const snapshot = this.engine.toSnapshot({ withoutRecent: true });
    this.ports.session.set(KEYS.engine, snapshot).catch((err) => this.log('could not save engine state', err));
  }

  private async openHistory(): Promise<void> {
    try {
      const db = await this.ports.openHistory();
      const { histories } = await db.loadAll();
      for (const [instrument, history] of histories) this.engine.levels.attachHistory(instrument, history);
      this.history = db;
    } catch (err) {
      this.notice(`Heatmap history is not available: ${errorText(err)}`);
    }
  }

  /** The hours that changed since the last save, then drop what is older than the rings keep. */
  private async saveHistory(now: number): Promise<void> {
    if (!this.history || this.historySaving) return;
    const since = this.historySavedUpTo - HISTORY_SAVE_EVERY_MS;
    this.historySavedUpTo = now;
    this.historySaving = true;
    try {
      for (const instrument of this.engine.levels.instruments()) {
        // Columns are written once a minute; a save every 15 s would copy the same hour up to four
        // times (and the copies were most of an idle worker's garbage).
        const newest = this.engine.levels.history(instrument)?.minutes.lastTime();
        if (newest === undefined || this.historySavedColumn.get(instrument) === newest) continue;
        await this.saveHistoryOf(instrument, since, true);
        this.historySavedColumn.set(instrument, newest);
      }
      await this.history.pruneBefore(now - COARSE_CAPACITY * COARSE_PERIOD_MS);
    } catch (err) {
      this.notice(`Could not save heatmap history: ${errorText(err)}`);
    } finally {
      this.historySaving = false;
    }
  }

  private async saveHistoryOf(instrument: string, since: number, rethrow = false): Promise<void> {
    const history = this.engine.levels.history(instrument);
    if (!this.history || !history) return;
    try {
      await this.history.save(instrument, history, since);
    } catch (err) {
      if (rethrow) throw err;
      this.notice(`Could not save heatmap history: ${errorText(err)}`);
    }
  }

  private async loadPositions(): Promise<void> {
    try {
      const [wallets, book] = await Promise.all([this.ports.local.get(KEYS.wallets), this.ports.session.get(KEYS.trueBook)]);
      this.restoredPositions = { wallets: WalletTable.fromSnapshot(wallets), book: TrueBook.fromSnapshot(book) };
    } catch (err) {
      this.log('could not restore discovered wallets', err);
    }
  }

  /** Estimated vs true book for every Hyperliquid coin with positions read (cheap: no replay, see LevelEngine.cells). */
  private calibrate(now: number): void {
    const p = this.positions;
    this.calibrations = p ? p.book.coins().flatMap((coin) => calibrateCoin(this.engine.levels, p.book, coin, now) ?? []) : [];
    this.calibratedAt = now;
  }

  /** The calibration figures (Options → Model), at most 10 s old while someone asks for them. */
  calibration(): CoinCalibration[] {
    const now = this.clock.now();
    if (now - this.calibratedAt > 10_000) this.calibrate(now);
    return this.calibrations;
  }

  private savePositions(): void {
    const p = this.positions;
    if (!p) return;
    const walletsKey = p.wallets.size + p.status().readings;
    if (walletsKey !== this.positionsSaved.wallets) {
      this.positionsSaved.wallets = walletsKey;
      this.ports.local.set(KEYS.wallets, p.wallets.toSnapshot()).catch((err) => this.log('could not save discovered wallets', err));
    }
    if (p.book.revision !== this.positionsSaved.book) {
      this.positionsSaved.book = p.book.revision;
      this.ports.session.set(KEYS.trueBook, p.book.toSnapshot()).catch((err) => this.log('could not save positions', err));
    }
  }

  private async loadAlertHistory(): Promise<void> {
    try {
      const saved = await this.ports.local.get(KEYS.alertHistory);
      if (!Array.isArray(saved)) return;
      for (const a of saved) {
        if (isFiredAlert(a) && !this.alerts.history.some((h) => h.id === a.id)) this.alerts.history.push(a);
      }
    } catch (err) {
      this.log('could not read alert history', err);
    }
  }

  private log(message: string, error?: unknown): void {
    this.ports.log?.(message, error);
  }
}

/**
 * The engine a (re)started worker resumes with: the last snapshot from session storage, plus the
 * realized liquidations saved after it. Model options come from the engine's own construction path
 * (LevelEngine.modelOptions), so a restored instrument prices exactly like a new one.
 */
export async function restoreEngine(
  session: WorkerPorts['session'],
  params: ModelParams,
  log: (message: string, error?: unknown) => void = () => {},
  journal: RealizedJournal = new RealizedJournal(session, systemClock, 0, log),
): Promise<MarketEngine> {
  let engine: MarketEngine;
  try {
    const saved = (await session.get(KEYS.engine)) as EngineSnapshot | undefined | null;
    engine = saved ? MarketEngine.fromSnapshot(saved, { params }) : new MarketEngine({ params });
  } catch (err) {
    log('could not restore engine state, starting empty', err);
    engine = new MarketEngine({ params });
  }
  engine.mergeRealized(await journal.restore(isRealized));
  try {
    // Written whole by versions before the journal: merged once, then the journal carries on.
    const legacy = await session.get(KEYS.realized);
    if (Array.isArray(legacy)) engine.mergeRealized(legacy.filter(isRealized));
  } catch (err) {
    log('could not restore recent liquidations', err);
  }
  return engine;
}

function isRealized(l: unknown): l is RealizedLiquidation {
  const r = l as RealizedLiquidation;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.instrument === 'string' &&
    Number.isFinite(r.notionalUsd) &&
    Number.isFinite(r.receiveTime)
  );
}

function isFiredAlert(a: unknown): a is FiredAlert {
  const r = a as FiredAlert;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.title === 'string' && Number.isFinite(r.at);
}

function validSpecEntry(value: unknown): { at: number; specs: InstrumentSpec[] } | undefined {
  const v = value as { at?: unknown; specs?: unknown } | null | undefined;
  return v && typeof v.at === 'number' && Array.isArray(v.specs) ? (v as { at: number; specs: InstrumentSpec[] }) : undefined;
}

/** A coin as UIs name it: `BTC`, `PEPE`, `1000SATS` (already normalized by lib/sites/symbols). */
const COIN = /^[A-Z0-9]{1,20}$/;

function combinedProgress(runs: BackfillProgress[]): BackfillProgress {
  return {
    state: runs.some((r) => r.state === 'running') ? 'running' : 'done',
    total: runs.reduce((n, r) => n + r.total, 0),
    done: runs.reduce((n, r) => n + r.done, 0),
    failed: runs.flatMap((r) => r.failed),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
