/**
 * The worker core: everything the service worker does, composed from small services on ports
 * (lib/worker/ports.ts). The background entrypoint only builds the ports from browser APIs and routes
 * messages here. It reads like the data flow:
 *
 *   FeedsService (sockets, polls, follow, backfill) ─ events ─▶ MarketModel ─▶ Publisher ─▶ listeners
 *                                                       │            │ new realized ─▶ journal · AlertsService
 *                                                       └▶ PositionsService (Hyperliquid wallets → true book)
 *   SettingsWriter: patch ─▶ validate ─▶ merge into stored ─▶ write ─▶ apply (every service)
 *   tick(now) every 5 s: model steps, silent sockets, saves (Persistence), zone alerts, positions
 *
 * One writer for settings, one clock for every timer, one model behind one front door.
 */
import type { Clock, TimerHandle } from '../clock';
import type { FiredAlert, MyPositionView } from '../contract/market';
import type { CoinCalibration } from '../contract/positions';
import type { LiqSnapshot } from '../contract/snapshot';
import type { FollowStatus, VenueHealth } from '../contract/health';
import type { WireHeatmap } from '../contract/heatmap-wire';
import { viewRequestError, type MarketViewReply, type ViewRequest } from '../contract/view';
import { errorText } from '../error-text';
import type { MarketEvent } from '../exchanges/types';
import { formatList, t } from '../i18n';
import { MarketModel } from '../model';
import { FrameRecorder } from '../net/recording';
import type { Settings } from '../settings';
import { runTimeOverlayPatterns } from '../sites';
import { AlertsService, ZONE_CHECK_EVERY_MS } from './alerts-service';
import { BackfillService } from './backfill-service';
import { FeedsService } from './feeds-service';
import { HISTORY_SAVE_EVERY_MS, Persistence } from './persistence';
import type { ListenerId, WorkerPorts } from './ports';
import { POSITIONS_SAVE_EVERY_MS, PositionsService } from './positions-service';
import { Publisher } from './publisher';
import { SettingsWriter, type SettingsResult } from './settings-writer';

/** The core's heartbeat; every periodic job below is a multiple of it. */
export const TICK_MS = 5_000;
/** Quiet markets still close model steps and write their minute columns. */
const STEP_EVERY_MS = 5_000;
/**
 * The model snapshot in session storage (when it changed: on a live market, always). Its conversion
 * into the storage format is a sizeable write (traced at ~15 ms a save on a liquidation burst); a
 * worker stopped between two saves loses at most this much of the estimate's input, while realized
 * liquidations are journaled apart within REALIZED_SAVE_MS.
 */
const MODEL_SAVE_EVERY_MS = 15_000;
const MAX_NOTICES = 5;

export class WorkerCore {
  private model = new MarketModel();
  private readonly clock: Clock;
  private readonly persistence: Persistence;
  private readonly writer: SettingsWriter;
  private readonly backfill: BackfillService;
  private readonly feeds: FeedsService;
  private readonly positions: PositionsService;
  private readonly alerts: AlertsService;
  private readonly publisher: Publisher;
  /** Raw frames for Options → Recording, kept only while the user has recording on. */
  private recorder: FrameRecorder | null = null;
  private settings: Settings | null = null;
  private appliedKey = '';
  private runTimeSitesKey: string | null = null;
  private notices: string[] = [];
  private started = false;
  private stopped = false;
  private tickTimer: TimerHandle | null = null;
  private due = { step: 0, modelSave: 0, historySave: 0, zones: 0, positionsSave: 0 };

  constructor(private readonly ports: WorkerPorts) {
    const clock = (this.clock = ports.clock);
    const model = () => this.model;
    const changed = () => this.publisher.changed();
    const notice = (message: string) => this.notice(message);
    this.persistence = new Persistence(ports, notice, (m, e) => this.log(m, e));
    this.writer = new SettingsWriter(ports.settings, (settings) => this.apply(settings));
    this.positions = new PositionsService({
      fetch: ports.fetch,
      clock,
      model,
      persistence: this.persistence,
      onReply: (body, request, t) => this.recorder?.add('hyperliquid', body, t, '/info', request),
      changed,
    });
    this.backfill = new BackfillService({
      fetch: ports.fetch,
      clock,
      model,
      specOf: (venue, symbol) => this.feeds.specOf(venue, symbol),
      saveHistoryOf: (instrument) => void this.persistence.saveHistoryOf(this.model, instrument),
      changed,
      notice,
    });
    this.feeds = new FeedsService({
      ports,
      specCache: this.persistence.specCache,
      model,
      backfill: this.backfill,
      onEvents: (events) => this.onEvents(events),
      onRawFrame: (venue, frame, t, rest, request) => this.recorder?.add(venue, frame, t, rest, request),
      budgetFor: (url) => this.positions.budgetFor(url),
      changed,
    });
    this.alerts = new AlertsService(ports.notify, this.persistence, notice);
    this.publisher = new Publisher(
      ports,
      (forPopup) => this.buildSnapshot(forPopup),
      (listener, now) => this.feeds.shownBy(listener, now),
    );
  }

