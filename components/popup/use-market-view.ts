/**
 * The quick view's data: asked of the worker for the target, range and band shown, again every 5 s
 * and (at most once a second) when a realized liquidation arrives. A reply equal to the one drawn
 * changes nothing (no re-plan, no repaint); the last one is kept in this popup's localStorage for the
 * next popup's first paint.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MarketViewReply, ViewRange, ViewRequest } from '@/lib/contract/view';
import { errorText } from '@/lib/error-text';
import { t } from '@/lib/i18n';
import type { ViewKind } from './types';

const COLUMNS: Record<ViewRange, number> = { '12h': 720, '24h': 720, '3d': 864, '7d': 672, '30d': 720 };
const LAST_VIEW_KEY = 'liqlens:lastView';
const REFRESH_MS = 5_000;

export interface LastView {
  selection: string;
  range: ViewRange;
  view: MarketViewReply;
}

export function loadLastView(): LastView | null {
  try {
    return JSON.parse(localStorage.getItem(LAST_VIEW_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export interface MarketViewQuery {
  target: string;
  range: ViewRange;
  withinPct: number;
  kind: ViewKind;
  /** What the user picked (kept with the last view). */
  selection: string;
  /** Changes when a realized liquidation arrives (the newest one's identity). */
  realizedVersion?: string;
}

export function useMarketView(
  fetchView: (request: ViewRequest) => Promise<MarketViewReply | { error: string }>,
  q: MarketViewQuery,
  first: MarketViewReply | null,
): { view: MarketViewReply | null; error: string } {
  const [view, setView] = useState<MarketViewReply | null>(first);
  const [error, setError] = useState('');
  const reload = useRef<(() => Promise<void>) | null>(null);
  const lastViewKey = useRef('');
  const lastCells = useRef('');
  const lastReload = useRef(0);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const reply = await fetchView({
          target: q.target,
          range: q.range,
          columns: COLUMNS[q.range],
          rows: 240,
          withinFraction: q.withinPct / 100,
          ...(q.kind === 'positions' ? { kind: 'positions' as const } : {}),
        });
        if (stopped) return;
        if ('error' in reply) return setError(reply.error);
        setError('');
        // The same view again (a still market): keep the one drawn, so nothing is re-planned or repainted.
        // The cells (most of the reply, a long string) are compared as they are, not serialized again.
        const key = JSON.stringify({ ...reply, heatmap: { ...reply.heatmap, estimated: '' } });
        if (key === lastViewKey.current && reply.heatmap.estimated === lastCells.current) return;
        lastViewKey.current = key;
        lastCells.current = reply.heatmap.estimated;
        setView(reply);
        try {
          localStorage.setItem(LAST_VIEW_KEY, JSON.stringify({ selection: q.selection, range: q.range, view: reply } satisfies LastView));
        } catch {
          // Full or unavailable: the next popup simply starts without a first paint.
        }
      } catch (err) {
        if (!stopped) setError(t('backgroundUnreachable', { error: errorText(err) }));
      }
    };
    void load();
    reload.current = load;
    const refresh = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(refresh);
    };
  }, [q.target, q.range, q.withinPct, q.kind]);

  // A realized liquidation arrived: refresh now rather than at the next 5 s tick (at most once a second).
  useEffect(() => {
    if (q.realizedVersion === undefined) return;
    const wait = Math.max(0, lastReload.current + 1_000 - Date.now());
    const timer = setTimeout(() => {
      lastReload.current = Date.now();
      void reload.current?.();
    }, wait);
    return () => clearTimeout(timer);
  }, [q.realizedVersion]);

  return { view, error };
}
