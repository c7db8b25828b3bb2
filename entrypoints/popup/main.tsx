import { render } from 'preact';
import { runEffectsWithoutFrames } from '@/components/effects-without-frames';
import { applyTheme, createLiveStore, mergeRealized } from '@/components/live-store';
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { onMessage, sendMessage } from '@/lib/contract/protocol';
import { loadSettings, watchSettings } from '@/lib/settings/storage';
import { App } from './App';
import '@/components/ui.css';

const store = createLiveStore();
// A snapshot equal to the one shown (a still market) only refreshes the clock: nothing re-renders.
let shown = '';
function show(snapshot: LiqSnapshot): void {
  const key = JSON.stringify({ ...snapshot, generatedAt: 0 }); // equal but for when it was built
  if (key === shown) return store.setState({ receivedAt: Date.now(), error: null });
  shown = key;
  store.setState({ snapshot, receivedAt: Date.now(), error: null });
}
onMessage('snapshot', ({ data }) => {
  show(data);
  return true;
});
onMessage('realized', ({ data }) => {
  mergeRealized(store, data);
  return true;
});
// Settings come from storage, whoever changed them (this popup, Options, a chart page, the command).
watchSettings((settings) => store.setState({ settings }));
store.subscribe((s) => applyTheme(s.settings));

const refresh = () =>
  sendMessage('getSnapshot')
    .then(show)
    .catch((err: unknown) => store.setState({ error: `Background not reachable: ${err instanceof Error ? err.message : String(err)}` }));

void loadSettings().then((settings) => store.setState({ settings }));
void refresh();
// Pushes stop if the worker restarts while the popup is open; asking again wakes it.
setInterval(() => {
  if (Date.now() - store.getState().receivedAt > 3_000) void refresh();
}, 3_000);

runEffectsWithoutFrames();
render(<App store={store} />, document.getElementById('app')!);
