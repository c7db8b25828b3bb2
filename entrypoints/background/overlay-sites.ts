/**
 * The browser side of the overlay switches: the keyboard command's name (the core toggles), and the
 * content scripts registered at run time (local pages while they are on, the user's own sites) for
 * the patterns whose host permission the user granted (optional permissions: LiqLens never asks for
 * all sites up front).
 */
import { browser } from 'wxt/browser';

/** Manifest command name (wxt.config.ts). */
export const TOGGLE_COMMAND = 'toggle-overlay';
const SCRIPT_IDS = { bridge: 'liqlens-custom-bridge', overlay: 'liqlens-custom-overlay' };

/**
 * Make the run-time content scripts match exactly the given patterns that are granted. Returns the
 * patterns left out for lack of permission (the options page asks for them again).
 */
export async function syncRunTimeSites(patterns: readonly string[]): Promise<string[]> {
  const scripting = browser.scripting;
  if (!scripting?.registerContentScripts) return [...patterns];
  const granted: string[] = [];
  const missing: string[] = [];
  for (const pattern of patterns) {
    if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
    else missing.push(pattern);
  }
  const existing = (await scripting.getRegisteredContentScripts({ ids: Object.values(SCRIPT_IDS) })).map((s) => s.id);
  if (existing.length) await scripting.unregisterContentScripts({ ids: existing });
  if (granted.length) {
    await scripting.registerContentScripts([
      {
        id: SCRIPT_IDS.bridge,
        matches: granted,
        js: ['content-scripts/chart-bridge.js'],
        runAt: 'document_start',
        world: 'MAIN',
        persistAcrossSessions: true,
      },
      {
        id: SCRIPT_IDS.overlay,
        matches: granted,
        js: ['content-scripts/overlay.js'],
        runAt: 'document_start',
        persistAcrossSessions: true,
      },
    ]);
  }
  return missing;
}
