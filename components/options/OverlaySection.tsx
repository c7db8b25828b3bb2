/**
 * Options → Overlay: on or off, its layers, opacity and threshold (the handle's controls), and the
 * built-in sites. A site registered at run time (local pages) asks the browser for its hosts on the
 * click that turns it on: no script of ours runs there before the trader says so. Its tabs already
 * open get the overlay when reloaded (the chart bridge must start before the page's scripts), and
 * the section says so.
 */
import { useState } from 'preact/hooks';
import { formatList, t } from '@/lib/i18n';
import { mergeSettingsPatch, type Settings } from '@/lib/settings';
import { siteLabel, sites, type SiteDefinition } from '@/lib/sites';
import { positionsLayerBlocked } from '@/lib/ui/health';
import { OverlayLayerControls } from '../OverlayLayerControls';
import { CheckField } from './fields';
import type { SectionProps } from './section';

export interface OverlaySectionProps extends SectionProps {
  /** Ask for host access (must run inside the click: browsers require a user gesture). */
  requestHosts(origins: string[]): Promise<boolean>;
}

export function OverlaySection({ draft, update, requestHosts }: OverlaySectionProps) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const switchSite = async (site: SiteDefinition, on: boolean, box: HTMLInputElement) => {
    if (on && site.atRunTime) {
      const granted = await requestHosts(site.matches).catch(() => false);
      if (!granted) {
        // The draft did not change, so nothing would redraw the box: unticked here.
        box.checked = false;
        setMessage({ error: true, text: t('siteRefused', { site: siteLabel(site), hosts: formatList(site.matches) }) });
        return;
      }
    }
    setMessage(on && site.atRunTime ? { error: false, text: t('siteAdded', { site: siteLabel(site) }) } : null);
    update((s) => (s.overlay.sites[site.id] = on));
  };
  return (
    <fieldset id="sec-overlay">
      <legend>{t('secOverlay')}</legend>
      <CheckField
        id="overlay-enabled"
        label={t('drawOnChartPages')}
        checked={draft.overlay.enabled}
        onChange={(on) => update((s) => (s.overlay.enabled = on))}
      />
      <OverlayLayerControls
        layout="fields"
        overlay={draft.overlay}
        positionsBlocked={positionsLayerBlocked(draft)}
        onChange={(patch) => update((s) => (s.overlay = (mergeSettingsPatch(s, { overlay: patch }) as Settings).overlay))}
      />
      <p class="hint">{t('overlayShortcutHint')}</p>
      <h3>{t('sites')}</h3>
      <div class="site-grid">
        {sites.map((site) => (
          <CheckField
            key={site.id}
            id={`site-${site.id}`}
            label={siteLabel(site)}
            checked={draft.overlay.sites[site.id] ?? false}
            onChange={(on, box) => void switchSite(site, on, box)}
          />
        ))}
      </div>
      {message && (
        <p class={message.error ? 'error-text' : 'hint'} role="status" data-testid="sites-status">
          {message.text}
        </p>
      )}
    </fieldset>
  );
}
