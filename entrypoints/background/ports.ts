/**
 * The worker core's ports (lib/worker/ports.ts), built from browser APIs. This is the only place
 * where the core's world meets the browser: storage areas, IndexedDB, notifications, messaging and
 * the scripting API for run-time sites.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { systemClock } from '@/lib/clock';
import { HistoryStore } from '@/lib/model/history-store';
import { sendMessage } from '@/lib/contract/protocol';
import { loadSettings, settingsItem } from '@/lib/settings/storage';
import type { KeyValueStore, WorkerPorts } from '@/lib/worker/ports';
import { syncRunTimeSites } from './overlay-sites';

function area(prefix: 'session' | 'local'): KeyValueStore {
  return {
    get: (key) => storage.getItem(`${prefix}:${key}`),
    set: (key, value) => storage.setItem(`${prefix}:${key}`, value),
    setMany: (values) => storage.setItems(Object.entries(values).map(([key, value]) => ({ key: `${prefix}:${key}` as const, value }))),
  };
}

export function browserPorts(notice: (message: string) => void): WorkerPorts {
  return {
    socket: (url) => new WebSocket(url),
    fetch: (url, init) => fetch(url, init),
    clock: systemClock,
    session: area('session'),
    local: area('local'),
    settings: { load: loadSettings, save: (s) => settingsItem.setValue(s) },
    openHistory: () => HistoryStore.open({ notice }),
    notify: async (alert, { sound }) => {
      await browser.notifications?.create(alert.id, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('/icon/128.png'),
        title: alert.title,
        message: alert.message,
        silent: !sound,
        priority: 2,
      });
    },
    // Extension pages (the popup) are one listener; a rejection means none is open. A tab's overlay
    // answers true while it wants more; messaging resolves undefined when nothing answers.
    publish: async (snapshot, listener) =>
      (listener === 'page'
        ? await sendMessage('snapshot', snapshot)
        : await sendMessage('snapshot', snapshot, Number(listener.slice(4)))) === true,
    pushRealized: async (liquidations, listener) =>
      (listener === 'page'
        ? await sendMessage('realized', liquidations)
        : await sendMessage('realized', liquidations, Number(listener.slice(4)))) === true,
    syncRunTimeSites,
    log: (message, error) => console.warn(`LiqLens: ${message}`, ...(error === undefined ? [] : [error])),
  };
}
