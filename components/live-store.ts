/**
 * The UI-side store: a Zustand vanilla store per UI context (popup, options, overlay) holding the
 * latest snapshot and settings from the background, plus a tiny Preact hook. Live data is never
 * persisted through it; settings stay in their storage item.
 */
import { useEffect, useState } from 'preact/hooks';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { EMPTY_SNAPSHOT, type LiqSnapshot } from '@/lib/model/snapshot';
import type { Settings } from '@/lib/settings';
import type { ChartReport } from '@/lib/sites/bridge';

export interface LiveState {
  snapshot: LiqSnapshot;
  settings: Settings | null;
  /** When the last snapshot arrived (local clock), for "last update" ages. */
  receivedAt: number;
  /** Set when the background could not be reached. */
  error: string | null;
  /** The page's chart, as the MAIN-world bridge last reported it (overlay only). */
  chart?: ChartReport | null;
}

export type LiveStore = StoreApi<LiveState>;

export function createLiveStore(initial: Partial<LiveState> = {}): LiveStore {
  return createStore<LiveState>()(() => ({ snapshot: EMPTY_SNAPSHOT, settings: null, receivedAt: 0, error: null, ...initial }));
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

/** Re-render every `ms` (for ages like "3 s ago"). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