  /**
   * Resume: the model from session storage, history from the database, then the settings (read
   * last, so a change made while this ran is not missed), feeds and the tick.
   */
  async start(): Promise<void> {
    const now = this.clock.now();
    this.persistence.noteStart(now);
    const initial = await this.ports.settings.load();
    // Restore before connecting, so events from the new sockets land on top of the restored state.
    this.model = await this.persistence.restoreModel(initial.model);
    await this.persistence.openHistory(this.model, now);
    await this.alerts.load();
    await this.positions.load();
    if (this.stopped) return;
    const at = this.clock.now();
    this.due = {
      step: at + STEP_EVERY_MS,
      modelSave: at + MODEL_SAVE_EVERY_MS,
      historySave: at + HISTORY_SAVE_EVERY_MS,
      zones: at + ZONE_CHECK_EVERY_MS,
      positionsSave: at + POSITIONS_SAVE_EVERY_MS,
    };
    this.tickTimer = this.clock.setInterval(() => this.tick(this.clock.now()), TICK_MS);
    this.started = true;
    this.apply(await this.ports.settings.load());
  }

  /** Stop everything (tests; a worker is simply killed). */
  stop(): void {
    this.stopped = true;
    this.feeds.stop();
    this.positions.stop();
    this.backfill.stop();
    this.publisher.stop();
    this.clock.clearInterval(this.tickTimer);
    this.persistence.stop();
  }

  /**
   * Run these settings in every service. Called after every write and by the storage watch (for
   * writes from outside, e.g. a settings migration); unchanged settings are a no-op, and so is
   * anything before start-up finished (it reads them itself).
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
    if (this.model.setParams(settings.model) === 'rebuilt') {
      this.persistence.clearHistory();
      this.notice(t('modelRebuilt'));
      this.feeds.restart();
    }
    this.syncRunTimeSites(settings);
    this.positions.applyBudget(settings);
    this.feeds.apply(settings);
    this.positions.applyReader(settings);
    this.publisher.changed();
  }

  /** Everything periodic, in one place: model steps, saves and zone alerts, each when it is due. */
  tick(now: number): void {
    const stepDue = now >= this.due.step;
    // Every tick: silent sockets (no watchdog timer per connection) and parked polls.
    this.feeds.tick(stepDue);
    if (stepDue) {
      this.due.step = now + STEP_EVERY_MS;
      this.model.advance(now);
      this.positions.sample(now);
    }
    if (now >= this.due.modelSave) {
      this.due.modelSave = now + MODEL_SAVE_EVERY_MS;
      this.persistence.saveModel(this.model);
    }
    if (now >= this.due.historySave) {
      this.due.historySave = now + HISTORY_SAVE_EVERY_MS;
      void this.persistence.saveHistory(this.model, now);
    }
    if (now >= this.due.positionsSave) {
      this.due.positionsSave = now + POSITIONS_SAVE_EVERY_MS;
      this.positions.save(now);
    }
    if (now >= this.due.zones) {
      this.due.zones = now + ZONE_CHECK_EVERY_MS;
      this.alerts.checkZones(this.model, now);
      const my = this.myPositions(now);
      if (my.length) this.alerts.checkMyPositions(my, this.settings?.myPositions.alertWithinPct ?? 0, now);
    }
  }

  /** socket → parse → here: the model counts each event once; what it kept goes on. */
  private onEvents(events: MarketEvent[]): void {
    const liquidations = this.model.ingest(events);
    this.positions.observe(events);
    if (liquidations.length) {
      this.persistence.journal.append(liquidations);
      this.alerts.onLiquidations(liquidations, this.clock.now());
      this.publisher.realized(liquidations);
    }
    this.publisher.changed();
  }

  /** Something the user should know that is not a feed's state: shown in the popup (last five). */
  notice(message: string): void {
    this.log(message);
    this.notices.push(`${new Date(this.clock.now()).toLocaleTimeString()} ${message}`);
    if (this.notices.length > MAX_NOTICES) this.notices.shift();
    this.publisher.changed();
  }

  // ─── Settings: the one writer ────────────────────────────────────────────────────────────────

  changeSettings(patch: unknown): Promise<SettingsResult> {
    return this.writer.change(patch);
  }

  replaceSettings(raw: unknown): Promise<SettingsResult> {
    return this.writer.replace(raw);
  }

  toggleOverlay(): Promise<boolean> {
    return this.writer.toggleOverlay();
  }

