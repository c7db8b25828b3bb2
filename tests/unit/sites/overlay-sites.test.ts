/** The worker's custom-site registration (the browser side of the overlay switches). */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { syncCustomSites } from '../../../entrypoints/background/overlay-sites';
import { defaultSettings } from '../../../lib/settings';

beforeEach(() => fakeBrowser.reset());

describe('custom sites', () => {
  it('registers the bridge (MAIN world) and overlay for granted patterns only, and reports the others', async () => {
    const registered: { id: string; matches: string[]; world?: string }[][] = [];
    const scripting = {
      getRegisteredContentScripts: vi.fn(async () => [{ id: 'liqlens-custom-bridge' }, { id: 'liqlens-custom-overlay' }]),
      unregisterContentScripts: vi.fn(async () => {}),
      registerContentScripts: vi.fn(async (scripts: { id: string; matches: string[]; world?: string }[]) => void registered.push(scripts)),
    };
    Object.assign(fakeBrowser, { scripting });
    vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation(async (p) => p.origins?.[0] === 'https://charts.example.com/*');
    const s = defaultSettings();
    s.overlay.customSites = ['https://charts.example.com/*', 'https://other.example.org/*'];
    expect(await syncCustomSites(s)).toEqual(['https://other.example.org/*']);
    expect(scripting.unregisterContentScripts).toHaveBeenCalledWith({ ids: ['liqlens-custom-bridge', 'liqlens-custom-overlay'] });
    expect(registered[0].map((r) => [r.id, r.matches, r.world])).toEqual([
      ['liqlens-custom-bridge', ['https://charts.example.com/*'], 'MAIN'],
      ['liqlens-custom-overlay', ['https://charts.example.com/*'], undefined],
    ]);
    // Nothing granted: nothing registered, the old registration removed.
    s.overlay.customSites = ['https://other.example.org/*'];
    await syncCustomSites(s);
    expect(registered).toHaveLength(1);
  });
});
