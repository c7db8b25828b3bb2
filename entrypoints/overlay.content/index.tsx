/**
 * The overlay content script: finds out whether this site is enabled, mounts the ladder in a shadow
 * root and keeps it fed with snapshots from the background. It holds no feed state of its own.
 */
import { render } from 'preact';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createLiveStore } from '@/components/live-store';
import { Overlay } from '@/components/Overlay';
import { onMessage, sendMessage } from '@/lib/protocol';
import { loadSettings, watchSettings, type Settings } from '@/lib/settings';
import { overlayMatches, siteForUrl } from '@/lib/sites';
import { parseBridgeMessage } from '@/lib/sites/bridge';
import './style.css';

/** Without a push for this long, ask again (the worker may have restarted and forgotten this tab). */
const RESUBSCRIBE_AFTER_MS = 5_000;

export default defineContentScript({
  matches: overlayMatches,
  cssInjectionMode: 'ui',
  async main(ctx) {
    const site = siteForUrl(location.href);
    if (!site) return;
    const store = createLiveStore();
    const enabledHere = (s: Settings | null) => !!s && s.overlay.enabled && s.overlay.sites[site.id] === true;

    let ui: Awaited<ReturnType<typeof mountUi>> | null = null;
    const sync = async (settings: Settings) => {
      store.setState({ settings });
      if (enabledHere(settings) && !ui) {
        ui = await mountUi(ctx, store);
        await refresh();
      } else if (!enabledHere(settings) && ui) {
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
    // Read settings from storage directly: a tab with the overlay off is not subscribed to pushes.
    const unwatch = watchSettings((s) => void sync(s));
    ctx.onInvalidated(unwatch);
    // Chart reports from the MAIN-world bridge in this window; anything else posted here is ignored.
    let lastReport = '';
    ctx.addEventListener(window, 'message', (event: MessageEvent) => {
      if (event.source !== window) return;
      const report = parseBridgeMessage(event.data);
      if (!report) return;
      // The bridge repeats unchanged reports for late starters: no redraw for those.
      const key = JSON.stringify(report);
      if (key === lastReport) return;
      lastReport = key;
      store.setState({ chart: report });
    });
    ctx.setInterval(() => {
      if (ui && Date.now() - store.getState().receivedAt > RESUBSCRIBE_AFTER_MS) void refresh();
    }, RESUBSCRIBE_AFTER_MS);

    await sync(await loadSettings());
  },
});

async function mountUi(ctx: ContentScriptContext, store: ReturnType<typeof createLiveStore>) {
  const ui = await createShadowRootUi(ctx, {
    name: 'liqlens-overlay',
    position: 'overlay',
    zIndex: 2147483000,
    onMount(container) {
      render(<Overlay store={store} />, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  ui.mount();
  return ui;
}
