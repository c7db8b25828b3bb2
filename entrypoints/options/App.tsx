/**
 * Options: venues, symbols and endpoint overrides, overlay sites. Settings are saved as one item;
 * the background and every open overlay apply them live.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { FeedHealth } from '@/components/FeedHealth';
import { RecordingExport } from '@/components/RecordingExport';
import { useNow } from '@/components/live-store';
import { listVenues } from '@/lib/exchanges';
import type { VenueHealth } from '@/lib/net/feed-manager';
import { sendMessage } from '@/lib/protocol';
import type { VenueId } from '@/lib/exchanges/types';
import {
  defaultSettings,
  endpointError,
  loadSettings,
  sanitizeSettings,
  settingsItem,
  updateSettings,
  type Settings,
} from '@/lib/settings';
import { sites } from '@/lib/sites';
import { CustomSites } from '@/components/CustomSites';
import { ModelSettings } from '@/components/ModelSettings';
import { AlertRules } from '@/components/AlertRules';
import { SettingsTransfer } from '@/components/SettingsTransfer';
import { applyTheme } from '@/components/live-store';
import { GRADIENT_LABELS, type GradientPreset } from '@/lib/gradients';
import { browser } from 'wxt/browser';

type Status = { kind: 'idle' } | { kind: 'saved'; at: number } | { kind: 'error'; message: string };

export function App() {
  const [draft, setDraft] = useState<Settings | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [feeds, setFeeds] = useState<VenueHealth[]>([]);
  const autosave = useRef<ReturnType<typeof setTimeout>>(undefined);
  const now = useNow();

  useEffect(() => {
    void loadSettings().then((s) => {
      setDraft(s);
      applyTheme(s);
    });
    // Venue status, so a venue that is down or blocked is visible where it is configured.
    const poll = () => void sendMessage('getStatus').then(setFeeds, () => setFeeds([]));
    poll();
    const t = setInterval(poll, 2_000);
    return () => clearInterval(t);
  }, []);
  if (!draft) return <p class="options muted">Loading settings…</p>;

  const update = (fn: (s: Settings) => void) => {
    const next = structuredClone(draft);
    fn(next);
    setDraft(next);
    setStatus({ kind: 'idle' });
    applyTheme(next);
    // Live: a valid change is saved after a short pause, so charts and the popup follow as you edit.
    // Venue changes (endpoints, symbols) wait for Save: a half-typed endpoint must not reconnect feeds.
    clearTimeout(autosave.current);
    if (JSON.stringify(next.venues) !== JSON.stringify(draft.venues)) return;
    autosave.current = setTimeout(() => {
      if (!sanitizeSettings(next).problems.length) void save(next);
    }, 400);
  };
  const errors = listVenues().flatMap((v) =>
    (['ws', 'rest'] as const).flatMap((kind) => {
      const url = draft.venues[v.id]?.endpoints[kind];
      const err = url ? endpointError(kind, url) : undefined;
      return err ? [{ venue: v.id, kind, err }] : [];
    }),
  );

  async function save(current: Settings = draft!) {
    const { settings, problems } = sanitizeSettings(current);
    if (problems.length) return setStatus({ kind: 'error', message: problems.join('; ') });
    try {
      // Sites and calibrations are saved the moment they change (here or on a chart page): keep the stored ones.
      const stored = await loadSettings();
      settings.overlay.customSites = stored.overlay.customSites;
      settings.overlay.calibrations = stored.overlay.calibrations;
      await settingsItem.setValue(settings);
      setStatus({ kind: 'saved', at: Date.now() });
    } catch (err) {
      setStatus({ kind: 'error', message: `Could not save: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  return (
    <main class="options">
      <h1>LiqLens options</h1>
      <section aria-labelledby="status-h">
        <h2 id="status-h">Feed status</h2>
        <FeedHealth feeds={feeds} now={now} />
      </section>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {listVenues().map((adapter) => {
          const v = draft.venues[adapter.id]!;
          const id = (name: string) => `${adapter.id}-${name}`;
          const errorFor = (kind: 'ws' | 'rest') => errors.find((e) => e.venue === adapter.id && e.kind === kind)?.err;
          return (
            <fieldset key={adapter.id} data-testid={`venue-${adapter.id}`}>
              <legend>{adapter.label}</legend>
              <div class="field">
                <label for={id('enabled')}>Stream this venue</label>
                <input
                  id={id('enabled')}
                  type="checkbox"
                  checked={v.enabled}
                  onChange={(e) => update((s) => (s.venues[adapter.id as VenueId]!.enabled = (e.target as HTMLInputElement).checked))}
                />
              </div>
              <div class="field">
                <label for={id('symbols')}>Symbols</label>
                <input
                  id={id('symbols')}
                  type="text"
                  value={v.symbols.join(', ')}
                  placeholder={adapter.defaultSymbols.join(', ')}
                  onChange={(e) =>
                    update(
                      (s) =>
                        (s.venues[adapter.id as VenueId]!.symbols = (e.target as HTMLInputElement).value
                          .split(/[,\s]+/)
                          .map((x) => x.trim().toUpperCase())
                          .filter(Boolean)),
                    )
                  }
                />
              </div>
              {(['ws', 'rest'] as const).map((kind) => (
                <div class="field" key={kind}>
                  <label for={id(kind)}>{kind === 'ws' ? 'WebSocket endpoint' : 'REST endpoint'}</label>
                  <input
                    id={id(kind)}
                    type="url"
                    value={v.endpoints[kind]}
                    placeholder={adapter.defaultEndpoints[kind]}
                    aria-invalid={errorFor(kind) ? 'true' : 'false'}
                    aria-describedby={errorFor(kind) ? id(`${kind}-error`) : undefined}
                    onInput={(e) =>
                      update((s) => (s.venues[adapter.id as VenueId]!.endpoints[kind] = (e.target as HTMLInputElement).value.trim()))
                    }
                  />
                  {errorFor(kind) && (
                    <span class="error-text" id={id(`${kind}-error`)}>
                      {errorFor(kind)}
                    </span>
                  )}
                </div>
              ))}
              {!adapter.hasLiquidationFeed && (
                <p class="hint">
                  {adapter.label} publishes no liquidation feed: it adds trades, price and open interest to the estimate only.
                </p>
              )}
              <p class="hint">Leave an endpoint empty to use the venue's public default. Overrides are for proxies, relays and tests.</p>
            </fieldset>
          );
        })}

        <fieldset>
          <legend>Display</legend>
          <div class="field">
            <label for="aggregate">Add up all venues of a coin</label>
            <input
              id="aggregate"
              type="checkbox"
              checked={draft.display.aggregateVenues}
              onChange={(e) => update((s) => (s.display.aggregateVenues = (e.target as HTMLInputElement).checked))}
            />
          </div>
          <p class="hint">
            On: zones per coin (BTC) across every venue, weighted by each venue's open interest. Off: each venue's instrument apart.
          </p>
        </fieldset>

        <fieldset>
          <legend>Overlay</legend>
          <div class="field">
            <label for="overlay-enabled">Draw on chart pages</label>
            <input
              id="overlay-enabled"
              type="checkbox"
              checked={draft.overlay.enabled}
              onChange={(e) => update((s) => (s.overlay.enabled = (e.target as HTMLInputElement).checked))}
            />
          </div>
          <div class="field">
            <label for="overlay-opacity">Opacity ({Math.round(draft.overlay.opacity * 100)} %)</label>
            <input
              id="overlay-opacity"
              type="range"
              min="0.1"
              max="1"
              step="0.05"
              value={draft.overlay.opacity}
              onInput={(e) => update((s) => (s.overlay.opacity = Number((e.target as HTMLInputElement).value)))}
            />
          </div>
          {(
            [
              ['estimated', 'Estimated zones'],
              ['realized', 'Realized liquidations'],
              ['heatmap', 'Heatmap behind the candles'],
            ] as const
          ).map(([layer, label]) => (
            <div class="field" key={layer}>
              <label for={`layer-${layer}`}>{label}</label>
              <input
                id={`layer-${layer}`}
                type="checkbox"
                checked={draft.overlay.layers[layer]}
                onChange={(e) => update((s) => (s.overlay.layers[layer] = (e.target as HTMLInputElement).checked))}
              />
            </div>
          ))}
          <div class="field">
            <label for="overlay-threshold">Hide zones below ({Math.round(draft.overlay.threshold * 100)} % of the strongest)</label>
            <input
              id="overlay-threshold"
              type="range"
              min="0"
              max="0.9"
              step="0.05"
              value={draft.overlay.threshold}
              onInput={(e) => update((s) => (s.overlay.threshold = Number((e.target as HTMLInputElement).value)))}
            />
          </div>
          <p class="hint">Show or hide the overlay everywhere with Alt+Shift+L (change it at chrome://extensions/shortcuts).</p>
          <h3>Sites</h3>
          {sites.map((site) => (
            <div class="field" key={site.id}>
              <label for={`site-${site.id}`}>{site.label}</label>
              <input
                id={`site-${site.id}`}
                type="checkbox"
                checked={draft.overlay.sites[site.id] ?? false}
                onChange={(e) => update((s) => (s.overlay.sites[site.id] = (e.target as HTMLInputElement).checked))}
              />
            </div>
          ))}
        </fieldset>

        <fieldset>
          <legend>Appearance</legend>
          <div class="field">
            <label for="gradient">Heatmap gradient</label>
            <select
              id="gradient"
              value={draft.appearance.gradient}
              onChange={(e) => update((s) => (s.appearance.gradient = (e.target as HTMLSelectElement).value as GradientPreset))}
            >
              {(Object.keys(GRADIENT_LABELS) as GradientPreset[]).map((g) => (
                <option key={g} value={g}>
                  {GRADIENT_LABELS[g]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="theme">Theme</label>
            <select
              id="theme"
              value={draft.appearance.theme}
              onChange={(e) =>
                update((s) => (s.appearance.theme = (e.target as HTMLSelectElement).value as Settings['appearance']['theme']))
              }
            >
              <option value="system">Follow the system</option>
              <option value="dark">Dark</option>
              <option value="light">Light</option>
            </select>
          </div>
        </fieldset>

        <ModelSettings model={draft.model} onChange={(m) => update((s) => (s.model = m))} />

        <AlertRules alerts={draft.alerts} onChange={(a) => update((s) => (s.alerts = a))} />

        <CustomSites
          overlay={draft.overlay}
          requestHost={(pattern) => browser.permissions.request({ origins: [pattern] })}
          saveOverlay={async (patch) => {
            await updateSettings((s) => Object.assign(s.overlay, patch));
            update((s) => Object.assign(s.overlay, patch));
          }}
        />

        <RecordingExport />

        <SettingsTransfer
          settings={draft}
          onImport={async (next) => {
            await settingsItem.setValue(next);
            setDraft(next);
            applyTheme(next);
          }}
        />

        <div class="actions">
          <button type="submit" class="primary" disabled={errors.length > 0}>
            Save
          </button>
          <button type="button" onClick={() => update((s) => Object.assign(s, defaultSettings()))}>
            Reset to defaults
          </button>
          <span role="status" aria-live="polite">
            {status.kind === 'saved' && 'Saved. Applied to every open chart.'}
            {status.kind === 'error' && <span class="error">{status.message}</span>}
          </span>
        </div>
      </form>
    </main>
  );
}
