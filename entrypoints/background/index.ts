/**
 * The service worker: wires settings → feeds → engine → throttled snapshots. Logic lives in lib/;
 * this file only connects it to the browser. Listeners are registered synchronously in main() so a
 * worker woken by a message, alarm or startup event handles it.
 */
import { defineBackground } from 'wxt/utils/define-background';
import { MarketEngine } from '@/lib/model/engine';
import { FeedManager } from '@/lib/net/feed-manager';
import { FrameRecorder } from '@/lib/recording';
import { runBackfill, type BackfillProgress } from '@/lib/net/backfill-runner';
import { backfillSince } from '@/lib/model/backfill';
import { loadSettings, venueFeedConfigs, watchSettings, type Settings } from '@/lib/settings';
import { registerAlarms } from './alarms';
import { registerMessaging } from './messaging';
import { restoreEngine, specCache, startEnginePersistence, startHistoryPersistence } from './persistence';

/** How long live feeds may wait for backfill at start; what is not fetched by then is skipped. */
const BACKFILL_BUDGET_MS = 8_000;

export default defineBackground(() => {
  let engine = new MarketEngine();
  const recorder = new FrameRecorder();
  const feeds = new FeedManager({
    createSocket: (url) => new WebSocket(url),
    fetch: (url, init) => fetch(url, init),
    specCache,
    onEvents: (events) => {
      engine.ingest(events);
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
  const messaging = registerMessaging({
    engine: () => engine,
    feeds,
    recorder,
    notices: () => notices,
    backfill: () => backfill,
    aggregate: () => aggregate,
  });

  let aggregate = true;
  let history: { reset(): Promise<void> } = { reset: async () => {} };
  let backfill: BackfillProgress = { state: 'idle', total: 0, done: 0, failed: [] };
  let applying = Promise.resolve();
  const apply = (settings: Settings) => {
    // Serialized: a backfill must finish (or be cut) before its venue's live feed starts.
    applying = applying.then(async () => {
      const configs = venueFeedConfigs(settings);
      aggregate = settings.display.aggregateVenues;
      if (engine.setParams(settings.model)) {
        await history.reset();
        notice('Model parameters changed: the estimated heatmap was rebuilt and its history reloads from the venues.');
      }
      const budget = new AbortController();
      const timer = setTimeout(() => budget.abort(), BACKFILL_BUDGET_MS);
      await runBackfill({
        fetch: (url, init) => fetch(url, init),
        configs,
        since: (instrument) => backfillSince(engine.levels.history(instrument)?.minutes.lastTime(), Date.now()),
        // Backfill feeds the estimate only: realized figures stay facts the venues reported live.
        onEvents: (events) => engine.levels.ingest(events),
        onProgress: (p) => {
          backfill = p;
          messaging.push();
        },
        signal: budget.signal,
      }).catch((err) => notice(`Backfill failed: ${err instanceof Error ? err.message : String(err)}`));
      clearTimeout(timer);
      feeds.configure(configs);
      messaging.settingsChanged(settings);
    });
  };
  watchSettings(apply);
  registerAlarms();
  // Quiet markets still close model steps and write their minute columns.
  setInterval(() => engine.advance(Date.now()), 5_000);

  // Restore before connecting, so events from the new sockets land on top of the restored state.
  void (async () => {
    const settings = await loadSettings();
    engine = await restoreEngine(settings.model);
    startEnginePersistence(() => engine);
    history = await startHistoryPersistence(() => engine, notice);
    apply(settings);
  })();
});
