/**
 * Options: venues, symbols and endpoint overrides, overlay sites, model, appearance, alerts, each a
 * section of its own (components/options/). The page edits a draft and sends the background only
 * what the user changed (a patch); the background is the one writer (use-settings-draft.ts). Feed
 * health comes with the worker's snapshots, like the popup's.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { AlertRules } from '@/components/AlertRules';
import { t } from '@/lib/i18n';
import { CustomSites } from '@/components/CustomSites';
import { FeedHealth } from '@/components/FeedHealth';
import { createLiveStore, useLive, useNow, type LiveStore } from '@/components/live-store';
import { subscribeLive } from '@/components/live-subscription';
import { ModelCalibration } from '@/components/ModelCalibration';
import { ModelCheck, PriorChoice } from '@/components/ModelCheck';
import { ModelSettings } from '@/components/ModelSettings';
import { AppearanceSection } from '@/components/options/AppearanceSection';
import { DisplaySection } from '@/components/options/DisplaySection';
import { FollowSection } from '@/components/options/FollowSection';
import { OverlaySection } from '@/components/options/OverlaySection';
import { PositionsSection } from '@/components/options/PositionsSection';
import { MyPositionsSection } from '@/components/options/MyPositionsSection';
import { SaveBar } from '@/components/options/SaveBar';
import { send, useSettingsDraft } from '@/components/options/use-settings-draft';
import { VenuesSection } from '@/components/options/VenuesSection';
import { RecordingExport } from '@/components/RecordingExport';
import { SettingsTransfer } from '@/components/SettingsTransfer';
import type { CoinCalibration } from '@/lib/contract/positions';
import { sendMessage } from '@/lib/contract/protocol';
import { browser } from 'wxt/browser';

/** The section index: every part of the page one click away. */
/** The page's sections, in order, with their names in the index (catalogue keys). */
const SECTIONS = [
  ['sec-status', 'secFeedStatus'],
  ['sec-venues', 'secVenues'],
  ['sec-display', 'secDisplay'],
  ['sec-follow', 'secFollow'],
  ['sec-overlay', 'secOverlay'],
  ['sec-positions', 'secPositions'],
  ['sec-appearance', 'secAppearance'],
  ['sec-my', 'myPositionsName'],
  ['sec-model', 'secModel'],
  ['sec-alerts', 'secAlerts'],
  ['sec-sites', 'secCustomSites'],
  ['sec-transfer', 'secImportExport'],
  ['sec-recording', 'secRecording'],
] as const;

/** The calibration is computed at most every 10 s in the worker: asked that often while the page is open. */
const CALIBRATION_EVERY_MS = 10_000;

export function App() {
  const settings = useSettingsDraft();
  const store = useMemo(() => createLiveStore(), []);
  // Only what the form shows of the feeds (symbols a venue does not list): a push that changes counts
  // alone re-renders the feed table below, not the whole page.
  const unlistedKey = useLive(store, (s) => JSON.stringify(Object.fromEntries(s.snapshot.feeds.map((f) => [f.venue, f.unlisted]))));
  const unlisted = useMemo(() => JSON.parse(unlistedKey) as Record<string, string[]>, [unlistedKey]);
  const [calibration, setCalibration] = useState<CoinCalibration[]>([]);

  useEffect(() => {
    const timers: ReturnType<typeof setInterval>[] = [];
    const live = subscribeLive(store, { resubscribeAfterMs: 3_000, every: (fn, ms) => timers.push(setInterval(fn, ms)) });
    void live.refresh();
    const calibrate = () => sendMessage('getCalibration').then(setCalibration, () => setCalibration([]));
    calibrate();
    timers.push(setInterval(calibrate, CALIBRATION_EVERY_MS));
    return () => {
      live.stop();
      timers.forEach(clearInterval);
    };
  }, [store]);

  const { draft, update, setStatus } = settings;
  if (!draft) return <p class="options muted">{t('optionsLoading')}</p>;
  const section = { draft, update };
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <nav class="section-index" aria-label={t('optionsSections')}>
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {t(label)}
          </a>
        ))}
      </nav>
      <section id="sec-status" aria-labelledby="status-h">
        <h2 id="status-h">{t('secFeedStatus')}</h2>
        <LiveFeedHealth store={store} />
      </section>
      <form
        onSubmit={(e) => {
          // Enter in a field: save now (an endpoint included) instead of after the pause.
          e.preventDefault();
          void settings.submit();
        }}
      >
        <VenuesSection {...section} unlisted={unlisted} typingEndpoint={settings.typingEndpoint} />
        <DisplaySection {...section} />
        <FollowSection {...section} />
        <OverlaySection {...section} requestHosts={(origins) => browser.permissions.request({ origins })} />
        {/* Short sections stacked beside a tall one (wide screens), in reading order. */}
        <div class="section-stack">
          <PositionsSection {...section} />
          <AppearanceSection {...section} />
          <MyPositionsSection {...section} />
        </div>

        <ModelSettings model={draft.model} onChange={(m) => update((s) => (s.model = m))}>
          <LiveModelCheck
            store={store}
            prior={draft.model.prior ?? 'default'}
            onPrior={(prior) => update((s) => (s.model = { ...s.model, prior }))}
          />
          <ModelCalibration calibration={calibration} onUseMix={(mix) => update((s) => (s.model = { ...s.model, leverage: mix }))} />
        </ModelSettings>

        <AlertRules alerts={draft.alerts} onChange={(a) => update((s) => (s.alerts = a))} />

        <div class="section-stack">
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
          <SettingsTransfer settings={draft} onImport={settings.replace} />
        </div>

        <RecordingExport enabled={draft.recording.enabled} onToggle={(on) => update((s) => (s.recording.enabled = on))} />

        <SaveBar settings={settings} />
      </form>
    </main>
  );
}

/** The feed table, live: it re-renders with each push and each second (ages), the form around it does not. */
function LiveFeedHealth({ store }: { store: LiveStore }) {
  const feeds = useLive(store, (s) => s.snapshot.feeds);
  return <FeedHealth feeds={feeds} now={useNow()} />;
}

/** The prior choice and the model check, live (the score changes with each liquidation). */
function LiveModelCheck({
  store,
  prior,
  onPrior,
}: {
  store: LiveStore;
  prior: 'default' | 'learned';
  onPrior(p: 'default' | 'learned'): void;
}) {
  const check = useLive(store, (s) => s.snapshot.model);
  return (
    <>
      <PriorChoice prior={prior} onChange={onPrior} check={check} />
      <ModelCheck check={check} />
    </>
  );
}
