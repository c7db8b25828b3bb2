/**
 * The UI-side store: a Zustand vanilla store per UI context (popup, options, overlay) holding the
 * latest snapshot and settings from the background, plus a tiny Preact hook. Live data is never
 * persisted through it; settings stay in their storage item.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { overallHealth } from '@/lib/ui/health';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { EMPTY_SNAPSHOT, type LiqSnapshot } from '@/lib/contract/snapshot';
import type { Settings } from '@/lib/settings';
import type { ChartReport } from '@/lib/sites/bridge';
import type { RealizedLiquidation } from '@/lib/contract/market';

export interface LiveState {
  snapshot: LiqSnapshot;
  settings: Settings | null;
  /** When the last snapshot arrived (local clock), for "last update" ages. */
  receivedAt: number;
  /** Set when the background could not be reached. */
  error: string | null;
  /** The page's chart, as the MAIN-world bridge last reported it (overlay only); null when it said the chart is gone. */
  chart?: ChartReport | null;
  /** The bridge has read a chart on this page before: a missing one is hidden, not absent (overlay only). */
  chartSeen?: boolean;
}

export type LiveStore = StoreApi<LiveState>;

export function createLiveStore(initial: Partial<LiveState> = {}): LiveStore {
  return createStore<LiveState>()(() => ({ snapshot: EMPTY_SNAPSHOT, settings: null, receivedAt: 0, error: null, ...initial }));
}

/**
 * New realized liquidations pushed between snapshots: newest first in the snapshot's list, each once
 * (the next snapshot carries them too), the list kept at its usual length.
 */
export function mergeRealized(store: LiveStore, liquidations: readonly RealizedLiquidation[], limit = 100): void {
  if (!Array.isArray(liquidations)) return;
  const { snapshot } = store.getState();
  const known = new Set(snapshot.market.liquidations.map((l) => l.id));
  const fresh = liquidations.filter((l) => !known.has(l.id)).reverse();
  if (!fresh.length) return;
  const merged = [...fresh, ...snapshot.market.liquidations].slice(0, limit);
  store.setState({ snapshot: { ...snapshot, market: { ...snapshot.market, liquidations: merged } } });
}

/** Subscribe a component to a slice of the store; re-renders only when the slice changes. */
export function useLive<T>(store: LiveStore, select: (s: LiveState) => T): T {
  const [value, setValue] = useState(() => select(store.getState()));
  useEffect(() => {
    setValue(select(store.getState()));
    return store.subscribe((state) => setValue(() => select(state)));
    // `select` is expected to be stable per call site.
  }, [store]);
  return value;
}

/** Light/dark as the settings say (`system` leaves it to prefers-color-scheme in ui.css). */
export function applyTheme(settings: Settings | null): void {
  const theme = settings?.appearance.theme ?? 'system';
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/**
 * The feeds' overall health. It changes with time too (a quiet feed turns stale), so it is checked
 * again every `ms`, but the component re-renders only when the state or its message changed: a
 * popup at rest does not redraw itself on a clock.
 */
export function useOverallHealth(feeds: LiqSnapshot['feeds'], ms = 5_000): ReturnType<typeof overallHealth> {
  const [, setShown] = useState('');
  const latest = useRef(feeds);
  latest.current = feeds;
  useEffect(() => {
    const t = setInterval(() => {
      const h = overallHealth(latest.current, Date.now());
      setShown(`${h.state}|${h.message}`);
    }, ms);
    return () => clearInterval(t);
  }, [ms]);
  return overallHealth(feeds, Date.now());
}

/** Re-render every `ms` (for ages like "3 s ago"). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
