/**
 * A UI's live subscription to the worker, written once for the popup, the options page and a chart
 * page's overlay: ask for a snapshot (which makes this view a listener), take the pushes (snapshots,
 * and realized liquidations between them), and ask again when none came for a while (a worker that
 * restarted has no listeners: asking wakes it and subscribes again).
 */
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { onMessage, sendMessage } from '@/lib/contract/protocol';
import { errorText } from '@/lib/error-text';
import { t } from '@/lib/i18n';
import { mergeRealized, type LiveStore } from './live-store';

export interface LiveSubscriptionOptions {
  /** Whether this view still wants pushes (an unmounted overlay does not: the worker drops it). */
  wanted?(): boolean;
  /** Ask again after this long without a push. */
  resubscribeAfterMs: number;
  /** The view's timer (a content script's ends with its context). */
  every(fn: () => void, ms: number): void;
  /**
   * A snapshot equal to the one shown (a still market) only refreshes the clock: nothing re-renders.
   * Off where the view re-renders cheaply anyway.
   */
  skipEqual?: boolean;
}

export interface LiveSubscription {
  /** Ask for the current snapshot now (and become a listener). */
  refresh(): Promise<void>;
  /** Stop taking pushes. */
  stop(): void;
}

export function subscribeLive(store: LiveStore, o: LiveSubscriptionOptions): LiveSubscription {
  const wanted = o.wanted ?? (() => true);
  let shown = '';
  const show = (snapshot: LiqSnapshot) => {
    if (o.skipEqual) {
      const key = JSON.stringify({ ...snapshot, generatedAt: 0 }); // equal but for when it was built
      if (key === shown) return store.setState({ receivedAt: Date.now(), error: null });
      shown = key;
    }
    store.setState({ snapshot, receivedAt: Date.now(), error: null });
  };
  const stopSnapshots = onMessage('snapshot', ({ data }) => {
    if (!wanted()) return false;
    show(data);
    return true;
  });
  const stopRealized = onMessage('realized', ({ data }) => {
    if (!wanted()) return false;
    mergeRealized(store, data);
    return true;
  });
  const refresh = () =>
    sendMessage('getSnapshot').then(show, (err: unknown) =>
      store.setState({ error: t('backgroundUnreachable', { error: errorText(err) }) }),
    );
  o.every(() => {
    if (wanted() && Date.now() - store.getState().receivedAt > o.resubscribeAfterMs) void refresh();
  }, o.resubscribeAfterMs);
  return {
    refresh,
    stop() {
      stopSnapshots();
      stopRealized();
    },
  };
}
