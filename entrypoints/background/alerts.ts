/**
 * Alerts in the worker: realized liquidations go to the rules as they arrive, zone rules are checked
 * every ZONE_CHECK_MS; what fires becomes a browser notification (silent unless sound is on) and an
 * entry in the history the popup lists, kept in storage so a restarted worker still has it.
 */
import { browser } from 'wxt/browser';
import { storage } from '@wxt-dev/storage';
import { AlertEngine, DEFAULT_ALERTS, type AlertSettings, type FiredAlert } from '@/lib/alerts';
import { toRealized, type MarketEngine } from '@/lib/model/engine';
import type { MarketEvent } from '@/lib/exchanges/types';

const ZONE_CHECK_MS = 10_000;
const historyItem = storage.defineItem<FiredAlert[]>('local:alertHistory', { fallback: [] });

export function startAlerts(engine: () => MarketEngine, notice: (message: string) => void) {
  const alerts = new AlertEngine(DEFAULT_ALERTS);
  let settings: AlertSettings = DEFAULT_ALERTS;
  void historyItem.getValue().then((saved) => alerts.history.push(...saved.filter((a) => !alerts.history.some((h) => h.id === a.id))));

  const show = (fired: FiredAlert[]) => {
    if (!fired.length) return;
    void historyItem.setValue(alerts.history.slice()).catch(() => {});
    for (const a of fired) {
      browser.notifications
        ?.create(a.id, {
          type: 'basic',
          iconUrl: browser.runtime.getURL('/icon/128.png'),
          title: a.title,
          message: a.message,
          silent: !settings.sound,
          priority: 2,
        })
        .catch((err: unknown) => notice(`Alert "${a.title}" could not be shown: ${err instanceof Error ? err.message : String(err)}`));
    }
  };

  setInterval(() => {
    const levels = engine().levels;
    show(alerts.onZones((target) => levels.zones(target.includes(':') ? target : `coin:${target}`, Date.now()), Date.now()));
  }, ZONE_CHECK_MS);

  return {
    configure(next: AlertSettings) {
      settings = next;
      alerts.configure(next);
    },
    onEvents(events: readonly MarketEvent[]) {
      const liquidations = events.flatMap((e) => (e.kind === 'liquidation' ? [toRealized(e)] : []));
      if (liquidations.length) show(alerts.onLiquidations(liquidations, Date.now()));
    },
    history: () => alerts.history,
  };
}
