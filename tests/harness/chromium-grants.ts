/**
 * Host permissions granted in a Chromium profile, as the trader's "Allow" on the browser's prompt
 * would grant them. Headless Chromium cannot show that prompt (`permissions.request` waits on a
 * dialog nobody sees, and no flag answers it), so the harness writes the grant where Chromium keeps
 * it: the profile's Preferences, `extensions.settings.<id>`, granted and active permissions. Written
 * while the browser is closed and read at its next start; Linux Chromium does not enforce the
 * preference hashes, so the edit stands.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sites } from '../../lib/sites';

/** The hosts of local chart pages (fixture pages and the demo are served there), asked for at run time. */
export const LOCAL_PAGE_HOSTS: readonly string[] = sites.find((s) => s.id === 'local')?.matches ?? [];

type ExtensionEntry = { granted_permissions?: { explicit_host?: string[] }; active_permissions?: { explicit_host?: string[] } };

function preferencesOf(profile: string): { path: string; prefs: { extensions?: { settings?: Record<string, ExtensionEntry> } } } | null {
  const path = join(profile, 'Default', 'Preferences');
  return existsSync(path) ? { path, prefs: JSON.parse(readFileSync(path, 'utf8')) } : null;
}

/** Whether the profile already holds every host for this extension (a profile reused across a restart). */
export function hostsGranted(profile: string, extensionId: string, hosts: readonly string[]): boolean {
  const entry = preferencesOf(profile)?.prefs.extensions?.settings?.[extensionId];
  const granted = new Set(entry?.granted_permissions?.explicit_host ?? []);
  return hosts.every((h) => granted.has(h));
}

/**
 * Grant `hosts` to an extension the profile has loaded once (its entry exists only after that).
 * Throws when it has not: the caller must start and close the browser first.
 */
export function grantHostsInProfile(profile: string, extensionId: string, hosts: readonly string[]): void {
  const found = preferencesOf(profile);
  const entry = found?.prefs.extensions?.settings?.[extensionId];
  if (!found || !entry)
    throw new Error(`No extension ${extensionId} in ${profile}'s Preferences: start and close the browser with it first.`);
  for (const key of ['granted_permissions', 'active_permissions'] as const) {
    const set = (entry[key] ??= {});
    set.explicit_host = [...new Set([...(set.explicit_host ?? []), ...hosts])];
  }
  writeFileSync(found.path, JSON.stringify(found.prefs));
}
