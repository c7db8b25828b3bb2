/**
 * The overlay content script (isolated world): takes the chart bridge's private channel at
 * document_start, finds out whether this site is enabled, mounts the overlay in a shadow root once
 * the page has a body and keeps it fed with snapshots from the background. It holds no feed state.
 *
 * Lifecycle: single-page apps change the URL without reloading, so the page (and the symbol its URL
 * names) is recomputed on every `wxt:locationchange`; mounting and unmounting run one at a time
 * (a settings change during a mount waits for it); every listener ends with the context.
 */
import { render } from 'preact';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { useBrowserLanguage } from '@/components/browser-language';
import { runEffectsWithoutFrames } from '@/components/effects-without-frames';
import { createLiveStore } from '@/components/live-store';
import { subscribeLive } from '@/components/live-subscription';
import { Overlay, type OverlayPage, type OverlayProps } from '@/components/Overlay';
import { changeSettings, onMessage, sendMessage, type PageInfo } from '@/lib/contract/protocol';
import { errorText } from '@/lib/error-text';
import { currentLocale } from '@/lib/i18n';
import { applySettingsPatch, type Settings } from '@/lib/settings';
import { loadSettings, watchSettings } from '@/lib/settings/storage';
import { CUSTOM_SITE_ID, overlayMatches, siteForUrl, siteLabel } from '@/lib/sites';
import { listenForBridge } from '@/lib/sites/bridge';
import { symbolFromUrl } from '@/lib/sites/symbols';
// Inlined, not a web-accessible file: custom sites (matched at run time) could not fetch it, and
// pages could not probe for it.
import overlayCss from './style.css?inline';

/** Without a push for this long, ask again (the worker may have restarted and forgotten this tab). */
const RESUBSCRIBE_AFTER_MS = 5_000;

type OverlayUi = Awaited<ReturnType<typeof createShadowRootUi<HTMLElement>>>;

export default defineContentScript({
  matches: overlayMatches,
  // document_start: the bridge's hello must find our listener before any page script can post one.
  runAt: 'document_start',
  cssInjectionMode: 'manual',
  async main(ctx) {
    runEffectsWithoutFrames();
    useBrowserLanguage();
    const store = createLiveStore();
    // Chart reports from the MAIN-world bridge; unchanged ones (resent for late starters) skipped.
    let lastReport = '';
    const bridge = listenForBridge(window, (report) => {
      const key = JSON.stringify(report);
      if (key === lastReport) return;
      lastReport = key;
      // null: the chart went (hidden, another tab of the page): the overlay hides until it returns.
      store.setState(report ? { chart: report, chartSeen: true } : { chart: null });
    });
    ctx.onInvalidated(bridge.stop);

    let url = location.href;
    let settings = await loadSettings();
    const site = () => siteForUrl(url, settings.overlay.customSites);
    const enabledHere = () => {
      const current = site();
      if (!current || !settings.overlay.enabled) return false;
      return current.id === CUSTOM_SITE_ID || settings.overlay.sites[current.id] === true;
    };
    await domReady();

    const info: NonNullable<OverlayProps['info']> = { current: { mode: 'off' } };
    const page = (): OverlayPage => ({
      siteId: site()?.id ?? CUSTOM_SITE_ID,
      host: new URL(url).host,
      urlSymbol: symbolFromUrl(url),
    });
    const props: Omit<OverlayProps, 'store' | 'page'> = {
      info,
      fetchHeatmap: (request) => sendMessage('getHeatmap', request),
      watchCoin: (coin) => void sendMessage('watchCoin', { coin }).catch(() => {}),
      showPrices: (range) => bridge.showPrices(range),
      // A patch to the one settings writer; this tab follows the result through the storage watch.
      // Shown here at once: a redraw (a snapshot arrives every 250 ms) before the stored value comes
      // back would otherwise set a just-clicked checkbox back. A refused patch reloads what is stored.
      saveOverlay: (patch) => {
        const applied = applySettingsPatch(settings, { overlay: patch });
        if ('settings' in applied) {
          settings = applied.settings;
          store.setState({ settings });
          sync();
        }
        changeSettings({ overlay: patch }).catch(async (err: unknown) => {
          settings = await loadSettings();
          store.setState({ settings, error: errorText(err) });
          sync();
        });
      },
    };

    let ui: OverlayUi | null = null;
    let container: HTMLElement | null = null;
    const draw = () => container && render(<Overlay store={store} page={page()} {...props} />, container);
    // At most one a second for a chart tab (the core's TAB_SNAPSHOT_INTERVAL_MS); none while unmounted.
    const live = subscribeLive(store, {
      wanted: () => ui !== null,
      resubscribeAfterMs: RESUBSCRIBE_AFTER_MS,
      every: (fn, ms) => ctx.setInterval(fn, ms),
    });
    ctx.onInvalidated(live.stop);
    const refresh = live.refresh;
    const unmount = () => {
      ui?.remove();
      ui = container = null;
    };
    // Mount, unmount or redraw for the current settings and URL; one at a time, in order.
    let pending = Promise.resolve();
    const sync = () => {
      pending = pending.then(async () => {
        if (!ctx.isValid) return;
        if (enabledHere() && !ui) {
          ui = await mountUi(ctx, (c) => {
            container = c;
            draw();
          });
          await refresh();
        } else if (!enabledHere() && ui) unmount();
        else draw();
      });
    };
    ctx.onInvalidated(unmount);

    const stopPageInfo = onMessage('pageInfo', (): PageInfo | null => {
      const s = site();
      if (!s) return null;
      return { siteId: s.id, label: siteLabel(s), host: new URL(url).host, ...(ui ? info.current : { mode: 'off' }) };
    });
    ctx.onInvalidated(stopPageInfo);
    // Read settings from storage directly: a tab with the overlay off is not subscribed to pushes.
    const unwatch = watchSettings((next: Settings) => {
      settings = next;
      store.setState({ settings: next });
      sync();
    });
    ctx.onInvalidated(unwatch);
    // Single-page apps: a new URL can name another symbol, or leave the chart.
    ctx.addEventListener(window, 'wxt:locationchange', (event) => {
      url = event.newUrl.href;
      sync();
    });

    store.setState({ settings });
    sync();
  },
});

function domReady(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

async function mountUi(ctx: ContentScriptContext, onContainer: (container: HTMLElement) => void): Promise<OverlayUi> {
  const ui = await createShadowRootUi(ctx, {
    name: 'liqlens-overlay',
    css: overlayCss,
    position: 'overlay',
    zIndex: 2147483000,
    onMount(container) {
      // The page's own lang may be another language: the overlay's text is in the browser's.
      container.lang = currentLocale();
      onContainer(container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  ui.mount();
  return ui;
}
