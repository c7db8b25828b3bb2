/**
 * The quick view's tabs (zones, liquidation map, imbalance, realized, positions, alerts, feeds, this
 * page) as an ARIA tablist: ←/→/Home/End move between them. `?view=feeds` (etc.) opens one.
 */
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

export const TABS = [
  ['zones', 'Zones'],
  ['map', 'Liquidation map'],
  ['imbalance', 'Imbalance'],
  ['realized', 'Realized'],
  ['positions', 'Positions'],
  ['alerts', 'Alerts'],
  ['feeds', 'Feeds'],
  ['page', 'This page'],
] as const;
export type Tab = (typeof TABS)[number][0];

const KEY_STEP: Record<string, (i: number) => number> = {
  ArrowRight: (i) => i + 1,
  ArrowLeft: (i) => i - 1,
  Home: () => 0,
  End: () => TABS.length - 1,
};

/** The panel of each tab, rendered only while it is shown. */
export function ViewTabs({ panels }: { panels: (tab: Tab) => ComponentChildren }) {
  const [tab, setTab] = useState<Tab>(() => {
    const asked = new URLSearchParams(location.search).get('view');
    return TABS.some(([id]) => id === asked) ? (asked as Tab) : 'zones';
  });
  return (
    <>
      <div role="tablist" class="tabs" aria-label="Views">
        {TABS.map(([id, label]) => (
          <button
            type="button"
            role="tab"
            id={`tab-${id}`}
            key={id}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
            onKeyDown={(e) => {
              const step = KEY_STEP[e.key];
              if (!step) return;
              e.preventDefault();
              const next = TABS[(step(TABS.findIndex(([t]) => t === tab)) + TABS.length) % TABS.length][0];
              setTab(next);
              (e.currentTarget.parentElement?.querySelector(`#tab-${next}`) as HTMLElement | null)?.focus();
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel" data-testid={`panel-${tab}`}>
        {panels(tab)}
      </div>
    </>
  );
}
