/**
 * Popup section "This page": which site the active tab is, how LiqLens draws there, and a switch for
 * that site; plus the switch for all sites (also on the keyboard: Alt+Shift+L by default). The tab's
 * overlay answers `pageInfo`; a page without one is a site LiqLens does not run on (yet).
 */
import { errorText } from '@/lib/error-text';
import { instrumentLabel } from '@/lib/exchanges/catalog';
import { coinOf } from '@/lib/exchanges/specs';
import { t } from '@/lib/i18n';
import { useEffect, useState } from 'preact/hooks';
import type { PageInfo } from '@/lib/contract/protocol';
import type { Settings, SettingsPatch } from '@/lib/settings';
import { CUSTOM_SITE_ID } from '@/lib/sites';

export interface PageSiteToggleProps {
  settings: Settings | null;
  /** The active tab's overlay info; null: no overlay runs there; undefined: still asking. */
  page: PageInfo | null | undefined;
  /** Send a settings change (a patch: only the switch that was flipped). */
  save(patch: SettingsPatch): Promise<void>;
}

const MODE_TEXT = {
  chart: 'pageModeChart',
  calibrated: 'pageModeCalibrated',
  ladder: 'pageModeLadder',
  hidden: 'pageModeHidden',
  off: 'pageModeOff',
} as const satisfies Record<PageInfo['mode'], string>;

export function PageSiteToggle({ settings, page, save }: PageSiteToggleProps) {
  const [error, setError] = useState('');
  if (!settings) return null;
  const write = (patch: SettingsPatch) => {
    save(patch).then(
      () => setError(''),
      (err: unknown) => setError(t('couldNotSave', { reason: errorText(err) })),
    );
  };
  const builtIn = page && page.siteId !== CUSTOM_SITE_ID;
  return (
    <div class="page-site" data-testid="page-site">
      <div class="field">
        <label for="overlay-all">{t('overlayOnChartPages')}</label>
        <input
          id="overlay-all"
          type="checkbox"
          checked={settings.overlay.enabled}
          onChange={(e) => write({ overlay: { enabled: (e.target as HTMLInputElement).checked } })}
        />
      </div>
      {page === undefined && <p class="muted">{t('pageChecking')}</p>}
      {page === null && <p class="muted">{t('pageNotDrawn')}</p>}
      {page && (
        <>
          <div class="field">
            <label for="overlay-here">
              {t('pageOnSite', { site: page.label })} <span class="muted">({page.host})</span>
            </label>
            {builtIn ? (
              <input
                id="overlay-here"
                type="checkbox"
                checked={settings.overlay.sites[page.siteId] === true}
                onChange={(e) => write({ overlay: { sites: { [page.siteId]: (e.target as HTMLInputElement).checked } } })}
              />
            ) : (
              <span class="muted">{t('pageCustomSite')}</span>
            )}
          </div>
          <p class="muted" data-testid="page-mode">
            {t(MODE_TEXT[page.mode])}
            {page.instrument
              ? ` · ${settings.display.aggregateVenues ? t('coinAllVenues', { coin: coinOf(page.instrument) }) : instrumentLabel(page.instrument)}`
              : ''}
          </p>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Ask the tab's overlay what it shows; re-asked every 2 s while the popup is open. */
export function usePageInfo(getTabId: () => Promise<number | undefined>, ask: (tabId: number) => Promise<PageInfo | null>) {
  const [page, setPage] = useState<PageInfo | null | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      const tabId = await getTabId().catch(() => undefined);
      const info = tabId === undefined ? null : await ask(tabId).catch(() => null);
      if (!stopped) setPage(info ?? null);
    };
    void poll();
    const t = setInterval(() => void poll(), 2_000);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, []);
  return page;
}
