/**
 * Options: venues, symbols and endpoint overrides, overlay sites, model, appearance, alerts. The page
 * edits a draft and sends the background only what the user changed (a patch); the background is
 * the one writer. The draft follows the stored settings: a change made elsewhere (the popup, a chart
 * page, the keyboard command) shows up here at once, and the user's own unsaved edits stay on top.
 *
 * One save model: everything autosaves once valid, after a short pause, and the sticky bar says so.
 * Text that reconnects feeds (endpoints) is saved when the field is left or Enter is pressed, never
 * half-typed; anything invalid is not saved, and the bar says what to fix.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { FeedHealth } from '@/components/FeedHealth';
import { RecordingExport } from '@/components/RecordingExport';
import { applyTheme, useNow } from '@/components/live-store';
import { formatClock } from '@/lib/ui/format';
import { listVenues } from '@/lib/exchanges';
import type { VenueHealth } from '@/lib/contract/health';
import { sendMessage } from '@/lib/contract/protocol';
import type { VenueId } from '@/lib/exchanges/types';
import {
  defaultSettings,
  endpointError,
  FOLLOW_PER_VENUE,
  HYPERLIQUID_WEIGHT_PER_MINUTE,
  POSITIONS_BUDGET_SHARE,
  rebaseDraft,
  sanitizeSettings,
  settingsDiff,
  type Settings,
  type SettingsPatch,
} from '@/lib/settings';
import { loadSettings, watchSettings } from '@/lib/settings/storage';
import { sites } from '@/lib/sites';
import { CustomSites } from '@/components/CustomSites';
import { ModelSettings } from '@/components/ModelSettings';
import { ModelCalibration } from '@/components/ModelCalibration';
import type { CoinCalibration } from '@/lib/contract/positions';
import { AlertRules } from '@/components/AlertRules';
import { SettingsTransfer } from '@/components/SettingsTransfer';
import { GRADIENT_LABELS, type GradientPreset } from '@/lib/ui/gradients';
import { browser } from 'wxt/browser';

type Status =
  { kind: 'idle' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'saved'; at: number } | { kind: 'error'; message: string };

/** The section index: every part of the page one click away. */
const SECTIONS = [
  ['sec-status', 'Feed status'],
  ['sec-venues', 'Venues'],
  ['sec-display', 'Display'],
  ['sec-follow', 'Follow'],
  ['sec-overlay', 'Overlay'],
  ['sec-positions', 'Positions'],
  ['sec-appearance', 'Appearance'],
  ['sec-model', 'Model'],
  ['sec-alerts', 'Alerts'],
  ['sec-sites', 'Custom sites'],
  ['sec-recording', 'Recording'],
  ['sec-transfer', 'Import / export'],
] as const;

/** Autosave waits this long after the last change: one write per burst of edits. */
const AUTOSAVE_MS = 400;

