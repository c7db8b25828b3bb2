/** Background side of lib/protocol.ts: answers requests and pushes throttled snapshots. */
import { SNAPSHOT_PUSH_INTERVAL_MS, type LiqSnapshot } from '@/lib/model/snapshot';
import type { MarketEngine } from '@/lib/model/engine';
import type { FeedManager } from '@/lib/net/feed-manager';
import type { FrameRecorder } from '@/lib/recording';
import type { BackfillProgress } from '@/lib/net/backfill-runner';
import { onMessage, sendMessage } from '@/lib/protocol';
import { encodeHeatmap, heatmapRequestError } from '@/lib/model/heatmap-wire';
import { buildMarketView, viewRequestError } from '@/lib/model/market-view';
import type { FiredAlert } from '@/lib/alerts';
import { coinOf } from '@/lib/exchanges/specs';
import type { Settings } from '@/lib/settings';
import { throttle } from '@/lib/throttle';

export function registerMessaging(deps: {
  engine: () => MarketEngine;
  settings?: () => Settings | null;
  alertHistory?: () => FiredAlert[];
  feeds: FeedManager;
  recorder?: FrameRecorder;
  notices?: () => string[];
  backfill?: () => BackfillProgress;
  aggregate?: () => boolean;
}) {
  /** Tabs whose overlay asked for a snapshot; pushes go to them until a send fails. */
  const subscribedTabs = new Set<number>();

  const snapshot = (): LiqSnapshot => {
    const engine = deps.engine();
    return {
      generatedAt: Date.now(),
      revision: engine.revision,
      feeds: deps.feeds.health(),
      market: engine.view(100, Date.now(), deps.aggregate?.() ?? true),
      notices: deps.notices?.() ?? [],
      backfill: deps.backfill?.(),
    };
  };

  onMessage('getSnapshot', ({ sender }) => {
    const tabId = sender.tab?.id;
    if (tabId !== undefined) subscribedTabs.add(tabId);
    return snapshot();
  });
  onMessage('getStatus', () => deps.feeds.health());
  onMessage('getView', ({ data }) => {
    const error = viewRequestError(data);
    if (error) return { error: `view request refused: ${error}` };
    return buildMarketView(deps.engine().levels, data, Date.now());
  });
  onMessage('listInstruments', () => {
    const settings = deps.settings?.();
    return deps.feeds.health().flatMap((h) =>
      deps.feeds.specs(h.venue).map((s) => ({
        venue: h.venue,
        symbol: s.symbol,
        coin: coinOf(`${h.venue}:${s.symbol}`),
        followed: settings?.venues[h.venue]?.symbols.includes(s.symbol) ?? h.symbols.includes(s.symbol),
      })),
    );
  });
  onMessage('getAlertHistory', () => deps.alertHistory?.() ?? []);
  onMessage('getHeatmap', ({ data }) => {
    const error = heatmapRequestError(data);
    if (error) return { error: `heatmap request refused: ${error}` };
    const levels = deps.engine().levels;
    const grid = levels.heatmap(data.target, data.from, data.to, data.columns, data.rows, data.low, data.high);
    return encodeHeatmap(grid, levels.sweeps(data.target));
  });
  onMessage('exportRecording', ({ data }) => {
    // Validate: the minutes come from a UI, and a UI is code we do not fully control.
    const minutes = Number.isFinite(data?.minutes) ? Math.min(10, Math.max(1, data.minutes)) : 5;
    const jsonl = deps.recorder?.export(minutes) ?? '';
    return { jsonl, frames: jsonl ? jsonl.split('\n').length - 1 : 0 };
  });

  const pushSnapshot = () => {
    const data = snapshot();
    // Extension pages (popup): rejected when none is open, which is fine.
    sendMessage('snapshot', data).catch(() => {});
    for (const tabId of subscribedTabs) {
      const drop = () => subscribedTabs.delete(tabId);
      sendMessage('snapshot', data, tabId).then((wantsMore) => wantsMore === true || drop(), drop);
    }
  };

  return {
    push: throttle(pushSnapshot, SNAPSHOT_PUSH_INTERVAL_MS),
    settingsChanged: (settings: Settings) => void sendMessage('settingsChanged', settings).catch(() => {}),
  };
}
