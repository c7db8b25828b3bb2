/** The worker's run-time site registration (the browser side of the overlay switches). */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { syncRunTimeSites } from '../../../entrypoints/background/overlay-sites';
import { defaultSettings } from '../../../lib/settings';
import { overlayMatches, runTimeOverlayPatterns } from '../../../lib/sites';

beforeEach(() => fakeBrowser.reset());

describe('sites registered at run time', () => {
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
    expect(await syncRunTimeSites(runTimeOverlayPatterns(s.overlay))).toEqual(['https://other.example.org/*']);
    expect(scripting.unregisterContentScripts).toHaveBeenCalledWith({ ids: ['liqlens-custom-bridge', 'liqlens-custom-overlay'] });
    expect(registered[0].map((r) => [r.id, r.matches, r.world])).toEqual([
      ['liqlens-custom-bridge', ['https://charts.example.com/*'], 'MAIN'],
      ['liqlens-custom-overlay', ['https://charts.example.com/*'], undefined],
    ]);
    // Nothing granted: nothing registered, the old registration removed.
    s.overlay.customSites = ['https://other.example.org/*'];
    await syncRunTimeSites(runTimeOverlayPatterns(s.overlay));
    expect(registered).toHaveLength(1);
  });

  it('leaves local pages out of the manifest, and registers them only while they are on', () => {
    const s = defaultSettings();
    expect(s.overlay.sites.local).toBe(false);
    expect(overlayMatches.some((m) => /localhost|127\.0\.0\.1/.test(m))).toBe(false);
    expect(runTimeOverlayPatterns(s.overlay)).toEqual([]);
    s.overlay.sites.local = true;
    s.overlay.customSites = ['https://charts.example.com/*', 'http://localhost/*'];
    // Each pattern once, whoever asked for it.
    expect(runTimeOverlayPatterns(s.overlay)).toEqual(['http://localhost/*', 'http://127.0.0.1/*', 'https://charts.example.com/*']);
  });
});
