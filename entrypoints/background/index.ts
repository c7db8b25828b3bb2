/**
 * The service worker: wires settings → feeds → engine → throttled snapshots. Logic lives in lib/;
 * this file only connects it to the browser. Listeners are registered synchronously in main() so a
 * worker woken by a message, alarm or startup event handles it.
 */
import { defineBackground } from 'wxt/utils/define-background';
import { storage } from 'wxt/utils/storage';
import { MarketEngine } from '@/lib/model/engine';
import { FeedManager } from '@/lib/net/feed-manager';
import { FrameRecorder } from '@/lib/recording';
import { backfillTargets, runBackfill, type BackfillProgress } from '@/lib/net/backfill-runner';
import { backfillSince } from '@/lib/model/backfill';
import { loadSettings, venueFeedConfigs, watchSettings, type Settings } from '@/lib/settings';
import { registerAlarms } from './alarms';
import { registerMessaging } from './messaging';
import { registerCommands, syncCustomSites } from './overlay-sites';
import { startAlerts } from './alerts';
import { realizedSaver, restoreEngine, specCache, startEnginePersistence, startHistoryPersistence } from './persistence';

/** How long backfill may run; what is not fetched by then is skipped and live data resumes. */
const BACKFILL_BUDGET_MS = 30_000;

export default defineBackground(() => {
  let engine = new MarketEngine();
  const saveRealized = realizedSaver(() => engine);
  const recorder = new FrameRecorder();
  const feeds = new FeedManager({
    createSocket: (url) => new WebSocket(url),
    fetch: (url, init) => fetch(url, init),
    specCache,
    onEvents: (events) => {
      engine.ingest(events);
      if (events.some((e) => e.kind === 'liquidation')) saveRealized();
      alerts.onEvents(events);
      messaging.push();
    },
    onRawFrame: (venue, frame, t, rest) => recorder.add(venue, frame, t, rest),
    onMarginTiers: (instrument, tiers) => engine.levels.setTiers(instrument, tiers),
    onHealthChange: () => messaging.push(),
  });
  const notices: string[] = [];
  const notice = (message: string) => {
    console.warn(`LiqLens: ${message}`);
    notices.push(`${new Date().toLocaleTimeString()} ${message}`);
    if (notices.length > 5) notices.shift();
    messaging.push();
  };
  const alerts = startAlerts(
    () => engine,
    (m) => notice(m),
  );
  let currentSettings: Settings | null = null;
  const messaging = registerMessaging({
    engine: () => engine,
    settings: () => currentSettings,
    alertHistory: () => alerts.history(),
    feeds,
    recorder,
    notices: () => notices,
    backfill: () => backfill,
    aggregate: () => aggregate,
  });

  let aggregate = true;
  let history: { reset(): Promise<void>; saveAll(instrument: string): Promise<void> } = { reset: async () => {}, saveAll: async () => {} };
  let backfill: BackfillProgress = { state: 'idle', total: 0, done: 0, failed: [] };
  let budget: AbortController | null = null;
  const apply = (settings: Settings) => {
    currentSettings = settings;
    alerts.configure(settings.alerts);
    const configs = venueFeedConfigs(settings);
    aggregate = settings.display.aggregateVenues;
    if (engine.setParams(settings.model)) {
      void history.reset();
      notice('Model parameters changed: the estimated heatmap was rebuilt and its history reloads from the venues.');
    }
    // Live feeds start at once. Instruments whose history is missing or stale are backfilled from the
    // venues' REST meanwhile; their live events wait in the level model until that is done, so the
    // model sees time in order.
    const since = (instrument: string) => backfillSince(engine.levels.history(instrument)?.minutes.lastTime(), Date.now());
    const targets = backfillTargets(configs, since);
    for (const instrument of targets) engine.levels.hold(instrument);
    feeds.configure(configs);
    messaging.settingsChanged(settings);
    syncCustomSites(settings)
      .then((missing) => missing.length && notice(`No permission for ${missing.join(', ')}: grant it under Options → Sites.`))
      .catch((err) => notice(`Custom sites could not be registered: ${err instanceof Error ? err.message : String(err)}`));
    if (!targets.length) return;
    budget?.abort();
    const controller = (budget = new AbortController());
    const timer = setTimeout(() => controller.abort(), BACKFILL_BUDGET_MS);
    void runBackfill({
      fetch: (url, init) => fetch(url, init),
      configs,
      since: (instrument) => (targets.includes(instrument) ? since(instrument) : undefined),
      // Backfill feeds the estimate only: realized figures stay what the venues reported live.
      onEvents: (events) => engine.levels.ingestBackfill(events),
      onInstrumentDone: (instrument) => {
        engine.levels.release(instrument);
        // The backfilled day is older than what the periodic save looks at: save it whole now.
        void history.saveAll(instrument);
      },
      onProgress: (p) => {
        backfill = p;
        messaging.push();
      },
      signal: controller.signal,
    })
      .catch((err) => notice(`Backfill failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        clearTimeout(timer);
        for (const instrument of targets) engine.levels.release(instrument);
      });
  };
  // Settings changes before start-up finished are picked up by its own (fresh) read below.
  let started = false;
  watchSettings((settings) => started && apply(settings));
  registerAlarms();
  registerCommands();
  // When this worker (re)started: the restart tests measure feed recovery from it.
  void storage.setItem('session:workerStartedAt', Date.now()).catch(() => {});
  // Quiet markets still close model steps and write their minute columns.
  setInterval(() => engine.advance(Date.now()), 5_000);

  // Restore before connecting, so events from the new sockets land on top of the restored state.
  void (async () => {
    engine = await restoreEngine((await loadSettings()).model);
    startEnginePersistence(() => engine);
    history = await startHistoryPersistence(() => engine, notice);
    started = true;
    apply(await loadSettings());
  })();
});
