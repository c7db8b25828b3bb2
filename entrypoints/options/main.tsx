import { render } from 'preact';
import { useBrowserLanguage } from '@/components/browser-language';
import { App } from './App';
import '@/components/ui.css';

useBrowserLanguage(document.documentElement);
render(<App />, document.getElementById('app')!);