  /** Pin a followed coin: its instruments become the venues' symbols in the settings (one click in the popup). */
  pinCoin(request: unknown): Promise<SettingsResult> {
    const coin = (request as { coin?: unknown } | null)?.coin;
    const instruments = this.feeds.followedInstruments(coin);
    if (!instruments) return Promise.resolve({ error: t('pinNothing', { coin: String(coin) }) });
    return this.writer.addSymbols(instruments);
  }

  // ─── Listeners and queries (answered for the UIs) ────────────────────────────────────────────

  listen(listener: ListenerId): LiqSnapshot {
    return this.publisher.listen(listener);
  }

  get listening(): boolean {
    return this.publisher.listening;
  }

  /** Counters a user never sees; tests and the bench read them. */
  get stats(): Publisher['stats'] {
    return this.publisher.stats;
  }

  snapshot(): LiqSnapshot {
    return this.publisher.snapshot();
  }

  watchCoin(viewer: string, request: unknown): FollowStatus | { error: string } {
    return this.feeds.watchCoin(viewer, request);
  }

  retryBackfill(): void {
    this.feeds.retryBackfill();
  }

  health(): VenueHealth[] {
    return this.feeds.health();
  }

  view(request: unknown): MarketViewReply | { error: string } {
    const now = this.clock.now();
    const error = viewRequestError(request);
    if (error) return { error: t('viewRequestRefused', { error }) };
    const r = request as ViewRequest;
    if (r.kind === 'positions') return this.positions.view(r, now);
    const view = this.model.view(r, now);
    const tickSize = this.feeds.tickSizeOf(view.target, this.model.instruments());
    return tickSize ? { ...view, tickSize } : view;
  }

  heatmap(request: unknown): WireHeatmap | { error: string } {
    return this.model.heatmap(request);
  }

  instruments(): ReturnType<FeedsService['instruments']> {
    return this.feeds.instruments();
  }

  alertHistory(): FiredAlert[] {
    return this.alerts.history;
  }

  calibration(): CoinCalibration[] {
    return this.positions.calibration(this.clock.now());
  }

  /** The last 1–10 minutes of raw frames in the recording format (docs/recording.md). */
  exportRecording(minutes: unknown): { jsonl: string; frames: number } {
    // Validate: the minutes come from a UI, and a UI is code we do not fully control.
    const m = typeof minutes === 'number' && Number.isFinite(minutes) ? Math.min(10, Math.max(1, minutes)) : 5;
    const jsonl = this.recorder?.export(m, this.clock.now()) ?? '';
    return { jsonl, frames: jsonl ? jsonl.split('\n').length - 1 : 0 };
  }

  // ─── Inside ──────────────────────────────────────────────────────────────────────────────────

  private buildSnapshot(forPopup = true): LiqSnapshot {
    const now = this.clock.now();
    const positions = this.positions.snapshotPart();
    const accountError = this.positions.myAccount.status()?.error;
    return {
      generatedAt: now,
      revision: this.model.revision,
      feeds: this.feeds.health(now),
      market: this.model.summary(100, now, this.settings?.display.aggregateVenues ?? true),
      notices: accountError ? [...this.notices, accountError] : [...this.notices],
      backfill: this.backfill.progress,
      follow: this.feeds.follow,
      model: this.model.check(now),
      ...(forPopup ? { marketWide: this.model.marketWide(now) } : {}),
      ...(this.settings?.myPositions.typed.length || this.positions.myAccount.positions().length ? { my: this.myPositions(now) } : {}),
      ...(positions ? { positions } : {}),
    };
  }

  /** The trader's typed positions and their Hyperliquid account's, against the model (kept in this browser). */
  private myPositions(now: number): MyPositionView[] {
    const typed = (this.settings?.myPositions.typed ?? []).map((p) => ({ ...p, source: 'typed' as const }));
    return this.model.myPositions([...typed, ...this.positions.myAccount.positions()], now);
  }

  /**
   * The browser granted or withdrew a host (Options, or the browser's own site-access menu): the
   * run-time sites are registered again for what is granted now.
   */
  permissionsChanged(): void {
    this.runTimeSitesKey = null;
    if (this.settings) this.syncRunTimeSites(this.settings);
  }

  /** Local pages while on, and the user's own sites: their content scripts registered at run time. */
  private syncRunTimeSites(settings: Settings): void {
    const patterns = runTimeOverlayPatterns(settings.overlay);
    const sitesKey = JSON.stringify(patterns);
    if (sitesKey === this.runTimeSitesKey) return;
    this.runTimeSitesKey = sitesKey;
    this.ports
      .syncRunTimeSites(patterns)
      .then((missing) => missing.length && this.notice(t('sitesNoPermission', { sites: formatList(missing) })))
      .catch((err) => this.notice(t('sitesNotRegistered', { error: errorText(err) })));
  }

  private log(message: string, error?: unknown): void {
    this.ports.log?.(message, error);
  }
}
