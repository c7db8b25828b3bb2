/**
 * The settings storage item, `local:settings` (a named seam: one of the few files in lib/ that
 * touches a browser API). Everyone may read and watch it; only the worker core writes it, through
 * the SettingsStore port the background builds from `settingsItem`.
 */
import { storage } from '@wxt-dev/storage';
import {
  defaultSettings,
  migrateV1toV2,
  migrateV2toV3,
  migrateV3toV4,
  migrateV4toV5,
  migrateV5toV6,
  migrateV6toV7,
  migrateV7toV8,
  migrateV8toV9,
  sanitizeSettings,
  SETTINGS_VERSION,
  type Settings,
} from './index';

/** The storage item. Reading goes through `loadSettings` so corrupt data never reaches a caller. */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: defaultSettings(),
  version: SETTINGS_VERSION,
  // Keyed by the version they produce; every old shape is a named type in ./schema.ts (SettingsV1, …).
  migrations: {
    2: migrateV1toV2,
    3: migrateV2toV3,
    4: migrateV3toV4,
    5: migrateV4toV5,
    6: migrateV5toV6,
    7: migrateV6toV7,
    8: migrateV7toV8,
    9: migrateV8toV9,
  },
});

export async function loadSettings(): Promise<Settings> {
  return sanitizeSettings(await settingsItem.getValue()).settings;
}

export function watchSettings(cb: (settings: Settings) => void): () => void {
  return settingsItem.watch((value) => cb(sanitizeSettings(value).settings));
}
