/**
 * Options → Sites: the user's own chart sites. Adding one asks the browser for that host only (an
 * optional permission, requested on the click that adds it); the worker then registers the overlay
 * there. Calibrations saved on pages are listed with a way to forget them.
 */
import { useState } from 'preact/hooks';
import { errorText } from '@/lib/error-text';
import { matchPatternError, type Settings, type SettingsPatch } from '@/lib/settings';
import { formatCount, t } from '@/lib/i18n';

export interface CustomSitesProps {
  overlay: Settings['overlay'];
  /** Ask for the host permission (must run inside the click handler: browsers require a user gesture). */
  requestHost(pattern: string): Promise<boolean>;
  /** Save at once: a granted permission with no saved site would be a permission for nothing. */
  saveOverlay(patch: NonNullable<SettingsPatch['overlay']>): Promise<void>;
}

export function CustomSites({ overlay, requestHost, saveOverlay }: CustomSitesProps) {
  const [pattern, setPattern] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const add = async () => {
    const p = toPattern(pattern);
    const error = matchPatternError(p);
    if (error) return setMessage({ error: true, text: error });
    if (overlay.customSites.includes(p)) return setMessage({ error: true, text: t('siteAlreadyListed', { site: p }) });
    let granted: boolean;
    try {
      granted = await requestHost(p);
    } catch (err) {
      return setMessage({ error: true, text: t('siteRequestRefused', { reason: errorText(err) }) });
    }
    if (!granted) return setMessage({ error: true, text: t('siteNotGranted', { site: p }) });
    await saveOverlay({ customSites: [...overlay.customSites, p] });
    setPattern('');
    setMessage({ error: false, text: t('siteAdded', { site: p }) });
  };

  return (
    <fieldset id="sec-sites" data-testid="custom-sites">
      <legend>{t('customSitesTitle')}</legend>
      <p class="hint">{t('customSitesHint')}</p>
      <ul class="plain-list">
        {overlay.customSites.map((p) => (
          <li key={p}>
            <code>{p}</code>{' '}
            <button type="button" onClick={() => void saveOverlay({ customSites: overlay.customSites.filter((x) => x !== p) })}>
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <div class="field">
        <label for="custom-site">{t('customSiteField')}</label>
        <input
          id="custom-site"
          type="text"
          placeholder={t('customSitePlaceholder')}
          value={pattern}
          onInput={(e) => setPattern((e.target as HTMLInputElement).value)}
        />
        <button type="button" onClick={() => void add()}>
          {t('addSite')}
        </button>
      </div>
      {message && (
        <p class={message.error ? 'error-text' : 'hint'} role="status">
          {message.text}
        </p>
      )}
      {Object.keys(overlay.calibrations).length > 0 && (
        <>
          <h3>{t('calibratedPages')}</h3>
          <ul class="plain-list">
            {Object.entries(overlay.calibrations).map(([host, c]) => (
              <li key={host}>
                {t('calibratedPage', {
                  host,
                  price1: c.price1,
                  y1: formatCount(Math.round(c.y1)),
                  price2: c.price2,
                  y2: formatCount(Math.round(c.y2)),
                  mode: c.mode,
                })}{' '}
                <button type="button" onClick={() => void saveOverlay({ calibrations: { [host]: null } })}>
                  {t('forget')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}

/** `charts.example.com` or `https://charts.example.com/x` → `https://charts.example.com/*`. */
export function toPattern(input: string): string {
  const t = input.trim();
  if (!t) return t;
  if (/^(https?|\*):\/\/[^/]+\/.*\*$/.test(t)) return t;
  try {
    const u = new URL(/^[a-z]+:\/\//.test(t) ? t : `https://${t}`);
    return `${u.protocol}//${u.host}/*`;
  } catch {
    return t;
  }
}