/** Send a change to the one settings writer; resolves the error text, if any. */
async function send(request: Promise<{ settings: Settings } | { error: string }>): Promise<string | undefined> {
  try {
    const result = await request;
    return 'error' in result ? result.error : undefined;
  } catch (err) {
    return `Could not save: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** A patch without venue edits: what autosaves while an endpoint is still being typed. */
function withoutVenues(patch: SettingsPatch | undefined): SettingsPatch | undefined {
  if (!patch) return undefined;
  const { venues: _venues, ...rest } = patch;
  return Object.keys(rest).length ? rest : undefined;
}

export function App() {
  const [draft, setDraftState] = useState<Settings | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  /** Fields edited here that were also changed elsewhere before they were saved. */
  const [conflicts, setConflicts] = useState<string[]>([]);
  const [feeds, setFeeds] = useState<VenueHealth[]>([]);
  const [calibration, setCalibration] = useState<CoinCalibration[]>([]);
  const autosave = useRef<ReturnType<typeof setTimeout>>(undefined);
  /** An endpoint field is being typed: venue edits wait until it is left (or Enter). */
  const typingEndpoint = useRef(false);
  /** The stored settings the draft was last rebased on, and the draft itself, for callbacks. */
  const base = useRef<Settings | null>(null);
  const current = useRef<Settings | null>(null);
  const setDraft = (next: Settings) => {
    current.current = next;
    setDraftState(next);
    applyTheme(next);
  };
  const now = useNow();

  useEffect(() => {
    void loadSettings().then((s) => {
      if (base.current) return; // the watch was first
      base.current = s;
      setDraft(s);
    });
    const unwatch = watchSettings((stored) => {
      const previous = base.current;
      base.current = stored;
      if (!previous || !current.current) return setDraft(stored);
      const rebased = rebaseDraft(previous, current.current, stored);
      setDraft(rebased.draft);
      if (rebased.conflicts.length) setConflicts(rebased.conflicts);
    });
    // Venue status, so a venue that is down or blocked is visible where it is configured.
    const poll = () => {
      sendMessage('getStatus').then(setFeeds, () => setFeeds([]));
      sendMessage('getCalibration').then(setCalibration, () => setCalibration([]));
    };
    poll();
    const t = setInterval(poll, 2_000);
    return () => {
      clearInterval(t);
      unwatch();
    };
  }, []);
  if (!draft) return <p class="options muted">Loading settings…</p>;

  /** Change the draft; it is saved after a short pause, so charts and the popup follow as you edit. */
  const update = (fn: (s: Settings) => void) => {
    const next = structuredClone(current.current ?? draft);
    fn(next);
    setDraft(next);
    setStatus({ kind: 'pending' });
    scheduleSave(AUTOSAVE_MS);
  };
  const scheduleSave = (ms: number) => {
    clearTimeout(autosave.current);
    autosave.current = setTimeout(() => void save(), ms);
  };
  const errors = listVenues().flatMap((v) =>
    (['ws', 'rest'] as const).flatMap((kind) => {
      const url = draft.venues[v.id]?.endpoints[kind];
      const err = url ? endpointError(kind, url) : undefined;
      return err ? [{ venue: v.id, kind, err }] : [];
    }),
  );

  /** Save what differs from the stored settings; venue edits wait while an endpoint is being typed. */
  async function save() {
    clearTimeout(autosave.current);
    const problems = current.current ? sanitizeSettings(current.current).problems : [];
    if (problems.length) return setStatus({ kind: 'error', message: `Not saved: ${problems.join('; ')}.` });
    const diff = settingsDiff(base.current, current.current);
    const patch = typingEndpoint.current ? withoutVenues(diff) : diff;
    if (!patch) return setStatus(typingEndpoint.current ? { kind: 'pending' } : { kind: 'saved', at: Date.now() });
    setStatus({ kind: 'saving' });
    const error = await send(sendMessage('changeSettings', patch));
    if (error) return setStatus({ kind: 'error', message: error });
    setConflicts([]);
    setStatus(typingEndpoint.current ? { kind: 'pending' } : { kind: 'saved', at: Date.now() });
  }

  /** Replace the stored settings whole (import, reset); the draft starts again from them. */
  async function replace(next: Settings) {
    const error = await send(sendMessage('replaceSettings', next));
    if (error) return setStatus({ kind: 'error', message: error });
    base.current = next;
    setDraft(next);
    setConflicts([]);
    setStatus({ kind: 'saved', at: Date.now() });
  }

  return (
    <main class="options">
      <h1>LiqLens options</h1>
      <nav class="section-index" aria-label="Sections">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      <section id="sec-status" aria-labelledby="status-h">
        <h2 id="status-h">Feed status</h2>
        <FeedHealth feeds={feeds} now={now} />
      </section>
      <form
        onSubmit={(e) => {
          // Enter in a field: save now (an endpoint included) instead of after the pause.
          e.preventDefault();
          typingEndpoint.current = false;
          void save();
        }}
      >
        <span id="sec-venues" class="anchor" />
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
                {(feeds.find((f) => f.venue === adapter.id)?.unlisted.length ?? 0) > 0 && (
                  <span class="error-text" data-testid={`unlisted-${adapter.id}`}>
                    Not listed on {adapter.label}: {feeds.find((f) => f.venue === adapter.id)!.unlisted.join(', ')}
                  </span>
                )}
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
                    onInput={(e) => {
                      typingEndpoint.current = true;
                      update((s) => (s.venues[adapter.id as VenueId]!.endpoints[kind] = (e.target as HTMLInputElement).value.trim()));
                    }}
                    onChange={() => {
                      // Left the field: the endpoint is what the user meant; save it (if valid) now.
                      typingEndpoint.current = false;
                      scheduleSave(0);
                    }}
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
              <p class="hint">
                Leave an endpoint empty to use the venue's public default. Overrides are for proxies, relays and tests; one is saved when
                you leave its field.
              </p>
            </fieldset>
          );
        })}

        <fieldset id="sec-display">
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

        <fieldset id="sec-follow" data-testid="follow-settings">
          <legend>Follow the page’s coin</legend>
          <div class="field">
            <label for="follow-enabled">Stream the coin a chart shows when no venue above streams it</label>
            <input
              id="follow-enabled"
              type="checkbox"
              checked={draft.follow.enabled}
              onChange={(e) => update((s) => (s.follow.enabled = (e.target as HTMLInputElement).checked))}
            />
          </div>
          <div class="field">
            <label for="follow-grace">Keep it after the page closes for</label>
            <select
              id="follow-grace"
              value={draft.follow.graceMinutes}
              onChange={(e) => update((s) => (s.follow.graceMinutes = Number((e.target as HTMLSelectElement).value)))}
            >
              {[0, 1, 5, 15, 30, 60].map((m) => (
                <option key={m} value={m}>
                  {m === 0 ? 'no time (stop at once)' : `${m} minute${m === 1 ? '' : 's'}`}
                </option>
              ))}
            </select>
          </div>
          <p class="hint">
            Subscribed on every enabled venue that lists the coin, with its last day of history; at most {FOLLOW_PER_VENUE} coins a venue at
            a time. Pin one in the popup to keep it: it becomes one of the venue’s symbols.
          </p>
        </fieldset>

        <fieldset id="sec-overlay">
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
              ['positions', 'Real positions (Hyperliquid)'],
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

        <fieldset id="sec-positions" data-testid="positions-settings">
          <legend>Positions</legend>
          <div class="field">
            <label for="positions-enabled">Read real positions on Hyperliquid</label>
            <input
              id="positions-enabled"
              type="checkbox"
              checked={draft.positions.enabled}
              onChange={(e) => update((s) => (s.positions.enabled = (e.target as HTMLInputElement).checked))}
            />
          </div>
          <div class="field">
            <label for="positions-budget">
              Share of Hyperliquid's request budget: {Math.round(draft.positions.budgetShare * 100)} % ={' '}
              {Math.floor(HYPERLIQUID_WEIGHT_PER_MINUTE * draft.positions.budgetShare)} of {HYPERLIQUID_WEIGHT_PER_MINUTE} weight a minute
              (about {Math.floor((HYPERLIQUID_WEIGHT_PER_MINUTE * draft.positions.budgetShare) / 2)} wallets read a minute)
            </label>
            <input
              id="positions-budget"
              type="range"
              min={POSITIONS_BUDGET_SHARE.min}
              max={POSITIONS_BUDGET_SHARE.max}
              step="0.05"
              value={draft.positions.budgetShare}
              onInput={(e) => update((s) => (s.positions.budgetShare = Number((e.target as HTMLInputElement).value)))}
            />
          </div>
          <p class="hint">
            Hyperliquid's trades name both wallets, and each wallet's positions, with the exchange's own liquidation price, are public.
            LiqLens reads the wallets it sees trading, largest first, and shows what it has read as a sample with its coverage. Hyperliquid
            allows {HYPERLIQUID_WEIGHT_PER_MINUTE} request weight a minute per IP address, and your own Hyperliquid tab spends from the same
            budget: keep LiqLens's share small if you trade there. A "too many requests" answer stops every LiqLens request to Hyperliquid
            at once.
          </p>
        </fieldset>

        <fieldset id="sec-appearance">
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

        <span id="sec-model" class="anchor" />
        <ModelSettings model={draft.model} onChange={(m) => update((s) => (s.model = m))}>
          <ModelCalibration calibration={calibration} onUseMix={(mix) => update((s) => (s.model = { ...s.model, leverage: mix }))} />
        </ModelSettings>

        <span id="sec-alerts" class="anchor" />
        <AlertRules alerts={draft.alerts} onChange={(a) => update((s) => (s.alerts = a))} />

        <span id="sec-sites" class="anchor" />
        <CustomSites
          overlay={draft.overlay}
          requestHost={(pattern) => browser.permissions.request({ origins: [pattern] })}
          saveOverlay={async (patch) => {
            // Saved at once (a granted permission with no saved site would be a permission for
            // nothing); the storage watch brings the result into the draft.
            const error = await send(sendMessage('changeSettings', { overlay: patch }));
            if (error) setStatus({ kind: 'error', message: error });
          }}
        />

        <span id="sec-recording" class="anchor" />
        <RecordingExport enabled={draft.recording.enabled} onToggle={(on) => update((s) => (s.recording.enabled = on))} />

        <span id="sec-transfer" class="anchor" />
        <SettingsTransfer settings={draft} onImport={replace} />

        <div class="actions">
          <span role="status" aria-live="polite" data-testid="options-status" class={`save-state ${status.kind}`}>
            {status.kind === 'idle' && 'Changes save as you make them.'}
            {status.kind === 'pending' && 'Unsaved changes…'}
            {status.kind === 'saving' && 'Saving…'}
            {status.kind === 'saved' && `✓ Saved at ${formatClock(status.at)}: applied to every open chart.`}
            {status.kind === 'error' && <span class="error">{status.message}</span>}
            {conflicts.length > 0 && (
              <span class="error" data-testid="options-conflicts">
                {' '}
                Changed elsewhere while you edited: {conflicts.join(', ')}. Your values are kept here and saved.
              </span>
            )}
          </span>
          {/* Enter in any field saves at once; the button is for the pointer: nothing waits for it. */}
          <button type="submit" class="primary" disabled={status.kind === 'saved' || status.kind === 'idle'}>
            Save now
          </button>
          <button
            type="button"
            onClick={() => {
              // Your sites and calibrations are kept: they carry permissions and clicks on pages.
              const defaults = defaultSettings();
              const { customSites, calibrations } = base.current?.overlay ?? defaults.overlay;
              void replace({ ...defaults, overlay: { ...defaults.overlay, customSites, calibrations } });
            }}
          >
            Reset to defaults
          </button>
        </div>
      </form>
    </main>
  );
}
