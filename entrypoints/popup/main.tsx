import { render } from 'preact';
import { useBrowserLanguage } from '@/components/browser-language';
import { runEffectsWithoutFrames } from '@/components/effects-without-frames';
import { applyTheme, createLiveStore } from '@/components/live-store';
import { subscribeLive } from '@/components/live-subscription';
import { loadSettings, watchSettings } from '@/lib/settings/storage';
import { App } from './App';
import '@/components/ui.css';

useBrowserLanguage(document.documentElement);
const store = createLiveStore();
// Settings come from storage, whoever changed them (this popup, Options, a chart page, the command).
watchSettings((settings) => store.setState({ settings }));
store.subscribe((s) => applyTheme(s.settings));
void loadSettings().then((settings) => store.setState({ settings }));
// Pushes stop if the worker restarts while the popup is open; asking again wakes it.
void subscribeLive(store, { resubscribeAfterMs: 3_000, every: (fn, ms) => setInterval(fn, ms), skipEqual: true }).refresh();

runEffectsWithoutFrames();
render(<App store={store} />, document.getElementById('app')!);
