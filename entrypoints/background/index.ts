/**
 * The service worker: wires settings → feeds → engine → throttled snapshots. Logic lives in lib/;
 * this file only connects it to the browser. Listeners are registered synchronously in main() so a
 * worker woken by a message, alarm or startup event handles it.
 */
import { defineBackground } from 'wxt/utils/define-background';
import { MarketEngine } from '@/lib/model/engine';
import { FeedManager } from '@/lib/net/feed-manager';
import { FrameRecorder } from '@/lib/recording';
import { loadSettings, venueFeedConfigs, watchSettings, type Settings } from '@/lib/settings';
import { registerAlarms } from './alarms';
import { registerMessaging } from './messaging';
import { restoreEngine, specCache, startEnginePersistence, startHistoryPersistence } from './persistence';

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
    onRawFrame: (venue, frame, t) => recorder.add(venue, frame, t),
    onHealthChange: () => messaging.push(),
  });
  const notices: string[] = [];
  const notice = (message: string) => {
    console.warn(`LiqLens: ${message}`);
    notices.push(`${new Date().toLocaleTimeString()} ${message}`);
    if (notices.length > 5) notices.shift();
    messaging.push();
  };
  const messaging = registerMessaging({ engine: () => engine, feeds, recorder, notices: () => notices });

  const apply = (settings: Settings) => {
    feeds.configure(venueFeedConfigs(settings));
    messaging.settingsChanged(settings);
  };
  watchSettings(apply);
  registerAlarms();
  // Quiet markets still close model steps and write their minute columns.
  setInterval(() => engine.advance(Date.now()), 5_000);

  // Restore before connecting, so events from the new sockets land on top of the restored state.
  void (async () => {
    engine = await restoreEngine();
    startEnginePersistence(() => engine);
    await startHistoryPersistence(() => engine, notice);
    apply(await loadSettings());
  })();
});
