/**
 * The overlay content script (isolated world): takes the chart bridge's private channel at
 * document_start, finds out whether this site is enabled, mounts the overlay in a shadow root once
 * the page has a body and keeps it fed with snapshots from the background. It holds no feed state.
 */
import { render } from 'preact';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createLiveStore } from '@/components/live-store';
import { Overlay, type OverlayPage, type OverlayProps } from '@/components/Overlay';
import { onMessage, sendMessage, type PageInfo } from '@/lib/protocol';
import { loadSettings, updateSettings, watchSettings, type Settings } from '@/lib/settings';
import { CUSTOM_SITE_ID, overlayMatches, siteForUrl } from '@/lib/sites';
import { listenForBridge } from '@/lib/sites/bridge';
import { symbolFromUrl } from '@/lib/sites/symbols';
// Inlined, not a web-accessible file: custom sites (matched at run time) could not fetch it, and
// pages could not probe for it.
import overlayCss from './style.css?inline';

/** Without a push for this long, ask again (the worker may have restarted and forgotten this tab). */
const RESUBSCRIBE_AFTER_MS = 5_000;

export default defineContentScript({
  matches: overlayMatches,
  // document_start: the bridge's hello must find our listener before any page script can post one.
  runAt: 'document_start',
  cssInjectionMode: 'manual',
  async main(ctx) {
    const store = createLiveStore();
    // Chart reports from the MAIN-world bridge; unchanged ones (resent for late starters) skipped.
    let lastReport = '';
    const bridge = listenForBridge(window, (report) => {
      const key = JSON.stringify(report);
      if (key === lastReport) return;
      lastReport = key;
      store.setState({ chart: report });
    });
    ctx.onInvalidated(bridge.stop);

    let settings = await loadSettings();
    const site = () => siteForUrl(location.href, settings.overlay.customSites);
    if (!site()) return;
    const enabledHere = (s: Settings) => {
      const current = siteForUrl(location.href, s.overlay.customSites);
      if (!current || !s.overlay.enabled) return false;
      return current.id === CUSTOM_SITE_ID || s.overlay.sites[current.id] === true;
    };
    await domReady();

    const info: NonNullable<OverlayProps['info']> = { current: { mode: 'off' } };
    const page = (): OverlayPage => ({
      siteId: site()?.id ?? CUSTOM_SITE_ID,
      host: location.host,
      urlSymbol: symbolFromUrl(location.href),
    });
    const props: Omit<OverlayProps, 'store' | 'page'> = {
      info,
      fetchHeatmap: (request) => sendMessage('getHeatmap', request),
      saveOverlay: (patch) => {
        // Read-modify-write of the one settings item; other tabs and the options page follow via watch.
        void updateSettings((s) => Object.assign(s.overlay, patch));
      },
    };

    let ui: Awaited<ReturnType<typeof mountUi>> | null = null;
    const sync = async (next: Settings) => {
      settings = next;
      store.setState({ settings: next });
      if (enabledHere(next) && !ui) {
        ui = await mountUi(ctx, store, page(), props);
        await refresh();
      } else if (!enabledHere(next) && ui) {
        ui.remove();
        ui = null;
      }
    };

    const refresh = async () => {
      try {
        store.setState({ snapshot: await sendMessage('getSnapshot'), receivedAt: Date.now(), error: null });
      } catch (err) {
        store.setState({ error: err instanceof Error ? err.message : String(err) });
      }
    };

    onMessage('snapshot', ({ data }) => {
      if (!ui) return false; // unmounted: stop the pushes until the next getSnapshot
      store.setState({ snapshot: data, receivedAt: Date.now() });
      return true;
    });
    onMessage('pageInfo', (): PageInfo | null => {
      const s = site();
      if (!s) return null;
      return { siteId: s.id, label: s.label, host: location.host, ...(ui ? info.current : { mode: 'off' }) };
    });
    // Read settings from storage directly: a tab with the overlay off is not subscribed to pushes.
    const unwatch = watchSettings((s) => void sync(s));
    ctx.onInvalidated(unwatch);
    ctx.setInterval(() => {
      if (ui && Date.now() - store.getState().receivedAt > RESUBSCRIBE_AFTER_MS) void refresh();
    }, RESUBSCRIBE_AFTER_MS);

    await sync(settings);
  },
});

function domReady(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

async function mountUi(
  ctx: ContentScriptContext,
  store: ReturnType<typeof createLiveStore>,
  page: OverlayPage,
  props: Omit<OverlayProps, 'store' | 'page'>,
) {
  const ui = await createShadowRootUi(ctx, {
    name: 'liqlens-overlay',
    css: overlayCss,
    position: 'overlay',
    zIndex: 2147483000,
    onMount(container) {
      render(<Overlay store={store} page={page} {...props} />, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  ui.mount();
  return ui;
}
