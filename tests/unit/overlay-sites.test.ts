/** The worker's overlay switches: the keyboard command's toggle and custom-site registration. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { syncCustomSites, toggleOverlay } from '../../entrypoints/background/overlay-sites';
import { defaultSettings, loadSettings, settingsItem } from '../../lib/settings';

beforeEach(() => fakeBrowser.reset());

describe('overlay toggle command', () => {
  it('turns the overlay off everywhere and back on, keeping every other setting', async () => {
    const s = defaultSettings();
    s.overlay.opacity = 0.42;
    await settingsItem.setValue(s);
    expect(await toggleOverlay()).toBe(false);
    expect((await loadSettings()).overlay).toMatchObject({ enabled: false, opacity: 0.42 });
    expect(await toggleOverlay()).toBe(true);
    expect((await loadSettings()).overlay.enabled).toBe(true);
  });
});

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
