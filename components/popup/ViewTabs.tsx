/**
 * The quick view's tabs (zones, liquidation map, imbalance, realized, positions, alerts, feeds, this
 * page) as an ARIA tablist: ←/→/Home/End move between them. `?view=feeds` (etc.) opens one.
 */
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { t } from '@/lib/i18n';
import { POPUP_TABS, type PopupTab } from '@/lib/ui/popup-tabs';

const KEY_STEP: Record<string, (i: number) => number> = {
  ArrowRight: (i) => i + 1,
  ArrowLeft: (i) => i - 1,
  Home: () => 0,
  End: () => POPUP_TABS.length - 1,
};

/** The panel of each tab, rendered only while it is shown. */
export function ViewTabs({ panels }: { panels: (tab: PopupTab) => ComponentChildren }) {
  const [tab, setTab] = useState<PopupTab>(() => {
    const asked = new URLSearchParams(location.search).get('view');
    return POPUP_TABS.some(([id]) => id === asked) ? (asked as PopupTab) : 'zones';
  });
  return (
    <>
      <div role="tablist" class="tabs" aria-label={t('popupViews')}>
        {POPUP_TABS.map(([id, labelKey]) => (
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
              const next = POPUP_TABS[(step(POPUP_TABS.findIndex(([id]) => id === tab)) + POPUP_TABS.length) % POPUP_TABS.length][0];
              setTab(next);
              (e.currentTarget.parentElement?.querySelector(`#tab-${next}`) as HTMLElement | null)?.focus();
            }}
          >
            {t(labelKey)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel" data-testid={`panel-${tab}`}>
        {panels(tab)}
      </div>
    </>
  );
}
